/**
 * A loaded board: its Y.Doc, awareness, the peers connected to it, and the path every accepted
 * update takes: apply -> append to the store (durable) -> broadcast to every peer, the sender
 * included (the stock client treats the echo as a keep-alive).
 *
 * Updates accepted in the same turn of the event loop are merged and written in one append (group
 * commit), then sent as one frame, encoded once for the whole room. Before answering a sync step 1
 * the room flushes, so no client is ever sent state that is not yet on disk.
 */
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { boardTitle, migrate } from '../src/lib/model/index.ts';
import { CloseCode } from './close-codes.ts';
import type { RelayLimits } from './config.ts';
import type { Logger } from './log.ts';
import type { Peer } from './peer.ts';
import {
	decodeMessage,
	encodeAwareness,
	encodeSyncStep1,
	encodeSyncStep2,
	encodeUpdate,
	ProtocolError
} from './protocol.ts';
import type { BoardStore } from './storage/types.ts';

/** Origin of the transaction that replays the stored board into a fresh doc. */
const LOADING = Symbol('loading');

export class BadUpdateError extends Error {
	override name = 'BadUpdateError';
}

export interface RoomOptions {
	id: string;
	store: BoardStore;
	logger: Logger;
	limits: RelayLimits;
	/** Called when the room cannot persist and must be dropped from memory. */
	onBroken?: (room: Room) => void;
}

export class Room {
	readonly id: string;
	readonly doc = new Y.Doc();
	readonly awareness: awarenessProtocol.Awareness;
	readonly #store: BoardStore;
	readonly #log: Logger;
	readonly #limits: RelayLimits;
	readonly #onBroken: ((room: Room) => void) | undefined;
	/** Each peer with the awareness client ids it introduced. */
	readonly #peers = new Map<Peer, Set<number>>();
	#pending: Uint8Array[] = [];
	#flushQueued = false;
	#lastSeq = 0;
	#appendsSinceCompact = 0;
	#destroyed = false;

