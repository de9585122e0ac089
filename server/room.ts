/**
 * A loaded board: its Y.Doc, awareness, the peers connected to it, and the path every accepted
 * update takes: apply -> append to the store (durable) -> broadcast to every peer, the sender
 * included (the stock client treats the echo as a keep-alive).
 *
 * Updates accepted in the same turn of the event loop are merged and written in one append (group
 * commit), then sent as one frame, encoded once for the whole room; awareness changes are likewise
 * gathered into one frame, at most every AWARENESS_BROADCAST_MS. Before answering a sync step 1
 * the room flushes, so no client is ever sent state that is not yet on disk.
 *
 * A compacted board (one stored snapshot) is not replayed into its doc before the first joiner is
 * answered: the snapshot already is the full-state reply, so after a restart the first person in
 * gets the board without waiting for Yjs to rebuild it. The doc is built once that reply has been
 * written out (REPLAY_FALLBACK_MS after the first join at the latest), or at once when something
 * needs its content (an update, a diff for a client that has part of the board).
 *
 * Joiners are answered from EncodedState (the full board encoded once per change), and every
 * refusal — an undecodable update, one that would make the board too big — happens before the doc
 * is touched, so the stored board is unchanged by anything refused.
 */
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { boardTitle, migrate } from '../src/lib/model/index.ts';
import {
	AwarenessOwners,
	decodeAwarenessEntries,
	encodeAwarenessEntries
} from './awareness-owners.ts';
import { CloseCode } from '../src/lib/protocol/close-codes.ts';
import type { CommitQueue, Committable } from './commit-queue.ts';
import type { RelayLimits } from './config.ts';
import { EncodedState } from './encoded-state.ts';
import type { Logger } from './log.ts';
import { secondsSince, type RelayMetrics } from './metrics.ts';
import type { Peer } from './peer.ts';
import { decodeMessage, encodeAwareness, encodeUpdate, ProtocolError } from './protocol.ts';
import type { DocumentLog } from './storage/types.ts';
import { viewerEntries } from './viewer-presence.ts';

/** An update Yjs could not decode or apply. The board is unchanged. */
/**
 * Awareness changes are broadcast at most this often per room. Every stock client re-sends each
 * awareness frame it receives, so the frame rate, not the room size, sets that echo traffic; 50 ms
 * still moves cursors at 20 fps.
 */
const AWARENESS_BROADCAST_MS = 50;

/**
 * A lazily loaded board's doc is built at the latest this long after its first join, for joiners
 * that never ask for the whole board (stock clients ask at once).
 */
const REPLAY_FALLBACK_MS = 1000;

export class BadUpdateError extends Error {
	override name = 'BadUpdateError';
}

/** An update that would grow the board past `maxBoardBytes`. The board is unchanged. */
export class BoardTooBigError extends Error {
	override name = 'BoardTooBigError';
}

export interface RoomOptions {
	id: string;
	store: DocumentLog;
	logger: Logger;
	limits: RelayLimits;
	metrics: RelayMetrics;
	/** Batches this room's appends with every other room's of the same turn. */
	commits: CommitQueue;
	/** Called once when the room closes, whatever the reason: its owner forgets it. */
	onClosed?: (room: Room, reason: RoomCloseReason) => void;
}

/**
 * Why a room closed. The first three are failures (the board is reloaded from the store on the
 * next join); the others are the ends of a healthy room.
 */
export type RoomCloseReason = 'storage' | 'load' | 'reset' | 'unloaded' | 'deleted';

/** How the room's peers are told, when they must be. */
export interface CloseNotice {
	code: number;
	message: string;
	/** A peer its connection closes itself (the sender of an update that broke the room). */
	except?: Peer;
}

