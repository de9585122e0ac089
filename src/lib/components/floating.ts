/**
 * Keeps a popover (a ⋯ menu, the people panel) next to the button that opened it and inside
 * the viewport: it flips above the button when there is no room below, shifts sideways at the
 * edges, and is never taller than the room it has, so every entry can be reached by mouse.
 * Floating UI does the geometry; `autoUpdate` follows scrolling and resizing while it is open.
 */
import { autoUpdate, computePosition, flip, offset, shift, size } from '@floating-ui/dom';

const MARGIN = 8;

/** Starts placing `floating` against `anchor`; call the returned function when it closes. */
export function float(
	anchor: HTMLElement,
	floating: HTMLElement,
	opts: { gap?: number; maxHeight?: number } = {}
): () => void {
	const maxHeight = opts.maxHeight ?? 416;
	const update = () =>
		computePosition(anchor, floating, {
			strategy: 'fixed',
			placement: 'bottom-end',
			middleware: [
				offset(opts.gap ?? 4),
				flip({ padding: MARGIN }),
				shift({ padding: MARGIN }),
				size({
					padding: MARGIN,
					apply: ({ availableHeight }) => {
						floating.style.maxHeight = `${Math.max(96, Math.min(maxHeight, availableHeight))}px`;
					}
				})
			]
		}).then(({ x, y }) => {
			floating.style.left = `${x}px`;
			floating.style.top = `${y}px`;
		});
	return autoUpdate(anchor, floating, () => void update());
}
