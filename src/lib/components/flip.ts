/**
 * A lane or card someone else moved glides to its new place (FLIP: measure First, let the DOM
 * change to the Last place, Invert with a transform, Play it back to none), and so do the
 * siblings it pushed aside, so the room can see what happened instead of a sudden jump.
 */
import { tick } from 'svelte';
import type { BoardSnapshot } from '$lib/model/index.ts';
import type { MovedItem } from '$lib/state/remote-moves.ts';

export const FLIP_MS = 200;

const selector = (kind: string, id: string) => `[data-item="${kind}:${CSS.escape(id)}"]`;

/** Ids of the items whose place a move of `item` can change: its old and new siblings. */
function affected(root: HTMLElement, snapshot: BoardSnapshot, item: MovedItem): string[] {
	const keys = [`${item.kind}:${item.id}`];
	const old = root.querySelector(selector(item.kind, item.id));
	for (const sibling of old?.parentElement?.children ?? []) {
		const key = (sibling as HTMLElement).dataset?.item;
		if (key) keys.push(key);
	}
	for (const program of snapshot.programs) {
		for (const lane of program.lanes) {
			if (item.kind === 'lane' && lane.id === item.id) {
				keys.push(...program.lanes.map((l) => `lane:${l.id}`));
			}
			if (item.kind !== 'card') continue;
			for (const cards of Object.values(lane.cells)) {
				if (cards.some((card) => card.id === item.id)) {
					keys.push(...cards.map((card) => `card:${card.id}`));
				}
			}
		}
	}
	return keys;
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
	const first = new Map<string, DOMRect>();
	for (const item of items) {
		for (const key of affected(root, snapshot, item)) {
			if (first.has(key)) continue;
			const element = root.querySelector(`[data-item="${CSS.escape(key)}"]`);
			if (element) first.set(key, element.getBoundingClientRect());
		}
	}
	await tick();
	for (const [key, before] of first) {
		const element = root.querySelector<HTMLElement>(`[data-item="${CSS.escape(key)}"]`);
		if (!element) continue;
		const after = element.getBoundingClientRect();
		const dx = before.left - after.left;
		const dy = before.top - after.top;
		if (Math.abs(dx) < 1 && Math.abs(dy) < 1) continue;
		element.animate(
			[{ transform: `translate(${dx}px, ${dy}px)` }, { transform: 'translate(0, 0)' }],
			{ duration: FLIP_MS, easing: 'cubic-bezier(0.2, 0, 0, 1)' }
		);
	}
}