export class Room implements Committable {
	readonly id: string;
	readonly doc: Y.Doc;
	readonly awareness: awarenessProtocol.Awareness;
	readonly #store: DocumentLog;
	readonly #log: Logger;
	readonly #limits: RelayLimits;
	readonly #metrics: RelayMetrics;
	readonly #onClosed: ((room: Room, reason: RoomCloseReason) => void) | undefined;
	/** Every cleanup the room needs, run once by close(). */
	readonly #disposables: (() => void)[] = [];
	readonly #commits: CommitQueue;
	readonly #peers = new Set<Peer>();
	readonly #owners: AwarenessOwners<Peer>;
	readonly #state: EncodedState;
	#pending: Uint8Array[] = [];
	/** Merged updates handed to the commit queue and not yet written (or refused). */
	#unconfirmed = 0;
	/** A compaction is under way (one at a time). */
	#compacting: Promise<void> | null = null;
	readonly #awarenessChanged = new Set<number>();
	#awarenessTimer: NodeJS.Timeout | null = null;
	#awarenessSentAt = 0;
	/** Every awareness state as one frame, for joiners; null when stale. */
	#awarenessFrame: Uint8Array | null = null;
	#lastSeq: number;
	#appendsSinceCompact = 0;
	/** Whether the store holds anything a compaction would fold (a log, or appends since). */
	#dirty: boolean;
	/** Stored updates not yet replayed into the doc (a lazily loaded board), else null. */
	#unreplayed: Uint8Array[] | null;
	#replayTimer: NodeJS.Timeout | null = null;
	/** Peers that joined before the doc was built: they get the relay's step 1 once it is. */
	readonly #awaitingStep1 = new Set<Peer>();
	/** How long reading the board from the store took, reported with the replay. */
	readonly #readMs: number;
	/** The doc holds part of an update that failed half-way: it must never be compacted. */
	#tainted = false;
	#destroyed = false;
	#closedBecause: RoomCloseReason | null = null;

