/**
 * Drag and drop as Svelte attachments over Atlassian's pragmatic-drag-and-drop: native HTML5
 * drag (so touch works in modern mobile browsers), a few KB, no framework of its own. A drop
 * does nothing here: BoardView's one monitor turns it into a Move (state/drop.ts), so a drag
 * goes through exactly the same single-write operation as the keyboard and the Move… menu.
 */
import type { Attachment } from 'svelte/attachments';
import {
	draggable,
	dropTargetForElements
} from '@atlaskit/pragmatic-drag-and-drop/element/adapter';
import { attachClosestEdge } from '@atlaskit/pragmatic-drag-and-drop-hitbox/closest-edge/attach-closest-edge';
import { extractClosestEdge } from '@atlaskit/pragmatic-drag-and-drop-hitbox/closest-edge/extract-closest-edge';
import { accepts, type DragData, type DropData, type Edge } from '$lib/state/drop.ts';

const DRAG = Symbol('railyard-drag');

export function dragData(data: Record<string | symbol, unknown>): DragData | null {
	return data[DRAG] ? (data as unknown as DragData) : null;
}

/**
 * Makes the closest `[data-drag-item]` ancestor draggable by this handle (or the element itself
 * when it has none). `data` is read when a drag starts, so it is never stale.
 */
export function dragSource(opts: {
	data: () => DragData;
	disabled?: () => boolean;
	ondrag?: (dragging: boolean) => void;
}): Attachment<HTMLElement> {
	return (handle) => {
		const element = handle.closest<HTMLElement>('[data-drag-item]') ?? handle;
		return draggable({
			element,
			dragHandle: handle,
			canDrag: () => !opts.disabled?.(),
			getInitialData: () => ({ ...opts.data(), [DRAG]: true }),
			onDragStart: () => opts.ondrag?.(true),
			onDrop: () => opts.ondrag?.(false)
		});
	};
}

/** What a drop target shows: a line on one edge, or the whole target highlighted. */
export type Indicator = Edge | 'inside' | null;

export function dropTarget(opts: {
	data: () => DropData;
	edges: Edge[];
	onindicator: (indicator: Indicator, source: DragData | null) => void;
}): Attachment<HTMLElement> {
	return (element) => {
		const show = (args: {
			source: { data: Record<string | symbol, unknown> };
			self: { element: Element; data: Record<string | symbol, unknown> };
			location: { current: { dropTargets: { element: Element }[] } };
		}) => {
			// Only the innermost target under the pointer shows where the item will land.
			if (args.location.current.dropTargets[0]?.element !== args.self.element) {
				return opts.onindicator(null, null);
			}
			const edge = opts.edges.length ? extractClosestEdge(args.self.data) : 'inside';
			opts.onindicator(edge, dragData(args.source.data));
		};
		return dropTargetForElements({
			element,
			canDrop: ({ source }) => {
				const drag = dragData(source.data);
				return !!drag && accepts(drag, opts.data());
			},
			getData: ({ input }) =>
				attachClosestEdge({ ...opts.data() }, { element, input, allowedEdges: opts.edges }),
			onDragEnter: show,
			onDrag: show,
			onDropTargetChange: show,
			onDragLeave: () => opts.onindicator(null, null),
			onDrop: () => opts.onindicator(null, null)
		});
	};
}

export { extractClosestEdge };
