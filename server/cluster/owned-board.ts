/**
 * A board this relay owns, as the other relays reach it: their clients are RemotePeers in the
 * room, joined, fed and closed from the board's inbox stream, and everything the room sends them
 * goes out on the board's outbox stream, numbered. The room itself is the ordinary Room (one
 * relay's rules, limits, durability and presence, unchanged): it cannot tell a remote peer from a
 * local one, except that its broadcasts reach all remote peers through one outbox entry.
 */
import { classify } from '../sync/connection.ts';
import type { Logger } from '../log.ts';
import type { RelayMetrics } from '../metrics.ts';
import type { Peer, PeerGrant } from '../sync/peer.ts';
import type { Room } from '../sync/room.ts';
import type { Rooms } from '../sync/rooms.ts';
import { CloseCode } from '../../src/lib/protocol/close-codes.ts';
import { decodeInbox, encodeOutbox, type OutboxMessage, type SessionId } from './messages.ts';

type Unnumbered = OutboxMessage extends infer M
	? M extends OutboxMessage
		? Omit<M, 'owner' | 'seq'>
		: never
	: never;

/** A client on another relay, as the owner's room sees it. */
class RemotePeer implements Peer {
	readonly id: string;
	readonly remote = true;
	readonly readOnly: boolean;
	readonly grant?: PeerGrant;
	readonly session: SessionId;
	readonly #board: OwnedBoard;

	constructor(board: OwnedBoard, session: SessionId, readOnly: boolean, grant: PeerGrant | null) {
		this.#board = board;
		this.session = session;
		this.readOnly = readOnly;
		if (grant) this.grant = grant;
		this.id = `${session.relay}/${session.conn}`;
	}

	send(frame: Uint8Array): void {
		void this.#board.publish({ type: 'send', ...this.session, frame, reply: false });
	}

	reply(frame: Uint8Array, written?: () => void): void {
		const sent = this.#board.reply(this, frame);
		if (written) sent.then(written, () => {});
	}

	close(code: number, reason: string): void {
		void this.#board.publish({ type: 'close', ...this.session, code, reason });
		// Its relay may be gone and never say it left: forget it now.
		this.#board.forget(this);
	}
}

/**
 * A reply this large that several clients are sent as the very same bytes (the whole board, which
 * every joiner of a burst gets: encoded-state.ts caches it) goes into the outbox once, as a
 * `share`, and each client's copy as a reference to it: 150 joiners of a 2 MB board put 2 MB
 * through Redis, not 300 MB — which also kept the lease renewals queued behind it from lapsing.
 */
const SHARE_MIN_BYTES = 16 * 1024;

/**
 * A reader finds a lost outbox entry only by the number of a later one, so the last entries
 * before a board goes quiet would reach other relays' clients only with the board's next
 * message. This long after the last message (then this much longer, in case the first tip is
 * lost too) the owner publishes a `tip`: its newest number, nothing to deliver.
 */
export const TIP_AFTER_MS = [1_000, 5_000];

export class OwnedBoard {
	readonly id: string;
	readonly room: Room;
	readonly #rooms: Rooms;
	/** This tenure's lease value: what every message to and from this owner names. */
	readonly #owner: string;
	readonly #append: (entry: Uint8Array) => Promise<unknown>;
	readonly #log: Logger;
	readonly #metrics: RelayMetrics;
	readonly #peers = new Map<string, RemotePeer>();
	#seq = 0;
	/** The last frame published as a `share`, and its number. */
	#shared: { frame: Uint8Array; seq: number } | null = null;
	/**
	 * Per relay with remote peers here: the sequence number when the first of them (still here)
	 * opened. That relay has read the outbox without a break since before then, so it holds every
	 * `share` numbered after it.
	 */
	readonly #following = new Map<string, number>();
	#quiet: ReturnType<typeof setTimeout> | null = null;

	constructor(opts: {
		room: Room;
		rooms: Rooms;
		/** The lease value of this tenure. */
		owner: string;
		/** Appends to the board's outbox. */
		append: (entry: Uint8Array) => Promise<unknown>;
		logger: Logger;
		metrics: RelayMetrics;
	}) {
		this.id = opts.room.id;
		this.room = opts.room;
		this.#rooms = opts.rooms;
		this.#owner = opts.owner;
		this.#append = opts.append;
		this.#log = opts.logger.child({ board: this.id });
		this.#metrics = opts.metrics;
	}

