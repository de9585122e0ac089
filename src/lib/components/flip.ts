/**
 * A lane or card someone else moved glides to its new place (FLIP: measure First, let the DOM
 * change to the Last place, Invert with a transform, Play it back to none), and so do the
 * siblings it pushed aside, so the room can see what happened instead of a sudden jump.
 *
 * Found with as few searches of the document as possible: on a 5,000-card board each
 * attribute query walks up to 120,000 elements, and one per sibling, before and after the
 * change, cost a remote move several milliseconds before its frame.
 */
import { tick } from 'svelte';
import type { BoardSnapshot } from '$lib/model/index.ts';
import type { MovedItem } from '$lib/state/remote-moves.ts';

export const FLIP_MS = 200;

const selector = (kind: string, id: string) => `[data-item="${kind}:${CSS.escape(id)}"]`;

/** The ids of the item's new siblings (its new cell's cards, its new program's lanes). */
function newSiblings(snapshot: BoardSnapshot, item: MovedItem): string[] {
	for (const program of snapshot.programs) {
		for (const lane of program.lanes) {
			if (item.kind === 'lane') {
				if (lane.id === item.id) return program.lanes.map((l) => l.id);
				continue;
			}
			for (const cards of Object.values(lane.cells)) {
				if (cards.some((card) => card.id === item.id)) return cards.map((card) => card.id);
			}
		}
	}
	return [];
}

/** Call before the DOM shows `snapshot`, the board just after the moves. */
export async function flipMoves(
	root: HTMLElement,
	snapshot: BoardSnapshot,
	moved: MovedItem[]
): Promise<void> {
	if (matchMedia('(prefers-reduced-motion: reduce)').matches) return;
	const items = moved.filter((item) => item.kind === 'lane' || item.kind === 'card');
	// A burst of moves (a sync after being offline) just lands.
	if (items.length === 0 || items.length > 20) return;
	// Where each element was: the moved item and its old siblings (the list it leaves), and the
	// list it joins. Svelte keeps an element that stays in its list, so these same elements are
	// measured again after the change; only an item that changed lists is a new element.
	const first = new Map<Element, DOMRect>();
	const movedFrom = new Map<string, { rect: DOMRect; list: Element | null }>();
	const remember = (list: Element | null | undefined) => {
		for (const element of list?.children ?? [])
			if (!first.has(element)) first.set(element, element.getBoundingClientRect());
	};
	for (const item of items) {
		const old = root.querySelector(selector(item.kind, item.id));
		remember(old?.parentElement);
		const joined = newSiblings(snapshot, item).find((id) => id !== item.id);
		const list = joined ? root.querySelector(selector(item.kind, joined))?.parentElement : null;
		remember(list);
		if (old)
			movedFrom.set(`${item.kind}:${item.id}`, { rect: first.get(old)!, list: list ?? null });
	}
	await tick();
	const play = (element: Element, before: DOMRect) => {
		const after = element.getBoundingClientRect();
		const dx = before.left - after.left;
		const dy = before.top - after.top;
		if (Math.abs(dx) < 1 && Math.abs(dy) < 1) return;
		element.animate(
			[{ transform: `translate(${dx}px, ${dy}px)` }, { transform: 'translate(0, 0)' }],
			{ duration: FLIP_MS, easing: 'cubic-bezier(0.2, 0, 0, 1)' }
		);
	};
	for (const [element, before] of first) if (element.isConnected) play(element, before);
	// An item that changed lists is a new element there: found in the list it joined, or, when
	// that list was empty before, in the document.
	for (const [key, { rect, list }] of movedFrom) {
		const [kind, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
		const scope = list?.isConnected ? list : root;
		const element = scope.querySelector(selector(kind, id));
		if (element && !first.has(element)) play(element, rect);
	}
}
