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
import { dropKey, type DropIndicator } from '$lib/state/drop-indicator.svelte.ts';

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
			onDragStart: () => {
				// A selection left from before the drag would otherwise stay highlighted after it,
				// and pressing on it next time would start the browser's own text drag.
				getSelection()?.removeAllRanges();
				opts.ondrag?.(true);
			},
			onDrop: () => opts.ondrag?.(false)
		});
	};
}

/**
 * A drop target. Its hit test (the closest edge) runs once per dragover and feeds both the
 * drop (the record's data, read by BoardView's monitor) and the line (`drop`, the board's one
 * DropIndicator): one computation, so what the line shows is where the item lands.
 */
export function dropTarget(opts: {
	data: () => DropData;
	edges: Edge[];
	drop: DropIndicator;
}): Attachment<HTMLElement> {
	return (element) =>
		dropTargetForElements({
			element,
			canDrop: ({ source }) => {
				const drag = dragData(source.data);
				return !!drag && accepts(drag, opts.data());
			},
			getData: ({ input, source }) => {
				const target = opts.data();
				const data = attachClosestEdge({ ...target }, { element, input, allowedEdges: opts.edges });
				const drag = dragData(source.data);
				if (drag) {
					// A connector links to the whole card: no edge to land on.
					const edge =
						opts.edges.length && drag.kind !== 'connector'
							? (extractClosestEdge(data) ?? 'inside')
							: 'inside';
					opts.drop.offer(input, dropKey(target), { edge, source: drag.kind });
				}
				return data;
			}
		});
}

export { extractClosestEdge };

/**
 * A card's connector: dragged onto another card, it makes that card need this one. The
 * connector itself is the dragged element (the card stays put), so the card's own drag is
 * left alone.
 */
export function connectorSource(opts: {
	id: () => string;
	disabled?: () => boolean;
}): Attachment<HTMLElement> {
	return (element) =>
		draggable({
			element,
			canDrag: () => !opts.disabled?.(),
			getInitialData: () => ({ kind: 'connector', id: opts.id(), [DRAG]: true })
		});
}
