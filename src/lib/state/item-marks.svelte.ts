/**
 * What the board draws on a program, lane or card for issue 12: the count of risks not yet
 * roamed on it, and the objectives it serves. Kept per item in a SvelteMap, written only where
 * a snapshot changed it, so each of 5,000 cards reads its own entry and a change re-renders the
 * few items it touched (a card reading the whole snapshot would re-run on every keystroke).
 */
import { SvelteMap } from 'svelte/reactivity';
import type { BoardSnapshot } from '$lib/model/index.ts';
import { servedMap } from './objectives.ts';
import { unroamedCounts } from './risks.ts';

export interface ItemMark {
	/** Risks not yet roamed on the item and on what it holds. */
	risks: number;
	/** Names of the objectives it serves, in list order. */
	serves: readonly string[];
}

const same = (a: ItemMark, b: ItemMark) =>
	a.risks === b.risks &&
	a.serves.length === b.serves.length &&
	a.serves.every((name, i) => name === b.serves[i]);

export class ItemMarks {
	#shown = new SvelteMap<string, ItemMark>();
	/** The same entries, read without subscribing while a new snapshot is compared. */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- deliberately not reactive
	#plain = new Map<string, ItemMark>();
	#of: BoardSnapshot | null = null;

	/** The item's marks, or undefined when it has none (no badge, no tag). */
	get(kind: 'program' | 'lane' | 'card', id: string): ItemMark | undefined {
		return this.#shown.get(`${kind}:${id}`);
	}

	/** Bring the marks up to `snapshot`, writing only the entries that changed. */
	sync(snapshot: BoardSnapshot): void {
		if (snapshot === this.#of) return;
		this.#of = snapshot;
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local, compared then dropped
		const next = new Map<string, ItemMark>();
		for (const [key, risks] of unroamedCounts(snapshot)) next.set(key, { risks, serves: [] });
		for (const [key, objectives] of servedMap(snapshot)) {
			const serves = objectives.map((o) => o.name || 'Untitled objective');
			next.set(key, { risks: next.get(key)?.risks ?? 0, serves });
		}
		for (const key of this.#plain.keys()) {
			if (next.has(key)) continue;
			this.#plain.delete(key);
			this.#shown.delete(key);
		}
		for (const [key, mark] of next) {
			const before = this.#plain.get(key);
			if (before && same(before, mark)) continue;
			this.#plain.set(key, mark);
			this.#shown.set(key, mark);
		}
	}
}
