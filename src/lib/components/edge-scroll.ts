/**
 * Scrolls the board while something is dragged near its edges, faster the closer the pointer.
 *
 * Why not @atlaskit/pragmatic-drag-and-drop-auto-scroll: it finds the scroll container under
 * the pointer with `document.elementsFromPoint` on every frame, which bench:ui measured at
 * ~65 ms per call on the 5,000-card board. The board has exactly one scroll container, so its
 * rectangle is all this needs: no hit testing at all.
 */
import type { Attachment } from 'svelte/attachments';
import { monitorForElements } from '@atlaskit/pragmatic-drag-and-drop/element/adapter';

/** Within this many pixels of an edge, the board scrolls. */
const ZONE = 72;
/** Pixels per frame at the very edge. */
const MAX_SPEED = 24;

function speed(distance: number): number {
	if (distance >= ZONE) return 0;
	return Math.ceil(MAX_SPEED * (1 - Math.max(distance, 0) / ZONE) ** 2);
}

export function edgeScroll(element: HTMLElement): ReturnType<Attachment<HTMLElement>> {
	let pointer: { x: number; y: number } | null = null;
	let frame = 0;

	const step = () => {
		frame = 0;
		if (!pointer) return;
		const rect = element.getBoundingClientRect();
		const dx = speed(rect.right - pointer.x) - speed(pointer.x - rect.left);
		const dy = speed(rect.bottom - pointer.y) - speed(pointer.y - rect.top);
		if (dx || dy) element.scrollBy(dx, dy);
		frame = requestAnimationFrame(step);
	};

	return monitorForElements({
		onDragStart: ({ location }) => {
			pointer = { x: location.current.input.clientX, y: location.current.input.clientY };
			frame = requestAnimationFrame(step);
		},
		onDrag: ({ location }) => {
			pointer = { x: location.current.input.clientX, y: location.current.input.clientY };
		},
		onDrop: () => {
			pointer = null;
			cancelAnimationFrame(frame);
			frame = 0;
		}
	});
}