	private constructor(opts: RoomOptions) {
		this.id = opts.id;
		this.#store = opts.store;
		this.#log = opts.logger.child({ board: opts.id });
		this.#limits = opts.limits;
		this.#onBroken = opts.onBroken;
		this.awareness = new awarenessProtocol.Awareness(this.doc);
		// The relay itself is not a participant.
		this.awareness.setLocalState(null);
		this.doc.on('update', this.#onDocUpdate);
		this.awareness.on('update', this.#onAwarenessUpdate);
	}

	/** Loads a stored board. Null when the board does not exist. */
	static load(opts: RoomOptions): Room | null {
		const stored = opts.store.load(opts.id);
		if (!stored) return null;
		const room = new Room(opts);
		const started = performance.now();
		Y.transact(
			room.doc,
			() => {
				for (const update of stored.updates) Y.applyUpdate(room.doc, update, LOADING);
			},
			LOADING
		);
		room.#lastSeq = stored.lastSeq;
		const migration = migrate(room.doc);
		if (migration.status === 'newer') {
			room.#log.warn({ schemaVersion: migration.from }, 'board was written by a newer Railyard');
		}
		room.#log.debug(
			{ updates: stored.updates.length, ms: Math.round(performance.now() - started) },
			'room loaded'
		);
		return room;
	}

	get peerCount(): number {
		return this.#peers.size;
	}

	join(peer: Peer): void {
		this.#peers.set(peer, new Set());
		peer.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
		if (this.awareness.getStates().size > 0) {
			const clients = [...this.awareness.getStates().keys()];
			peer.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients)));
		}
	}

	leave(peer: Peer): void {
		const clients = this.#peers.get(peer);
		this.#peers.delete(peer);
		if (clients && clients.size > 0) {
			awarenessProtocol.removeAwarenessStates(this.awareness, [...clients], peer);
		}
	}

	/** Handles one frame from `peer`. Throws ProtocolError / BadUpdateError for bad input. */
	receive(peer: Peer, frame: Uint8Array): void {
		const message = decodeMessage(frame);
		switch (message.type) {
			case 'sync-step1': {
				// Whatever the peer is about to be sent must already be durable.
				this.flush();
				let update: Uint8Array;
				try {
					update = Y.encodeStateAsUpdate(this.doc, message.stateVector);
				} catch (err) {
					throw new ProtocolError(`bad state vector: ${(err as Error).message}`);
				}
				peer.send(encodeSyncStep2(update));
				return;
			}
			case 'sync-step2':
			case 'update':
				this.#applyUpdate(peer, message.update);
				return;
			case 'awareness':
				try {
					awarenessProtocol.applyAwarenessUpdate(this.awareness, message.update, peer);
				} catch (err) {
					throw new ProtocolError(`bad awareness update: ${(err as Error).message}`);
				}
				return;
			case 'query-awareness': {
				const clients = [...this.awareness.getStates().keys()];
				peer.send(
					encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients))
				);
				return;
			}
		}
	}

	#applyUpdate(peer: Peer, update: Uint8Array): void {
		try {
			// Decode fully before touching the doc: a malformed update must change nothing.
			Y.decodeUpdate(update);
		} catch (err) {
			throw new BadUpdateError(`update could not be decoded: ${(err as Error).message}`);
		}
		Y.applyUpdate(this.doc, update, peer);
	}

	#onDocUpdate = (update: Uint8Array, origin: unknown): void => {
		if (origin === LOADING) return;
		this.#pending.push(update);
		if (!this.#flushQueued) {
			this.#flushQueued = true;
			setImmediate(() => this.flush());
		}
	};

	#onAwarenessUpdate = (
		change: { added: number[]; updated: number[]; removed: number[] },
		origin: unknown
	): void => {
		const clients = this.#peers.get(origin as Peer);
		if (clients) {
			for (const id of change.added) clients.add(id);
			for (const id of change.removed) clients.delete(id);
		}
		const changed = [...change.added, ...change.updated, ...change.removed];
		if (changed.length === 0 || this.#peers.size === 0) return;
		this.#broadcast(
			encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed))
		);
	};

	#broadcast(frame: Uint8Array): void {
		for (const peer of this.#peers.keys()) peer.send(frame);
	}

	/**
	 * Makes every accepted update durable, then broadcasts it. If the store fails, nothing is
	 * broadcast: every peer is disconnected so it resyncs (each still holds its own edits) and
	 * the room is dropped, to be reloaded from what the store really has.
	 */
	flush(): void {
		this.#flushQueued = false;
		if (this.#pending.length === 0 || this.#destroyed) return;
		const batch = this.#pending;
		this.#pending = [];
		const merged = batch.length === 1 ? (batch[0] as Uint8Array) : Y.mergeUpdates(batch);
		try {
			this.#lastSeq = this.#store.append(this.id, [merged]);
		} catch (err) {
			this.#log.error({ err }, 'could not persist an update; dropping the room');
			for (const peer of [...this.#peers.keys()]) {
				peer.close(CloseCode.INTERNAL_ERROR, 'storage failure');
			}
			this.#destroyed = true;
			this.#onBroken?.(this);
			return;
		}
		this.#broadcast(encodeUpdate(merged));
		this.#appendsSinceCompact += 1;
		if (this.#appendsSinceCompact >= this.#limits.compactEvery) this.compact();
	}

	/** Folds the update log into one snapshot. */
	compact(): void {
		if (this.#destroyed) return;
		this.flush();
		const started = performance.now();
		this.#store.compact(
			this.id,
			Y.encodeStateAsUpdate(this.doc),
			this.#lastSeq,
			boardTitle(this.doc)
		);
		this.#appendsSinceCompact = 0;
		this.#log.debug({ ms: Math.round(performance.now() - started) }, 'compacted');
	}

	/** Persists what is pending, compacts, and frees the doc. Peers must already be gone. */
	unload(): void {
		if (this.#destroyed) return;
		try {
			this.compact();
		} finally {
			this.#destroyed = true;
			this.awareness.destroy();
			this.doc.destroy();
		}
	}

	closeAll(code: number, reason: string): void {
		for (const peer of [...this.#peers.keys()]) peer.close(code, reason);
	}
}
