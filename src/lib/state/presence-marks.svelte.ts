/**
 * Everyone else's marks on the board's items: who has each item selected, is editing or dragging
 * it, as outlines and name tags. An item's reader depends on its own key only (KeyBuckets), and
 * an update touches only the items whose marks changed, so only they re-render (5,300 readers on
 * a 5,000-card board).
 */
/* eslint-disable svelte/prefer-svelte-reactivity -- plain Maps and Sets on purpose: readers depend
   on their key's bucket (KeyBuckets), never on the maps themselves. */
import type { PresenceKind, PresenceTarget } from '$lib/model/presence.ts';
import { KeyBuckets } from './mark-buckets.svelte.ts';
import type { Peer } from './presence.svelte.ts';

export type Intent = 'dragging' | 'editing' | 'selected';

/** One person's intent on one item, as everyone else's screen outlines it. */
export interface Mark {
	clientId: number;
	name: string;
	colour: string;
	intent: Intent;
	/** The person this screen is following: their marks stand out. */
	followed: boolean;
}

export const targetKey = (kind: PresenceKind, id: string) => `${kind}:${id}`;

const NO_MARKS: Mark[] = [];

export class PresenceMarks {
	/** Marks by item key, in a plain map: the buckets say when an item's marks changed. */
	#marks = new Map<string, Mark[]>();
	#signatures = new Map<string, string>();
	#changes = new KeyBuckets();

	/** Who else has `kind`/`id` selected, is editing or dragging it; empty for nobody. */
	of(kind: PresenceKind, id: string): Mark[] {
		const key = targetKey(kind, id);
		this.#changes.track(key);
		return this.#marks.get(key) ?? NO_MARKS;
	}

	/** Recomputes every item's marks from `others`; `followed` is the person this screen follows. */
	update(others: readonly Peer[], followed: number | undefined): void {
		const next = new Map<string, Mark[]>();
		for (const peer of others) {
			const { selection, editing, dragging } = peer.presence;
			const claimed = new Set<string>();
			const add = (target: PresenceTarget | null, intent: Intent) => {
				if (!target) return;
				const key = targetKey(target.kind, target.id);
				if (claimed.has(key)) return;
				claimed.add(key);
				const mark: Mark = {
					clientId: peer.clientId,
					name: peer.name,
					colour: peer.colour,
					intent,
					followed: peer.clientId === followed
				};
				next.set(key, [...(next.get(key) ?? []), mark]);
			};
			// The strongest intent wins when one person's fields name the same item.
			add(dragging, 'dragging');
			add(editing, 'editing');
			add(selection, 'selected');
		}
		for (const [key, marks] of next) {
			const signature = JSON.stringify(marks);
			if (this.#signatures.get(key) === signature) continue;
			this.#signatures.set(key, signature);
			this.#marks.set(key, marks);
			this.#changes.touch(key);
		}
		for (const key of [...this.#signatures.keys()]) {
			if (next.has(key)) continue;
			this.#signatures.delete(key);
			this.#marks.delete(key);
			this.#changes.touch(key);
		}
	}
}
