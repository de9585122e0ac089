/**
 * A loaded board: its Y.Doc, the peers connected to it, and the dispatch of every message they
 * send. Each accepted update takes one path: apply -> append to the store (durable) -> broadcast
 * to every peer, the sender included (the stock client treats the echo as a keep-alive).
 *
 * The room's other concerns live beside it, each in its own file:
 *   room-persistence.ts  group commit through the CommitQueue, compaction
 *   room-presence.ts     awareness: who may set what, one throttled frame per change
 *   cold-load.ts         a compacted board answered from its stored snapshot before its doc is built
 *   encoded-state.ts     the full board encoded once per change, for joiners
 *   room-locks.ts        workshop locks: a participant's locked change is taken back at once
 *   room-facilitation.ts the facilitation channel (type 7): timer, lock commands, refusals
 *   room-votes.ts        the vote channel (message type 8): ballots, counts, results
 *   room-history.ts      who sent each edit, and automatic checkpoints
 *
 * Before answering a sync step 1 the room's accepted updates are made durable, so no client is
 * ever sent state that is not yet stored. Every refusal — an undecodable update, one that would
 * make the board too big — happens before the doc is touched, so the stored board is unchanged by
 * anything refused.
 *
 * A room ends in one place, close(reason): unloaded, deleted, or failed. It tells the peers (with
 * a named close code), runs every cleanup it gathered, and lets its owner (Rooms) forget it.
 */
import * as Y from 'yjs';
import type * as awarenessProtocol from 'y-protocols/awareness';
import { boardTitle, migrate } from '../../src/lib/model/index.ts';
import type { LockRefusal } from '../../src/lib/model/locks.ts';
import { CloseCode } from '../../src/lib/protocol/close-codes.ts';
import type { Role } from '../../src/lib/protocol/roles.ts';
import type { AuthorLog } from './author-log.ts';
import { ColdLoad } from './cold-load.ts';
import type { CommitQueue } from './commit-queue.ts';
import type { RelayLimits } from '../config.ts';
import { EncodedState } from './encoded-state.ts';
import type { Logger } from '../log.ts';
import type { RelayMetrics } from '../metrics.ts';
import type { Peer } from './peer.ts';
import { decodeMessage, encodeUpdate } from './protocol.ts';
import type { RoomHandle } from './room-handle.ts';
import { RoomPersistence } from './room-persistence.ts';
import { RoomHistory } from './room-history.ts';
import { RoomPresence } from './room-presence.ts';
import { RoomFacilitation } from './room-facilitation.ts';
import { RoomLocks } from './room-locks.ts';
import { RoomVotes } from './room-votes.ts';
import {
	StaleEpochError,
	type BoardHistory,
	type DocumentLog,
	type VoteLog
} from '../storage/types.ts';

/** An update Yjs could not decode or apply. The board is unchanged. */
export class BadUpdateError extends Error {
	override name = 'BadUpdateError';
}

/** An update that would grow the board past `maxBoardBytes`. The board is unchanged. */
export class BoardTooBigError extends Error {
	override name = 'BoardTooBigError';
}

export interface RoomOptions {
	id: string;
	store: DocumentLog & VoteLog & BoardHistory;
	logger: Logger;
	limits: RelayLimits;
	metrics: RelayMetrics;
	/** Batches this room's appends with every other room's of the same turn. */
	commits: CommitQueue;
	/** The relay's clock (the facilitation timer's). Defaults to Date.now. */
	now?: () => number;
	/** Records who sent edits, for every room together. */
	authors: AuthorLog;
	/** Called once when the room closes, whatever the reason: its owner forgets it. */
	onClosed?: (room: Room, reason: RoomCloseReason) => void;
	/**
	 * Cluster mode: sends a broadcast frame once to the peers on other relays (every peer marked
	 * `remote`), instead of once per peer.
	 */
	fanout?: (frame: Uint8Array) => void;
}

/**
 * Why a room closed. The first three are failures (the board is reloaded from the store on the
 * next join); 'superseded' is a cluster relay that no longer owns the board (another relay took
 * it over: the store refused a write for its stale epoch, or its lease was lost); the others are
 * the ends of a healthy room.
 */
