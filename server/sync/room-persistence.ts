/**
 * A room's way to the store: every update the doc accepts is pending until the commit queue
 * writes it (merged with the rest of this turn's, in one append), and only then handed back to be
 * broadcast. Every `compactEvery` appends, and on unload, the log is folded into one snapshot.
 *
 * A write the store refuses is reported once (`onFailed`) and nothing of it is sent: the room
 * closes, and its peers resync against what the store really holds.
 */
import * as Y from 'yjs';
import type { CommitQueue, Committable } from './commit-queue.ts';
import type { Logger } from '../log.ts';
import { secondsSince, type RelayMetrics } from '../metrics.ts';
import { StaleEpochError, type DocumentLog } from '../storage/types.ts';

export interface Snapshot {
	/** The whole board as one update. */
	update: Uint8Array;
	title: string;
}

export class RoomPersistence implements Committable {
	readonly id: string;
	readonly #store: DocumentLog;
	readonly #commits: CommitQueue;
	readonly #metrics: RelayMetrics;
	readonly #log: Logger;
	readonly #compactEvery: number;
	readonly #onCommitted: (merged: Uint8Array) => void;
	readonly #onFailed: (err: Error) => void;
	readonly #snapshot: () => Snapshot;
	#pending: Uint8Array[] = [];
	/** Merged updates handed to the commit queue and not yet written (or refused). */
	#unconfirmed = 0;
	#lastSeq: number;
	#appendsSinceCompact = 0;
	/** Whether the store holds anything a compaction would fold (a log, or appends since). */
	#dirty: boolean;
	/** A compaction under way (one at a time). */
	#compacting: Promise<void> | null = null;
	/** The doc holds part of an update that failed half-way: it must never be compacted. */
	#tainted = false;
	#closed = false;

	constructor(opts: {
		id: string;
		store: DocumentLog;
		commits: CommitQueue;
		metrics: RelayMetrics;
		logger: Logger;
		compactEvery: number;
		/** The sequence number of the last stored log entry (0: none). */
		lastSeq: number;
		/** `merged` is durable: send it. */
		onCommitted: (merged: Uint8Array) => void;
		/** The store refused a write. */
		onFailed: (err: Error) => void;
		/** The board as it is now, for a compaction. */
		snapshot: () => Snapshot;
	}) {
		this.id = opts.id;
		this.#store = opts.store;
		this.#commits = opts.commits;
		this.#metrics = opts.metrics;
		this.#log = opts.logger;
		this.#compactEvery = opts.compactEvery;
		this.#onCommitted = opts.onCommitted;
		this.#onFailed = opts.onFailed;
		this.#snapshot = opts.snapshot;
		this.#lastSeq = opts.lastSeq;
		this.#dirty = opts.lastSeq > 0;
	}

	/** An update the doc accepted: written at the end of this turn. */
	push(update: Uint8Array): void {
		this.#pending.push(update);
		if (this.#pending.length === 1) this.#commits.schedule(this);
	}

	/** How many updates are pending, to take back the ones after it with `truncate`. */
	get pendingCount(): number {
		return this.#pending.length;
	}

	/** Drops the pending updates after the first `count` (an apply that broke half-way). */
	truncate(count: number): void {
		this.#pending.length = count;
	}

	/** Nothing accepted is waiting to be written: what the doc holds is durable. */
	get settled(): boolean {
		return this.#pending.length === 0 && this.#unconfirmed === 0;
	}

	/** The doc can no longer be trusted as a whole: never fold it into a snapshot. */
	taint(): void {
		this.#tainted = true;
	}

	/** Writes what is pending (every room's, in one append); resolves once written. */
	flush(): Promise<void> {
		return this.#commits.flush();
	}

	takePending(): Uint8Array | null {
		if (this.#pending.length === 0 || this.#closed) return null;
		const batch = this.#pending;
		this.#pending = [];
		this.#unconfirmed += 1;
		return batch.length === 1 ? (batch[0] as Uint8Array) : Y.mergeUpdates(batch);
	}

	committed(merged: Uint8Array, seq: number): void {
		this.#unconfirmed -= 1;
		this.#lastSeq = seq;
		this.#dirty = true;
		this.#appendsSinceCompact += 1;
		if (this.#closed) return;
		this.#onCommitted(merged);
		if (this.#appendsSinceCompact >= this.#compactEvery) {
			this.compact().catch((err: unknown) => {
				// A compaction fenced out means another relay owns the board: as for an append.
				if (err instanceof StaleEpochError && !this.#closed) this.#onFailed(err);
				else this.#log.error({ err }, 'compaction failed');
			});
		}
	}

	commitFailed(err: Error): void {
		this.#unconfirmed -= 1;
		if (this.#closed) return;
		this.#onFailed(err);
	}

	/** Folds the update log into one snapshot (nothing to do when the store holds just that). */
	compact(): Promise<void> {
		this.#compacting ??= this.#compact().finally(() => (this.#compacting = null));
		return this.#compacting;
	}

	async #compact(): Promise<void> {
		if (this.#closed || this.#tainted) return;
		await this.flush();
		if (!this.#dirty || this.#closed || this.#tainted) return;
		// The snapshot holds everything committed so far, so it covers the log up to #lastSeq
		// (anything accepted since is in it too, or in the log after it: replaying both is harmless).
		const { update, title } = this.#snapshot();
		const uptoSeq = this.#lastSeq;
		const appends = this.#appendsSinceCompact;
		await this.#commits.run(async () => {
			const started = performance.now();
			await this.#store.compact(this.id, update, uptoSeq, title);
			this.#metrics.compactSeconds.observe(secondsSince(started));
			this.#log.debug({ ms: Math.round(performance.now() - started) }, 'compacted');
		});
		this.#appendsSinceCompact -= appends;
		this.#dirty = this.#lastSeq > uptoSeq;
	}

	/** Nothing more is written or sent; what is pending is dropped. */
	close(): void {
		this.#closed = true;
		this.#pending = [];
	}
}
