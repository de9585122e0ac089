/**
 * Where the line is drawn while something is dragged. It is written by the same hit test that
 * decides the landing place (the drop target's `getData`, run synchronously on every dragover),
 * so the line and the drop can never disagree. Reading it from the library's `onDrag` instead
 * let the line lag: `onDrag` waits for an animation frame, which a browser busy with a native
 * drag may not give, while the drop used the newest hit test — the line said "above", the lane
 * landed below.
 */
import { KeyBuckets } from './mark-buckets.svelte.ts';
import type { DropData, Edge } from './drop.ts';
import type { ItemKind } from './moves.ts';

/** A line on one edge, or the whole target highlighted. */
export type Indicator = Edge | 'inside';

export interface Shown {
	edge: Indicator;
	/** What is being dragged: a program shows a lane over it differently from a program. */
	source: ItemKind | 'connector';
}

/** One key per drop target, so each item reads only its own entry. */
export function dropKey(target: DropData): string {
	return target.kind === 'cell'
		? `cell:${target.laneId}:${target.periodId}`
		: `${target.kind}:${target.id}`;
}

export class DropIndicator {
	// A map with at most one entry; an item subscribes to its own key's bucket, so moving the
	// line re-runs the readers of two buckets, not every item on the board (a SvelteMap's get of
	// a missing key subscribes to the whole map).
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- tracked per key by #versions
	#shown = new Map<string, Shown>();
	#versions = new KeyBuckets();
	#key: string | null = null;
	#input: unknown = null;

	at(key: string): Shown | null {
		this.#versions.track(key);
		return this.#shown.get(key) ?? null;
	}

	/**
	 * The hit test of one accepted drop target for one pointer event. The library tests targets
	 * innermost first with the same `input` object, and the innermost is the one dropped on, so
	 * only the first offer per event is shown.
	 */
	offer(input: object, key: string, shown: Shown): void {
		if (input === this.#input) return;
		this.#input = input;
		const current = this.#key === null ? undefined : this.#shown.get(this.#key);
		if (this.#key === key && current?.edge === shown.edge && current.source === shown.source) {
			return;
		}
		if (this.#key !== null && this.#key !== key) {
			this.#shown.delete(this.#key);
			this.#versions.touch(this.#key);
		}
		this.#key = key;
		this.#shown.set(key, shown);
		this.#versions.touch(key);
	}

	clear(): void {
		if (this.#key !== null) {
			this.#shown.delete(this.#key);
			this.#versions.touch(this.#key);
		}
		this.#key = null;
		this.#input = null;
	}
}