export type RoomCloseReason = 'storage' | 'load' | 'reset' | 'unloaded' | 'deleted' | 'superseded';

/** The server itself as a peer: the origin of updates it applies (imports through the API). */
const SERVER: Peer = { id: 'server', send() {}, reply() {}, close() {} };

/** How the room's peers are told, when they must be. */
export interface CloseNotice {
	code: number;
	message: string;
	/** A peer its connection closes itself (the sender of an update that broke the room). */
	except?: Peer;
}

export class Room implements RoomHandle {
	readonly id: string;
	readonly doc: Y.Doc;
	readonly #log: Logger;
	readonly #limits: RelayLimits;
	readonly #metrics: RelayMetrics;
	readonly #onClosed: ((room: Room, reason: RoomCloseReason) => void) | undefined;
	/** Every cleanup the room needs, run once (last added, first run) by close(). */
	readonly #disposables: (() => void)[] = [];
	readonly #peers = new Set<Peer>();
	/** Peers on other relays (cluster mode), reached through #fanout for broadcasts. */
	#remotePeers = 0;
	readonly #fanout: ((frame: Uint8Array) => void) | undefined;
	readonly #state: EncodedState;
	readonly #persistence: RoomPersistence;
	readonly #presence: RoomPresence;
	readonly #votes: RoomVotes;
	readonly #cold: ColdLoad;
	readonly #locks: RoomLocks;
	readonly #facilitation: RoomFacilitation;
	readonly #history: RoomHistory;
	/** How long reading the board from the store took, reported with the replay. */
	readonly #readMs: number;
	#closedBecause: RoomCloseReason | null = null;