	private constructor(
		opts: RoomOptions,
		stored: { updates: Uint8Array[]; lastSeq: number; readMs: number }
	) {
		this.id = opts.id;
		this.doc = new Y.Doc();
		this.#store = opts.store;
		this.#log = opts.logger.child({ board: opts.id });
		this.#limits = opts.limits;
		this.#metrics = opts.metrics;
		this.#onClosed = opts.onClosed;
		this.#commits = opts.commits;
		this.#lastSeq = stored.lastSeq;
		this.#dirty = stored.lastSeq > 0;
		this.#unreplayed = stored.updates;
		this.#readMs = stored.readMs;
		// A board stored as one update (a compacted snapshot) is already the full-state encoding.
		const snapshot =
			stored.updates.length === 1 && stored.lastSeq === 0 ? stored.updates[0] : undefined;
		this.#state = new EncodedState(this.doc, { snapshot });
		this.awareness = new awarenessProtocol.Awareness(this.doc);
		// The relay itself is not a participant, and no client may pose as it.
		this.awareness.setLocalState(null);
		this.#owners = new AwarenessOwners({
			reserved: [this.doc.clientID],
			known: (clientID) => {
				const meta = this.awareness.meta.get(clientID);
				return meta && { clock: meta.clock, present: this.awareness.states.has(clientID) };
			}
		});
		this.doc.on('update', this.#onDocUpdate);
		this.awareness.on('update', this.#onAwarenessUpdate);
		// Undone in reverse order by close(): listeners and timers first, so nothing re-arms a
		// timer while the awareness (its interval timer) and the doc are destroyed.
		this.#disposables.push(
			() => this.doc.destroy(),
			() => this.awareness.destroy(),
			() => {
				if (this.#replayTimer) clearTimeout(this.#replayTimer);
				this.#replayTimer = null;
			},
			() => {
				if (this.#awarenessTimer) clearTimeout(this.#awarenessTimer);
				this.#awarenessTimer = null;
			},
			() => this.awareness.off('update', this.#onAwarenessUpdate),
			() => this.doc.off('update', this.#onDocUpdate)
		);
	}

	/**
	 * Loads a stored board. Null when the board does not exist. A compacted board's doc is built
	 * later (see the header); one with a log to replay is built now.
	 */
	static async load(opts: RoomOptions): Promise<Room | null> {
		const started = performance.now();
		const stored = await opts.store.load(opts.id);
		if (!stored) return null;
		const readMs = performance.now() - started;
		const room = new Room(opts, { updates: stored.updates, lastSeq: stored.lastSeq, readMs });
		const compacted = stored.updates.length === 1 && stored.lastSeq === 0;
		if (!compacted) room.#ensureReplayed();
		return room;
	}

	#replaySoon(delayMs: number): void {
		if (!this.#unreplayed || this.#destroyed) return;
		if (this.#replayTimer) clearTimeout(this.#replayTimer);
		this.#replayTimer = setTimeout(() => {
			this.#replayTimer = null;
			try {
				this.#ensureReplayed();
			} catch {
				// Logged and handled there: every peer was closed and the room dropped.
			}
		}, delayMs);
		this.#replayTimer.unref();
	}

	/**
	 * Builds the doc from the stored updates, once. Throws (after dropping the room) if the
	 * stored board cannot be read.
	 */
	#ensureReplayed(): void {
		const updates = this.#unreplayed;
		if (!updates || this.#destroyed) return;
		this.#unreplayed = null;
		if (this.#replayTimer) clearTimeout(this.#replayTimer);
		this.#replayTimer = null;
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
			if (!this.#destroyed) this.doc.on('update', this.#onDocUpdate);
		}
		// Migration writes (if any) go through the normal path: appended, then broadcast.
		const migration = migrate(this.doc);
		if (migration.status === 'newer') {
			this.#log.warn({ schemaVersion: migration.from }, 'board was written by a newer Railyard');
		}
		const ms = this.#readMs + performance.now() - started;
		this.#metrics.loadSeconds.observe(ms / 1000);
		this.#log.debug({ updates: updates.length, ms: Math.round(ms) }, 'room loaded');
		for (const peer of this.#awaitingStep1) peer.send(this.#state.step1Frame());
		this.#awaitingStep1.clear();
	}

	get peerCount(): number {
		return this.#peers.size;
	}

	join(peer: Peer): void {
		this.#peers.add(peer);
		this.#owners.join(peer);
		if (this.#unreplayed) {
			// Its step 1 waits for the doc, which waits for this joiner's reply (see the header).
			this.#awaitingStep1.add(peer);
			if (!this.#replayTimer) this.#replaySoon(REPLAY_FALLBACK_MS);
		} else {
			peer.send(this.#state.step1Frame());
		}
		if (this.awareness.getStates().size > 0) peer.reply(this.#allAwareness());
	}

	leave(peer: Peer): void {
		if (!this.#peers.delete(peer)) return;
		this.#awaitingStep1.delete(peer);
		const { remove, handover } = this.#owners.release(peer);
		if (this.#destroyed) return;
		if (remove.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, remove, peer);
		for (const claim of handover) {
			const update = encodeAwarenessEntries([claim.entry]);
			awarenessProtocol.applyAwarenessUpdate(this.awareness, update, claim.peer);
		}
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
				if (!EncodedState.isEmpty(message.stateVector)) this.#ensureReplayed();
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
				this.#applyAwareness(peer, message.update);
				return;
			case 'query-awareness':
				peer.reply(this.#allAwareness());
				return;
		}
	}

	/**
	 * Sends `peer` what it lacks. Whatever it is sent must already be durable: the answer is
	 * computed now, from what the room has accepted so far, and sent once all of that is written.
	 */
	#answerStep1(peer: Peer, stateVector: Uint8Array): void {
		const lazy = this.#unreplayed !== null;
		const answer = this.#state.step2For(stateVector);
		const send = () => {
			if (this.#destroyed || !this.#peers.has(peer)) return;
			if (lazy) peer.reply(answer, () => this.#replaySoon(0));
			else peer.reply(answer);
		};
		if (this.#pending.length === 0 && this.#unconfirmed === 0) return send();
		// A failed write closes the room (commitFailed), and with it this peer: nothing to send.
		this.flush().then(send, () => {});
	}

	#applyUpdate(peer: Peer, update: Uint8Array): void {
		try {
			// Decode fully before touching the doc: a malformed update must change nothing.
			Y.decodeUpdate(update);
		} catch (err) {
			throw new BadUpdateError(`update could not be decoded: ${(err as Error).message}`);
		}
		this.#ensureReplayed();
		this.#checkSize(update);
		const store = this.doc.store;
		const mark = this.#pending.length;
		const parked = { structs: store.pendingStructs?.update, ds: store.pendingDs };
		try {
			Y.applyUpdate(this.doc, update, peer);
		} catch (err) {
			// Yjs can fail after decoding succeeded (a struct pointing at a client it lacks). Usually
			// it fails before changing anything; then only this update is refused.
			const touched =
				this.#pending.length > mark ||
				store.pendingStructs?.update !== parked.structs ||
				store.pendingDs !== parked.ds;
			if (touched) {
				// It failed half-way: the doc holds part of this update. None of it may be stored or
				// sent, and the doc can no longer be trusted.
				this.#pending.length = mark;
				this.#reset(peer, err);
			}
			throw new BadUpdateError(`update could not be applied: ${(err as Error).message}`);
		}
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
		this.#tainted = true;
		void this.flush();
		this.close('reset', {
			code: CloseCode.INTERNAL_ERROR,
			message: 'board reset; reconnect',
			except: sender
		});
	}

	#applyAwareness(peer: Peer, update: Uint8Array): void {
		const decoded = decodeAwarenessEntries(update);
		const entries = peer.readOnly ? viewerEntries(decoded) : decoded;
		const { allowed, dropped } = this.#owners.filter(peer, entries);
		if (dropped.length > 0) {
			for (const { reason } of dropped) this.#metrics.awarenessDropped.inc({ reason });
			this.#log.debug({ conn: peer.id, dropped }, 'dropped awareness entries');
		}
		if (allowed.length === 0) return;
		const filtered =
			allowed.length === entries.length && !peer.readOnly
				? update
				: encodeAwarenessEntries(allowed);
		try {
			awarenessProtocol.applyAwarenessUpdate(this.awareness, filtered, peer);
		} catch (err) {
			throw new ProtocolError(`bad awareness update: ${(err as Error).message}`);
		}
	}

	#allAwareness(): Uint8Array {
		this.#awarenessFrame ??= encodeAwareness(
			awarenessProtocol.encodeAwarenessUpdate(this.awareness, [
				...this.awareness.getStates().keys()
			])
		);
		return this.#awarenessFrame;
	}

	#onDocUpdate = (update: Uint8Array): void => {
		this.#state.invalidate(update);
		this.#pending.push(update);
		if (this.#pending.length === 1) this.#commits.schedule(this);
	};

	#onAwarenessUpdate = (change: { added: number[]; updated: number[]; removed: number[] }) => {
		if (this.#destroyed) return;
		this.#awarenessFrame = null;
		for (const id of change.added) this.#awarenessChanged.add(id);
		for (const id of change.updated) this.#awarenessChanged.add(id);
		for (const id of change.removed) this.#awarenessChanged.add(id);
		if (!this.#awarenessTimer && this.#awarenessChanged.size > 0) {
			const wait = this.#awarenessSentAt + AWARENESS_BROADCAST_MS - performance.now();
			this.#awarenessTimer = setTimeout(this.#flushAwareness, Math.max(0, wait));
		}
	};

	/** One frame for every awareness change since the last, however many messages caused them. */
	#flushAwareness = (): void => {
		this.#awarenessTimer = null;
		this.#awarenessSentAt = performance.now();
		if (this.#destroyed || this.#awarenessChanged.size === 0) return;
		const changed = [...this.#awarenessChanged];
		this.#awarenessChanged.clear();
		if (this.#peers.size === 0) return;
		this.#broadcast(
			encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed))
		);
	};

	#broadcast(frame: Uint8Array): void {
		for (const peer of this.#peers) peer.send(frame);
	}

	/**
	 * Makes every accepted update durable now, then broadcasts it. Normally the commit queue does
	 * this for every room at once at the end of the turn; a room flushes itself when it must be
	 * durable before it can answer. Resolves once written.
	 */
	flush(): Promise<void> {
		return this.#commits.flush();
	}

	takePending(): Uint8Array | null {
		if (this.#pending.length === 0 || this.#destroyed) return null;
		const batch = this.#pending;
		this.#pending = [];
		this.#unconfirmed += 1;
		return batch.length === 1 ? (batch[0] as Uint8Array) : Y.mergeUpdates(batch);
	}

	/** Durable now: broadcast it, and compact every `compactEvery` appends. */
	committed(merged: Uint8Array, seq: number): void {
		this.#unconfirmed -= 1;
		this.#lastSeq = seq;
		this.#dirty = true;
		this.#appendsSinceCompact += 1;
		if (this.#destroyed) return;
		this.#broadcast(encodeUpdate(merged));
		if (this.#appendsSinceCompact >= this.#limits.compactEvery) {
			this.compact().catch((err: unknown) => this.#log.error({ err }, 'compaction failed'));
		}
	}

	/**
	 * The store failed: nothing is broadcast. Every peer is disconnected so it resyncs (each still
	 * holds its own edits) and the room is dropped, to be reloaded from what the store really has.
	 */
	commitFailed(err: Error): void {
		this.#unconfirmed -= 1;
		if (this.#destroyed) return;
		this.#log.error({ err }, 'could not persist an update; dropping the room');
		this.#metrics.errors.inc({ kind: 'storage' });
		this.close('storage', { code: CloseCode.INTERNAL_ERROR, message: 'storage failure' });
	}

	/** Folds the update log into one snapshot (nothing to do when the store holds just that). */
	compact(): Promise<void> {
		this.#compacting ??= this.#compact().finally(() => (this.#compacting = null));
		return this.#compacting;
	}

	async #compact(): Promise<void> {
		if (this.#destroyed || this.#tainted) return;
		await this.flush();
		if (!this.#dirty || this.#destroyed || this.#tainted) return;
		this.#ensureReplayed();
		// The snapshot holds everything committed so far, so it covers the log up to #lastSeq
		// (anything accepted since is in it too, or in the log after it: replaying both is harmless).
		const snapshot = this.#state.full();
		const uptoSeq = this.#lastSeq;
		const title = boardTitle(this.doc);
		const appends = this.#appendsSinceCompact;
		await this.#commits.run(async () => {
			const started = performance.now();
			await this.#store.compact(this.id, snapshot, uptoSeq, title);
			this.#metrics.compactSeconds.observe(secondsSince(started));
			this.#log.debug({ ms: Math.round(performance.now() - started) }, 'compacted');
		});
		this.#appendsSinceCompact -= appends;
		this.#dirty = this.#lastSeq > uptoSeq;
	}

	/** Persists what is pending, compacts, and closes the room. Peers must already be gone. */
	async unload(): Promise<void> {
		if (this.#destroyed) return;
		try {
			await this.compact();
		} finally {
			this.close('unloaded');
		}
	}

	/**
	 * The one way a room ends. Tells its peers (when `notice` says how), runs every cleanup —
	 * timers, awareness, doc — and lets its owner forget it. Idempotent: the first reason wins.
	 */
	close(reason: RoomCloseReason, notice?: CloseNotice): void {
		if (this.#destroyed) return;
		this.#destroyed = true;
		this.#closedBecause = reason;
		this.#pending = [];
		if (notice) {
			for (const peer of [...this.#peers]) {
				if (peer !== notice.except) peer.close(notice.code, notice.message);
			}
		}
		this.#awaitingStep1.clear();
		for (const dispose of this.#disposables.splice(0).reverse()) {
			try {
				dispose();
			} catch (err) {
				this.#log.error({ err }, 'a room cleanup failed');
			}
		}
		this.#onClosed?.(this, reason);
	}

	/** Why the room closed; null while it is open. */
	get closedBecause(): RoomCloseReason | null {
		return this.#closedBecause;
	}

	/** Timers the room still holds (0 once closed). */
	get timersPending(): number {
		return (this.#awarenessTimer ? 1 : 0) + (this.#replayTimer ? 1 : 0);
	}

	closeAll(code: number, reason: string): void {
		for (const peer of [...this.#peers]) peer.close(code, reason);
	}
}
