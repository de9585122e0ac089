/**
 * Group commit across rooms, pipelined. Every room with updates accepted since the last write is
 * written in one store call — one transaction, one disk sync for all of them — and then each room
 * broadcasts its own.
 *
 * One write is under way at a time, in order: a board's updates reach the store in the order
 * they were accepted, and are broadcast in that order, whatever the store's latency. While a
 * write is under way the rooms keep accepting updates; the next write takes everything that
 * gathered meanwhile (so a slow disk makes batches bigger, not queues longer). It starts as soon
 * as the store has answered the previous one, before that one's updates are broadcast, so the
 * disk syncs the next batch while the relay sends the last.
 *
 * Compactions ride the same queue (`run`), so one never races the appends it folds.
 *
 * Rooms flush when they must be durable before they can answer (a sync step 1, a compaction):
 * that resolves once everything pending now is written and broadcast.
 */
import type { Logger } from '../log.ts';
import { secondsSince, type RelayMetrics } from '../metrics.ts';
import type { DocumentLog } from '../storage/types.ts';

/** What the queue needs from a room (room-persistence.ts implements it). */
export interface Committable {
	readonly id: string;
	/** Hands over what is pending as one merged update; null when nothing is. */
	takePending(): Uint8Array | null;
	/** The store holds `merged` as `seq`: now it may be sent. */
	committed(merged: Uint8Array, seq: number): void;
	/** The store refused `merged`. */
	commitFailed(err: Error): void;
}

/** A step of the queue: the next batch of pending updates, or a task (a compaction). */
interface Step {
	/** Null: a batch, taken from the rooms when the step starts. */
	task: (() => Promise<void>) | null;
	done: Promise<void>;
	resolve: () => void;
	reject: (err: unknown) => void;
}

type Batch = { room: Committable; merged: Uint8Array }[];

export class CommitQueue {
	readonly #store: DocumentLog;
	readonly #metrics: RelayMetrics;
	readonly #log: Logger | undefined;
	/** Rooms with updates not yet taken by a batch. */
	readonly #rooms = new Set<Committable>();
	readonly #steps: Step[] = [];
	/** The batch step queued and not yet started: whatever is pending joins it. */
	#nextBatch: Step | null = null;
	/** A step is under way (its store call not yet answered). */
	#busy = false;
	#kicked = false;
	/** Settles once every step queued so far has. */
	#last: Promise<void> = Promise.resolve();

	constructor(opts: { store: DocumentLog; metrics: RelayMetrics; logger?: Logger }) {
		this.#log = opts.logger;
		this.#store = opts.store;
		this.#metrics = opts.metrics;
	}

	/** `room` has pending updates: they are written at the end of this turn, or after the write under way. */
	schedule(room: Committable): void {
		this.#rooms.add(room);
		if (this.#kicked || this.#nextBatch) return;
		this.#kicked = true;
		// Not before the end of the turn: every update of this turn goes in the same write.
		setImmediate(() => {
			this.#kicked = false;
			void this.flush();
		});
	}

	/** Writes everything pending in every room; resolves once it (and all before it) is written. */
	flush(): Promise<void> {
		if (this.#rooms.size === 0) return this.#last;
		const batch = (this.#nextBatch ??= this.#queue(null));
		this.#next();
		return batch.done;
	}

	/** Runs `task` after every step queued before it; its failure is its caller's, not the queue's. */
	run(task: () => Promise<void>): Promise<void> {
		const step = this.#queue(task);
		this.#next();
		return step.done;
	}

	#queue(task: (() => Promise<void>) | null): Step {
		let resolve!: () => void;
		let reject!: (err: unknown) => void;
		const done = new Promise<void>((res, rej) => {
			resolve = res;
			reject = rej;
		});
		const step: Step = { task, done, resolve, reject };
		this.#steps.push(step);
		this.#last = done.catch(() => {});
		return step;
	}

	/** Starts the next step if none is under way. */
	#next(): void {
		while (!this.#busy) {
			const step = this.#steps.shift();
			if (!step) return;
			if (step === this.#nextBatch) this.#nextBatch = null;
			if (step.task) {
				this.#busy = true;
				step.task().then(
					() => this.#finished(step, () => {}),
					(err: unknown) => this.#finished(step, () => step.reject(err))
				);
				return;
			}
			const batch = this.#take();
			if (batch.length === 0) {
				step.resolve();
				continue;
			}
			this.#busy = true;
			void this.#write(batch).then((outcome) => {
				// A room whose write failed closes before the next batch is taken, so nothing it
				// accepted after the lost update can reach the store without it (a gap in its log).
				this.#each(outcome.failed, ({ room, error }) => room.commitFailed(error));
				this.#finished(step, () =>
					this.#each(outcome.written, ({ room, merged, seq }) => room.committed(merged, seq))
				);
			});
		}
	}

	/** The store answered `step`: start the next one first, then deliver this one's outcome. */
	#finished(step: Step, deliver: () => void): void {
		this.#busy = false;
		try {
			this.#next();
			deliver();
		} finally {
			step.resolve();
		}
	}

	/** Tells every room its outcome: one room's listener throwing must not leave the others unsure. */
	#each<T>(items: readonly T[], tell: (item: T) => void): void {
		for (const item of items) {
			try {
				tell(item);
			} catch (err) {
				this.#log?.error({ err }, 'a room could not take the outcome of its write');
			}
		}
	}

	#take(): Batch {
		const batch: Batch = [];
		for (const room of this.#rooms) {
			const merged = room.takePending();
			if (merged) batch.push({ room, merged });
		}
		this.#rooms.clear();
		return batch;
	}

	/** Writes `batch`; resolves (never rejects) to which rooms' writes the store took, which not. */
	async #write(batch: Batch): Promise<Outcome> {
		const started = performance.now();
		let results: (number | Error)[];
		try {
			results = await this.#store.appendBatch(
				batch.map(({ room, merged }) => ({ id: room.id, updates: [merged] }))
			);
		} catch (err) {
			const error = err instanceof Error ? err : new Error(String(err));
			results = batch.map(() => error);
		}
		this.#metrics.appendSeconds.observe(secondsSince(started));
		const outcome: Outcome = { written: [], failed: [] };
		batch.forEach(({ room, merged }, i) => {
			const result = results[i];
			if (typeof result === 'number') outcome.written.push({ room, merged, seq: result });
			else outcome.failed.push({ room, error: result ?? new Error('no result from the store') });
		});
		return outcome;
	}
}

interface Outcome {
	written: { room: Committable; merged: Uint8Array; seq: number }[];
	failed: { room: Committable; error: Error }[];
}
