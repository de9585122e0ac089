/**
 * Group commit across rooms. Every room with updates accepted in this turn of the event loop is
 * written in one store transaction — one disk sync for all of them — and then each room
 * broadcasts its own. With many active boards, a sync per board per turn would block the event
 * loop for milliseconds each and become the relay's bottleneck.
 *
 * Rooms still flush on their own when they must be durable right now (before answering a sync
 * step 1, before compacting); that takes what is pending out of the next batch.
 */
import { secondsSince, type RelayMetrics } from './metrics.ts';
import type { BoardStore } from './storage/types.ts';

/** What the queue needs from a room (room.ts implements it). */
export interface Committable {
	readonly id: string;
	/** Hands over what is pending as one merged update; null when nothing is. */
	takePending(): Uint8Array | null;
	/** The store holds `merged` as `seq`: now it may be sent. */
	committed(merged: Uint8Array, seq: number): void;
	/** The store refused `merged`. */
	commitFailed(err: Error): void;
}

export class CommitQueue {
	readonly #store: BoardStore;
	readonly #metrics: RelayMetrics;
	readonly #rooms = new Set<Committable>();
	#queued = false;

	constructor(opts: { store: BoardStore; metrics: RelayMetrics }) {
		this.#store = opts.store;
		this.#metrics = opts.metrics;
	}

	schedule(room: Committable): void {
		this.#rooms.add(room);
		if (this.#queued) return;
		this.#queued = true;
		setImmediate(() => this.flush());
	}

	flush(): void {
		this.#queued = false;
		const batch: { room: Committable; merged: Uint8Array }[] = [];
		for (const room of this.#rooms) {
			const merged = room.takePending();
			if (merged) batch.push({ room, merged });
		}
		this.#rooms.clear();
		if (batch.length === 0) return;
		const started = performance.now();
		const results = this.#store.appendBatch(
			batch.map(({ room, merged }) => ({ id: room.id, updates: [merged] }))
		);
		this.#metrics.appendSeconds.observe(secondsSince(started));
		batch.forEach(({ room, merged }, i) => {
			const result = results[i];
			if (typeof result === 'number') room.committed(merged, result);
			else room.commitFailed(result ?? new Error('no result from the store'));
		});
	}
}
