/**
 * A lane or card someone else moved glides to its new place (FLIP: measure First, let the DOM
 * change to the Last place, Invert with a transform, Play it back to none), and so do the
 * siblings it pushed aside, so the room can see what happened instead of a sudden jump.
 *
 * Each element is found by id (itemElement), never by an attribute query over the document:
 * on a 5,000-card board one such query per sibling, before and after the change, cost a remote
 * move several milliseconds before its frame.
 */
import { tick } from 'svelte';
import type { BoardSnapshot } from '$lib/model/index.ts';
import type { MovedItem } from '$lib/state/remote-moves.ts';
import { itemElement } from './focus.ts';

export const FLIP_MS = 200;

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
export async function flipMoves(snapshot: BoardSnapshot, moved: MovedItem[]): Promise<void> {
	if (matchMedia('(prefers-reduced-motion: reduce)').matches) return;
	const items = moved.filter((item) => item.kind === 'lane' || item.kind === 'card');
	// A burst of moves (a sync after being offline) just lands.
	if (items.length === 0 || items.length > 20) return;
	// Where each element was: the moved item and its old siblings (the list it leaves), and the
	// list it joins. Svelte keeps an element that stays in its list, so these same elements are
	// measured again after the change; only an item that changed lists is a new element.
	const first = new Map<Element, DOMRect>();
	const movedFrom = new Map<string, DOMRect>();
	const remember = (list: Element | null | undefined) => {
		for (const element of list?.children ?? [])
			if (!first.has(element)) first.set(element, element.getBoundingClientRect());
	};
	for (const item of items) {
		const old = itemElement(item.kind, item.id);
		remember(old?.parentElement);
		const joined = newSiblings(snapshot, item).find((id) => id !== item.id);
		remember(joined ? itemElement(item.kind, joined)?.parentElement : null);
		if (old) movedFrom.set(`${item.kind}:${item.id}`, first.get(old)!);
	}
	await tick();
	// Where they landed is read in the next frame, whose layout the browser does anyway: read
	// now, after the line overlay has changed too, it was a second layout of the board.
	await new Promise((resolve) => requestAnimationFrame(resolve));
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
	// An item that changed lists is a new element there.
	for (const [key, rect] of movedFrom) {
		const split = key.indexOf(':');
		const element = itemElement(key.slice(0, split), key.slice(split + 1));
		if (element && !first.has(element)) play(element, rect);
	}
}