	private constructor(
		opts: RoomOptions,
		stored: { updates: Uint8Array[]; lastSeq: number; readMs: number }
	) {
		this.id = opts.id;
		this.doc = new Y.Doc();
		this.#log = opts.logger.child({ board: opts.id });
		this.#limits = opts.limits;
		this.#metrics = opts.metrics;
		this.#onClosed = opts.onClosed;
		this.#fanout = opts.fanout;
		this.#readMs = stored.readMs;
		// A board stored as one update (a compacted snapshot) is already the full-state encoding.
		const compacted = stored.updates.length === 1 && stored.lastSeq === 0;
		this.#state = new EncodedState(this.doc, {
			snapshot: compacted ? stored.updates[0] : undefined
		});
		this.#persistence = new RoomPersistence({
			id: opts.id,
			store: opts.store,
			commits: opts.commits,
			metrics: opts.metrics,
			logger: this.#log,
			compactEvery: opts.limits.compactEvery,
			lastSeq: stored.lastSeq,
			onCommitted: (merged) => {
				this.#broadcast(encodeUpdate(merged));
				this.#history.noteCommitted();
			},
			onFailed: (err) => {
				if (err instanceof StaleEpochError) {
					// Another relay owns the board now: nothing of ours may be stored or sent. The
					// clients reconnect and resync with the new owner, offering what they hold.
					this.#log.warn({ err }, 'the board was taken over; stepping down');
					this.close('superseded', {
						code: CloseCode.BOARD_MOVED,
						message: 'the board moved to another relay; reconnect'
					});
					return;
				}
				this.#log.error({ err }, 'could not persist an update; dropping the room');
				this.#metrics.errors.inc({ kind: 'storage' });
				this.close('storage', { code: CloseCode.INTERNAL_ERROR, message: 'storage failure' });
			},
			snapshot: () => {
				this.#cold.ensure();
				return { update: this.#state.full(), title: boardTitle(this.doc) };
			}
		});
		this.#presence = new RoomPresence({
			doc: this.doc,
			logger: this.#log,
			metrics: opts.metrics,
			broadcast: (frame) => this.#broadcast(frame)
		});
		this.#votes = new RoomVotes({
			boardId: opts.id,
			store: opts.store,
			logger: this.#log,
			metrics: opts.metrics,
			has: (collection, id) => {
				this.#ensureBuilt();
				return this.doc.getMap(collection).has(id);
			}
		});
		this.#history = new RoomHistory({
			id: opts.id,
			store: opts.store,
			authors: opts.authors,
			logger: this.#log,
			everyMs: opts.limits.checkpointEveryMs,
			retentionMs: opts.limits.checkpointRetentionMs,
			historyMs: opts.limits.historyRetentionMs,
			now: opts.now ?? Date.now,
			state: () => {
				this.#cold.ensure();
				return this.#state.full();
			},
			nameOf: (clientId) => presenceName(this.#presence.awareness.getStates().get(clientId))
		});
		this.#cold = new ColdLoad({
			updates: stored.updates,
			build: (updates, waiting) => this.#build(updates, waiting)
		});
		this.#locks = new RoomLocks(this.doc);
		this.#facilitation = new RoomFacilitation({
			locks: this.#locks,
			now: opts.now ?? Date.now,
			metrics: opts.metrics,
			logger: this.#log,
			ensureBuilt: () => this.#ensureBuilt()
		});
		this.doc.on('update', this.#onDocUpdate);
		this.#disposables.push(
			() => this.doc.destroy(),
			() => this.#presence.close(),
			() => this.#votes.close(),
			() => this.#cold.close(),
			() => this.#persistence.close(),
			() => this.doc.off('update', this.#onDocUpdate)
		);
	}

	/**
	 * Loads a stored board. Null when the board does not exist. A compacted board's doc is built
	 * later (cold-load.ts); one with a log to replay is built now.
	 */
	static async load(opts: RoomOptions): Promise<Room | null> {
		const started = performance.now();
		const stored = await opts.store.load(opts.id);
		if (!stored) return null;
		const readMs = performance.now() - started;
		const room = new Room(opts, { updates: stored.updates, lastSeq: stored.lastSeq, readMs });
		const compacted = stored.updates.length === 1 && stored.lastSeq === 0;
		if (!compacted) room.#ensureBuilt();
		return room;
	}

	get awareness(): awarenessProtocol.Awareness {
		return this.#presence.awareness;
	}

	/** Checkpoints and authors (room-history.ts). */
	get history(): RoomHistory {
		return this.#history;
	}

	get peerCount(): number {
		return this.#peers.size;
	}

	/** Why the room closed; null while it is open. */
	get closedBecause(): RoomCloseReason | null {
		return this.#closedBecause;
	}

	/** Timers the room still holds (0 once closed). */
	get timersPending(): number {
		return (this.#presence.timerPending ? 1 : 0) + (this.#cold.timerPending ? 1 : 0);
	}

	join(peer: Peer): void {
		if (this.#peers.has(peer)) return;
		this.#peers.add(peer);
		if (peer.remote) this.#remotePeers += 1;
		// Its step 1 waits for the doc, which waits for this joiner's reply (cold-load.ts).
		if (this.#cold.pending) this.#cold.wait(peer);
		else peer.send(this.#state.step1Frame());
		const presence = this.#presence.join(peer);
		if (presence) peer.reply(presence);
	}

	leave(peer: Peer): void {
		if (!this.#peers.delete(peer)) return;
		if (peer.remote) this.#remotePeers -= 1;
		this.#cold.forget(peer);
		this.#presence.leave(peer);
		this.#votes.leave(peer);
		this.#facilitation.leave(peer);
		if (this.#peers.size === 0 && !this.#closedBecause) this.#history.noteEmpty();
	}

	/**
	 * Handles one frame from `peer`. Throws ProtocolError, BadUpdateError or BoardTooBigError for
	 * input it refuses; the board is then unchanged.
	 */
	receive(peer: Peer, frame: Uint8Array): void {
		const message = decodeMessage(frame);
		this.#metrics.messagesIn.inc({ type: message.type });
		switch (message.type) {
			case 'sync-step1':
				// A new joiner gets the whole board, which a compacted board has without its doc.
				if (!EncodedState.isEmpty(message.stateVector)) this.#ensureBuilt();
				this.#answerStep1(peer, message.stateVector);
				return;
			case 'sync-step2':
			case 'update':
				if (peer.readOnly) {
					// A stock client may hold local edits from before it was a viewer and will keep
					// offering them: drop them without closing, or it would reconnect and offer again.
					this.#metrics.viewerUpdatesDropped.inc();
					this.#log.debug({ conn: peer.id, bytes: message.update.length }, 'viewer update dropped');
					return;
				}
				this.#applyUpdate(peer, message.update);
				return;
			case 'awareness':
				this.#presence.apply(peer, message.update);
				return;
			case 'query-awareness':
				peer.reply(this.#presence.all());
				return;
			case 'facilitation':
				this.#facilitation.receive(peer, message.json);
				return;
			case 'vote':
				this.#votes.receive(peer, message.payload);
				return;
		}
	}

	/**
	 * Makes every accepted update durable now, then broadcasts it. Normally the commit queue does
	 * this for every room at once at the end of the turn; a room flushes when it must be durable
	 * before it can answer. Resolves once written.
	 */
	flush(): Promise<void> {
		return this.#persistence.flush();
	}

	/** An update from the server itself for a link of `role` (an API import): see RoomHandle. */
	async apply(update: Uint8Array, role: Role): Promise<void> {
		const importer: Peer = { ...SERVER, id: 'api-import', grant: { linkId: 'api-import', role } };
		this.receive(importer, encodeUpdate(update));
		await this.flush();
	}

	/** Folds the update log into one snapshot (nothing to do when the store holds just that). */
	compact(): Promise<void> {
		return this.#persistence.compact();
	}

	/** Persists what is pending, compacts, and closes the room. Peers must already be gone. */
	async unload(): Promise<void> {
		if (this.#closedBecause) return;
		try {
			// A board that changed gets its automatic checkpoint even if its people never left
			// (a relay shutting down), and it is stored before the room lets go.
			this.#history.noteEmpty();
			await this.#history.settle();
			await this.compact();
		} finally {
			this.close('unloaded');
		}
	}

	/**
	 * The one way a room ends. Tells its peers (when `notice` says how), runs every cleanup —
	 * listeners, timers, presence, doc — and lets its owner forget it. Idempotent: the first
	 * reason wins.
	 */
	close(reason: RoomCloseReason, notice?: CloseNotice): void {
		if (this.#closedBecause) return;
		this.#closedBecause = reason;
		if (notice) {
			for (const peer of [...this.#peers]) {
				if (peer !== notice.except) peer.close(notice.code, notice.message);
			}
		}
		for (const dispose of this.#disposables.splice(0).reverse()) {
			try {
				dispose();
			} catch (err) {
				this.#log.error({ err }, 'a room cleanup failed');
			}
		}
		this.#onClosed?.(this, reason);
	}

	closeAll(code: number, reason: string): void {
		for (const peer of [...this.#peers]) peer.close(code, reason);
	}

	/** Builds the doc if it is not yet; throws (after closing the room) if the board is unreadable. */
	#ensureBuilt(): void {
		if (!this.#closedBecause) this.#cold.ensure();
	}

	/** Replays the stored board into the doc, then owes `waiting` the relay's step 1. */
	#build(updates: Uint8Array[], waiting: Peer[]): void {
		const started = performance.now();
		// Replay with no 'update' listener attached: with one, Yjs would encode the whole board once
		// more just to report the replay, which nobody needs.
		this.doc.off('update', this.#onDocUpdate);
		try {
			Y.transact(this.doc, () => {
				for (const update of updates) Y.applyUpdate(this.doc, update);
			});
		} catch (err) {
			this.#log.error({ err }, 'the stored board could not be loaded');
			this.#metrics.errors.inc({ kind: 'load' });
			this.close('load', { code: CloseCode.INTERNAL_ERROR, message: 'board unreadable' });
			throw err;
		} finally {
			if (!this.#closedBecause) this.doc.on('update', this.#onDocUpdate);
		}
		// Migration writes (if any) go through the normal path: appended, then broadcast.
		const migration = migrate(this.doc);
		this.#locks.load();
		if (migration.status === 'newer') {
			this.#log.warn({ schemaVersion: migration.from }, 'board was written by a newer Railyard');
		}
		const ms = this.#readMs + performance.now() - started;
		this.#metrics.loadSeconds.observe(ms / 1000);
		this.#log.debug({ updates: updates.length, ms: Math.round(ms) }, 'room loaded');
		for (const peer of waiting) peer.send(this.#state.step1Frame());
	}

	/**
	 * Sends `peer` what it lacks. Whatever it is sent must already be durable: the answer is
	 * computed now, from what the room has accepted so far, and sent once all of that is written.
	 */
	#answerStep1(peer: Peer, stateVector: Uint8Array): void {
		const cold = this.#cold.pending;
		const answer = this.#state.step2For(stateVector);
		const send = () => {
			if (this.#closedBecause || !this.#peers.has(peer)) return;
			if (cold) peer.reply(answer, () => this.#cold.later(0));
			else peer.reply(answer);
		};
		if (this.#persistence.settled) return send();
		// A failed write closes the room, and with it this peer: then nothing is sent.
		this.flush().then(send, () => {});
	}

	#applyUpdate(peer: Peer, update: Uint8Array): void {
		let decoded: ReturnType<typeof Y.decodeUpdate>;
		try {
			// Decode fully before touching the doc: a malformed update must change nothing.
			decoded = Y.decodeUpdate(update);
		} catch (err) {
			throw new BadUpdateError(`update could not be decoded: ${(err as Error).message}`);
		}
		this.#ensureBuilt();
		this.#checkSize(update);
		const store = this.doc.store;
		const mark = this.#persistence.pendingCount;
		const parked = { structs: store.pendingStructs?.update, ds: store.pendingDs };
		let refusal: LockRefusal | null;
		try {
			refusal = this.#locks.guard(peer, RoomFacilitation.facilitates(peer), () =>
				Y.applyUpdate(this.doc, update, peer)
			);
		} catch (err) {
			// Yjs can fail after decoding succeeded (a struct pointing at a client it lacks). Usually
			// it fails before changing anything; then only this update is refused.
			const touched =
				this.#persistence.pendingCount > mark ||
				store.pendingStructs?.update !== parked.structs ||
				store.pendingDs !== parked.ds;
			if (touched) {
				// It failed half-way: the doc holds part of this update. None of it may be stored or
				// sent, and the doc can no longer be trusted.
				this.#persistence.truncate(mark);
				this.#reset(peer, err);
			}
			throw new BadUpdateError(`update could not be applied: ${(err as Error).message}`);
		}
		if (refusal) this.#facilitation.refuse(peer, 'locked', refusal.message);
		this.#history.noteEdit(peer, decoded.structs);
	}

	#checkSize(update: Uint8Array): void {
		const max = this.#limits.maxBoardBytes;
		if (this.#state.sizeBound() + update.length <= max) return;
		// The bound is loose and the update may repeat what the board has: measure both.
		const novel = Y.diffUpdate(update, this.#state.stateVector());
		// Nothing new but deletions: that never grows a board, and must work on a full one.
		if (Y.decodeUpdate(novel).structs.length === 0) return;
		const size = this.#state.size();
		if (size + novel.length > max) {
			throw new BoardTooBigError(
				`the board would grow past ${max} bytes (it is ${size}, the update adds up to ${novel.length})`
			);
		}
	}

	/** Drops the room after an apply broke half-way; it is reloaded from the store on next join. */
	#reset(sender: Peer, err: unknown): void {
		this.#log.error({ err, conn: sender.id }, 'an update failed half-way; reloading the board');
		this.#metrics.errors.inc({ kind: 'room_reset' });
		// What others sent before it is sound: make it durable, but never compact the tainted doc
		// into a snapshot.
		this.#persistence.taint();
		void this.flush();
		this.close('reset', {
			code: CloseCode.INTERNAL_ERROR,
			message: 'board reset; reconnect',
			except: sender
		});
	}

	#onDocUpdate = (update: Uint8Array): void => {
		this.#state.invalidate(update);
		this.#persistence.push(update);
	};

	#broadcast(frame: Uint8Array): void {
		// One Buffer for every socket: ws would otherwise wrap the frame anew for each of them.
		const buffer = Buffer.isBuffer(frame)
			? frame
			: Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
		for (const peer of this.#peers) if (!peer.remote) peer.send(buffer);
		if (this.#remotePeers > 0) this.#fanout?.(frame);
	}
}

/** The display name in a presence state, '' when it has none. */
function presenceName(state: Record<string, unknown> | undefined): string {
	const user = state?.user as { name?: unknown } | undefined;
	return typeof user?.name === 'string' ? user.name.trim().slice(0, 40) : '';
}
