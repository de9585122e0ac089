/**
 * A room's history beside its log (README "History"): who sent its edits, and its automatic
 * checkpoints.
 *
 * Authors: every item in a Yjs document carries the client id that wrote it, so recording which
 * link and display name each client id came through is enough to attribute any change in any
 * snapshot, compacted or not. That is one row per client id (a browser tab's session), recorded
 * when the relay first sees the id (and again once its presence names it), off the hot path: the
 * relay never waits for it before broadcasting, and every room's rows are written together
 * (author-log.ts).
 *
 * Automatic checkpoints: when the last person leaves a board that changed since its last
 * checkpoint, and at most every `everyMs` while it keeps changing. Each one taken prunes the
 * automatic ones older than `retentionMs` (named checkpoints stay until the board is deleted),
 * and folds the updates kept for replay longer than `historyMs` into the board's history base.
 */
import { customAlphabet } from 'nanoid';
import type { Logger } from '../log.ts';
import type {
	AuthorRecord,
	BoardHistory,
	CheckpointInfo,
	CheckpointKind
} from '../storage/types.ts';
import type { AuthorLog } from './author-log.ts';
import { foldExpiredHistory } from './history-retention.ts';
import type { Peer } from './peer.ts';

export const newCheckpointId = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 16);

/** Longest author list an automatic checkpoint keeps ("Ana, Ben, …"). */
const MAX_AUTHOR_NAMES = 200;

/** Why an automatic checkpoint was taken: its name in the history panel. */
export const AUTO_REASONS = {
	left: 'Everyone left',
	hourly: 'While editing'
} as const;

export interface RoomHistoryOptions {
	id: string;
	store: BoardHistory;
	/** Where new authors go, batched with every other room's. */
	authors: AuthorLog;
	logger: Logger;
	/** 0: no checkpoints while people edit, only when they leave. */
	everyMs: number;
	/** Automatic checkpoints older than this are pruned when a new one is taken; 0: never. */
	retentionMs: number;
	/**
	 * Updates kept for replay longer than this are folded into the history base when an
	 * automatic checkpoint is taken (history-retention.ts); 0: never.
	 */
	historyMs?: number;
	now: () => number;
	/** The board as one update, now. */
	state: () => Uint8Array;
	/** The display name a client id's presence shows ('' when none). */
	nameOf: (clientId: number) => string;
}

export class RoomHistory {
	readonly #opts: RoomHistoryOptions;
	/** Client ids recorded, with the name recorded for each ('' until known). */
	readonly #authors = new Map<number, string>();
	/** Names of the people who edited since the last checkpoint. */
	readonly #editors = new Set<string>();
	/** Writes under way, so unloading waits for them. */
	readonly #writes = new Set<Promise<unknown>>();
	#changed = false;
	#lastCheckpointAt: number;
	#folding: Promise<void> | null = null;

	constructor(opts: RoomHistoryOptions) {
		this.#opts = opts;
		this.#lastCheckpointAt = opts.now();
	}

	/** `peer` sent an accepted update whose items were written by `structs`' client ids. */
	noteEdit(peer: Peer, structs: readonly { id: { client: number } }[]): void {
		const linkId = peer.grant?.linkId;
		if (!linkId) return;
		let fresh: AuthorRecord[] | null = null;
		let previous = -1;
		for (const struct of structs) {
			const clientId = struct.id.client;
			// A merged update lists one client's structs together: check each client once.
			if (clientId === previous) continue;
			previous = clientId;
			const recorded = this.#authors.get(clientId);
			if (recorded) {
				this.#editors.add(recorded);
				continue;
			}
			const name = this.#opts.nameOf(clientId);
			if (recorded === name) continue;
			this.#authors.set(clientId, name);
			if (name) this.#editors.add(name);
			(fresh ??= []).push({ boardId: this.#opts.id, clientId, linkId, name, at: this.#opts.now() });
		}
		if (fresh) this.#opts.authors.add(fresh);
	}

	/** An accepted update is durable. Takes a checkpoint if the last one is `everyMs` old. */
	noteCommitted(): void {
		this.#changed = true;
		const every = this.#opts.everyMs;
		if (every > 0 && this.#opts.now() - this.#lastCheckpointAt >= every) this.#auto('hourly');
	}

	/** The last person left: a board that changed since its last checkpoint gets one. */
	noteEmpty(): void {
		if (this.#changed) this.#auto('left');
	}

	/** Saves a checkpoint of the board as it is now (named by a person, or automatic). */
	save(opts: {
		kind: CheckpointKind;
		name: string;
		authorName: string;
		linkId: string | null;
	}): Promise<CheckpointInfo> {
		const state = this.#opts.state();
		this.#changed = false;
		this.#editors.clear();
		this.#lastCheckpointAt = this.#opts.now();
		const saving = this.#opts.store.saveCheckpoint({
			id: newCheckpointId(),
			boardId: this.#opts.id,
			state,
			...opts
		});
		this.#track(saving, 'checkpoint');
		return saving;
	}

	/**
	 * Folds the updates kept longer than `historyMs` into the history base (at most one fold at a
	 * time). Runs with every automatic checkpoint: hourly while a board changes, and when its
	 * people leave.
	 */
	pruneHistory(): Promise<void> {
		const keep = this.#opts.historyMs ?? 0;
		if (keep <= 0) return Promise.resolve();
		this.#folding ??= foldExpiredHistory(this.#opts.store, this.#opts.id, this.#opts.now() - keep)
			.then((folded) => {
				if (folded > 0) this.#opts.logger.debug({ folded }, 'history folded');
			})
			.finally(() => (this.#folding = null));
		this.#track(this.#folding, 'history');
		return this.#folding.catch(() => {});
	}

	/** Resolves once every history write started so far has finished (or failed). */
	async settle(): Promise<void> {
		// A checkpoint's write starts its pruning when it is done: wait for those too.
		while (this.#writes.size > 0) await Promise.allSettled([...this.#writes]);
	}

	#auto(reason: keyof typeof AUTO_REASONS): void {
		const names = [...this.#editors].join(', ');
		const authorName =
			names.length > MAX_AUTHOR_NAMES ? `${names.slice(0, MAX_AUTHOR_NAMES - 1)}…` : names;
		this.save({ kind: 'auto', name: AUTO_REASONS[reason], authorName, linkId: null }).then(
			(info) => {
				this.#opts.logger.debug({ checkpoint: info.id, reason }, 'automatic checkpoint');
				if (this.#opts.retentionMs > 0) {
					const before = this.#opts.now() - this.#opts.retentionMs;
					this.#track(this.#opts.store.pruneCheckpoints(this.#opts.id, before), 'old checkpoints');
				}
				this.pruneHistory();
			},
			() => {}
		);
	}

	#track(write: Promise<unknown>, what: string): void {
		const tracked = write.then(
			() => {},
			(err: unknown) => this.#opts.logger.error({ err }, `could not store the board's ${what}`)
		);
		this.#writes.add(tracked);
		void tracked.finally(() => this.#writes.delete(tracked));
	}
}