	/** One inbox entry. Entries meant for another owner (a former or a later one) are ignored. */
	handle(entry: Uint8Array): void {
		const m = decodeInbox(entry);
		if (m.owner !== this.#owner) return;
		const key = `${m.relay}/${m.conn}`;
		if (m.type === 'open') {
			if (this.#peers.has(key)) return;
			const peer = new RemotePeer(this, { relay: m.relay, conn: m.conn }, m.readOnly, m.grant);
			this.#peers.set(key, peer);
			if (!this.#following.has(m.relay)) this.#following.set(m.relay, this.#seq);
			this.#rooms.join(this.room, peer);
			return;
		}
		if (m.type === 'apply') {
			const answer = (code: number, reason: string) =>
				void this.publish({ type: 'close', relay: m.relay, conn: m.conn, code, reason });
			this.room.apply(m.update, m.role).then(
				() => answer(CloseCode.NORMAL, 'applied'),
				(err: unknown) => answer(classify(err).code, (err as Error).message.slice(0, 120))
			);
			return;
		}
		const peer = this.#peers.get(key);
		if (m.type === 'leave') {
			if (peer) this.forget(peer);
			return;
		}
		if (!peer) {
			// A session this owner dropped (its relay's heartbeat lapsed): let the client start over.
			void this.publish({
				type: 'close',
				relay: m.relay,
				conn: m.conn,
				code: CloseCode.BOARD_MOVED,
				reason: 'session unknown to the owner; reconnect'
			});
			return;
		}
		try {
			this.room.receive(peer, m.frame);
		} catch (err) {
			// As connection.ts does for a local socket: only this client is closed.
			const { code, kind } = classify(err);
			this.#metrics.errors.inc({ kind });
			this.#log.warn({ err, conn: peer.id }, 'refused a forwarded frame');
			peer.close(code, (err as Error).message.slice(0, 120));
		}
	}

	/** Numbers and appends one message to the outbox; appends keep their order. */
	publish(m: Unnumbered): Promise<unknown> {
		const appended = this.#publish(m);
		this.#tipAfter(0);
		return appended;
	}

	/** Publishes a `tip` after TIP_AFTER_MS[stage] of quiet, while other relays follow. */
	#tipAfter(stage: number): void {
		if (this.#quiet) clearTimeout(this.#quiet);
		this.#quiet = null;
		const delay = TIP_AFTER_MS[stage];
		if (delay === undefined) return;
		this.#quiet = setTimeout(() => {
			this.#quiet = null;
			if (this.#following.size === 0) return;
			void this.#publish({ type: 'tip' });
			this.#tipAfter(stage + 1);
		}, delay);
		this.#quiet.unref();
	}

	#publish(m: Unnumbered): Promise<unknown> {
		this.#seq += 1;
		const entry = encodeOutbox({ ...m, owner: this.#owner, seq: this.#seq } as OutboxMessage);
		return this.#append(entry).catch((err: unknown) => {
			// A lost outbox entry is a gap the readers see in the numbering: they resync.
			this.#log.warn({ err }, 'could not publish to the outbox');
		});
	}

	/** A reply to one remote client: a large frame the last `share` carries goes by reference. */
	reply(peer: RemotePeer, frame: Uint8Array): Promise<unknown> {
		const { relay, conn } = peer.session;
		if (frame.length < SHARE_MIN_BYTES) {
			return this.publish({ type: 'send', relay, conn, frame, reply: true });
		}
		const since = this.#following.get(relay) ?? Infinity;
		const shared = this.#shared;
		if (!shared || shared.frame !== frame || shared.seq <= since) {
			void this.publish({ type: 'share', frame });
			this.#shared = { frame, seq: this.#seq };
		}
		return this.publish({ type: 'sendShared', relay, conn, ref: this.#shared!.seq });
	}

	broadcast(frame: Uint8Array): void {
		void this.publish({ type: 'broadcast', frame });
	}

	forget(peer: RemotePeer): void {
		if (this.#peers.get(peer.id) !== peer) return;
		this.#peers.delete(peer.id);
		const relay = peer.session.relay;
		if (![...this.#peers.values()].some((p) => p.session.relay === relay)) {
			this.#following.delete(relay);
		}
		this.#rooms.leave(this.room, peer);
	}

	/** The relays holding this board's remote peers. */
	relays(): Set<string> {
		return new Set([...this.#peers.values()].map((p) => p.session.relay));
	}

	/** A relay whose heartbeat lapsed: its clients are gone, and so is their presence. */
	dropRelay(relay: string): void {
		for (const peer of [...this.#peers.values()]) {
			if (peer.session.relay === relay) this.forget(peer);
		}
	}

	/** Tells every relay that this owner is done with the board: their clients reconnect. */
	end(code: number, reason: string): Promise<unknown> {
		this.#peers.clear();
		this.#following.clear();
		this.#shared = null;
		const ended = this.#publish({ type: 'end', code, reason });
		this.#tipAfter(TIP_AFTER_MS.length);
		return ended;
	}
}
