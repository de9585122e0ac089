/**
 * A room's presence (awareness): who may set which awareness ids, viewers' fields filtered, and
 * every change since the last broadcast gathered into one frame, sent at most every
 * AWARENESS_BROADCAST_MS. Every stock client re-sends each awareness frame it receives, so the
 * frame rate, not the room size, sets that echo traffic; 50 ms still moves cursors at 20 fps.
 */
import type * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import {
	AwarenessOwners,
	decodeAwarenessEntries,
	encodeAwarenessEntries
} from './awareness-owners.ts';
import type { Logger } from './log.ts';
import type { RelayMetrics } from './metrics.ts';
import type { Peer } from './peer.ts';
import { encodeAwareness, ProtocolError } from './protocol.ts';
import { viewerEntries } from './viewer-presence.ts';

export const AWARENESS_BROADCAST_MS = 50;

export class RoomPresence {
	readonly awareness: awarenessProtocol.Awareness;
	readonly #owners: AwarenessOwners<Peer>;
	readonly #log: Logger;
	readonly #metrics: RelayMetrics;
	readonly #broadcast: (frame: Uint8Array) => void;
	readonly #changed = new Set<number>();
	#timer: NodeJS.Timeout | null = null;
	#sentAt = 0;
	/** Every awareness state as one frame, for joiners; null when stale. */
	#frame: Uint8Array | null = null;
	#closed = false;

	constructor(opts: {
		doc: Y.Doc;
		logger: Logger;
		metrics: RelayMetrics;
		/** Sends a frame to every peer of the room. */
		broadcast: (frame: Uint8Array) => void;
	}) {
		this.#log = opts.logger;
		this.#metrics = opts.metrics;
		this.#broadcast = opts.broadcast;
		this.awareness = new awarenessProtocol.Awareness(opts.doc);
		// The relay itself is not a participant, and no client may pose as it.
		this.awareness.setLocalState(null);
		this.#owners = new AwarenessOwners({
			reserved: [opts.doc.clientID],
			known: (clientID) => {
				const meta = this.awareness.meta.get(clientID);
				return meta && { clock: meta.clock, present: this.awareness.states.has(clientID) };
			}
		});
		this.awareness.on('update', this.#onUpdate);
	}

	/** A joiner: what it is owed is every present state, if anyone is present. */
	join(peer: Peer): Uint8Array | null {
		this.#owners.join(peer);
		return this.awareness.getStates().size > 0 ? this.all() : null;
	}

	/** Removes what `peer` set, or hands an id over to a peer that claimed it too. */
	leave(peer: Peer): void {
		const { remove, handover } = this.#owners.release(peer);
		if (this.#closed) return;
		if (remove.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, remove, peer);
		for (const claim of handover) {
			const update = encodeAwarenessEntries([claim.entry]);
			awarenessProtocol.applyAwarenessUpdate(this.awareness, update, claim.peer);
		}
	}

	/** Applies an awareness message from `peer`, keeping only what it may set. */
	apply(peer: Peer, update: Uint8Array): void {
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

	/** Every present state, as one frame (encoded once per change). */
	all(): Uint8Array {
		this.#frame ??= encodeAwareness(
			awarenessProtocol.encodeAwarenessUpdate(this.awareness, [
				...this.awareness.getStates().keys()
			])
		);
		return this.#frame;
	}

	get timerPending(): boolean {
		return this.#timer !== null;
	}

	/** Stops broadcasting and frees the awareness (and its interval timer). */
	close(): void {
		if (this.#closed) return;
		this.#closed = true;
		this.awareness.off('update', this.#onUpdate);
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		this.awareness.destroy();
	}

	#onUpdate = (change: { added: number[]; updated: number[]; removed: number[] }) => {
		if (this.#closed) return;
		this.#frame = null;
		for (const id of change.added) this.#changed.add(id);
		for (const id of change.updated) this.#changed.add(id);
		for (const id of change.removed) this.#changed.add(id);
		if (!this.#timer && this.#changed.size > 0) {
			const wait = this.#sentAt + AWARENESS_BROADCAST_MS - performance.now();
			this.#timer = setTimeout(this.#flush, Math.max(0, wait));
		}
	};

	/** One frame for every change since the last, however many messages caused them. */
	#flush = (): void => {
		this.#timer = null;
		this.#sentAt = performance.now();
		if (this.#closed || this.#changed.size === 0) return;
		const changed = [...this.#changed];
		this.#changed.clear();
		this.#broadcast(
			encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed))
		);
	};
}
