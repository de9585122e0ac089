/**
 * Group commit across rooms. Every room with updates accepted in this turn of the event loop is
 * written in one store transaction — one disk sync for all of them — and then each room
 * broadcasts its own. With many active boards, a sync per board per turn would block the event
 * loop for milliseconds each and become the relay's bottleneck.
 *
 * Writes go out one at a time, in order (a pipeline of one): a board's updates reach the store in
 * the order they were accepted, and are broadcast in that order, whatever the store's latency.
 * Compactions ride the same pipeline, so one never races the appends it folds.
 *
 * Rooms flush when they must be durable before they can answer (a sync step 1, a compaction):
 * that takes what is pending now, and resolves once it is written.
 */
import { secondsSince, type RelayMetrics } from '../metrics.ts';
import type { DocumentLog } from '../storage/types.ts';

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
	readonly #store: DocumentLog;
	readonly #metrics: RelayMetrics;
	readonly #rooms = new Set<Committable>();
	#queued = false;
	/** The last write in the pipeline; every earlier one has settled when it has. */
	#tail: Promise<void> = Promise.resolve();
	/** A write queued in the pipeline that has not taken its batch yet. */
	#waiting: Promise<void> | null = null;
	/** Appends in flight. */
	#writing = 0;

	constructor(opts: { store: DocumentLog; metrics: RelayMetrics }) {
		this.#store = opts.store;
		this.#metrics = opts.metrics;
	}

	schedule(room: Committable): void {
		this.#rooms.add(room);
		if (this.#queued) return;
		this.#queued = true;
		setImmediate(() => void this.flush());
	}

	/** Writes everything pending in every room; resolves when it (and all before it) is written. */
	flush(): Promise<void> {
		this.#queued = false;
		if (this.#rooms.size === 0) return this.#tail;
		// While a write is in flight (a networked store: PostgreSQL), the next batch is taken when it
		// is done, not now: what arrives meanwhile joins it, so a slow store gets fewer, larger
		// commits instead of a backlog of one per event-loop turn. An idle pipeline writes at once.
		if (this.#writing === 0) {
			const batch = this.#take();
			return batch.length === 0 ? this.#tail : this.run(() => this.#write(batch));
		}
		this.#waiting ??= this.run(() => {
			this.#waiting = null;
			return this.#write(this.#take());
		});
		return this.#waiting;
	}

	#take(): { room: Committable; merged: Uint8Array }[] {
		const batch: { room: Committable; merged: Uint8Array }[] = [];
		for (const room of this.#rooms) {
			const merged = room.takePending();
			if (merged) batch.push({ room, merged });
		}
		this.#rooms.clear();
		return batch;
	}

	/** Runs `task` after every write queued before it; it never rejects the pipeline. */
	run(task: () => Promise<void>): Promise<void> {
		const next = this.#tail.then(task);
		this.#tail = next.catch(() => {});
		return next;
	}

	async #write(batch: { room: Committable; merged: Uint8Array }[]): Promise<void> {
		if (batch.length === 0) return;
		const started = performance.now();
		let results: (number | Error)[];
		this.#writing += 1;
		try {
			results = await this.#store.appendBatch(
				batch.map(({ room, merged }) => ({ id: room.id, updates: [merged] }))
			);
		} catch (err) {
			const error = err instanceof Error ? err : new Error(String(err));
			results = batch.map(() => error);
		} finally {
			this.#writing -= 1;
		}
		this.#metrics.appendSeconds.observe(secondsSince(started));
		batch.forEach(({ room, merged }, i) => {
			const result = results[i];
			if (typeof result === 'number') room.committed(merged, result);
			else room.commitFailed(result ?? new Error('no result from the store'));
		});
	}
}
