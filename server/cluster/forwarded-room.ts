/**
 * A board owned by another relay, as this relay's connections see it: a RoomHandle that forwards
 * each client's join, frames and leave to the owner's inbox, and hands the owner's outbox entries
 * to the clients they are for. The owner's numbering must have no gap (messages.ts): a missed
 * entry ends the board here, and its clients reconnect and resync.
 */
import { CloseCode } from '../../src/lib/protocol/close-codes.ts';
import type { Role } from '../../src/lib/protocol/roles.ts';
import type { Logger } from '../log.ts';
import type { Peer } from '../sync/peer.ts';
import { BadUpdateError, BoardTooBigError } from '../sync/room.ts';
import type { RoomHandle } from '../sync/room-handle.ts';
import { AwarenessEchoes } from './awareness-echoes.ts';
import { decodeOutbox, encodeInbox, type InboxMessage } from './messages.ts';

type Unaddressed = InboxMessage extends infer M
	? M extends InboxMessage
		? Omit<M, 'owner' | 'relay'>
		: never
	: never;

const MOVED = 'the board moved to another relay; try again';

export class ForwardedRoom implements RoomHandle {
	readonly id: string;
	/** The owner's lease value (relay and tenure), as read when this handle was made. */
	readonly owner: string;
	readonly openedAt = Date.now();
	readonly #token: string;
	readonly #append: (entry: Uint8Array) => Promise<unknown>;
	readonly #onEnded: (room: ForwardedRoom) => void;
	readonly #log: Logger;
	readonly #peers = new Map<string, Peer>();
	readonly #echoes = new AwarenessEchoes();
	#lastSeq = 0;
	#ended = false;
	#tail: Promise<unknown> = Promise.resolve();
	/** Imports sent to the owner and not yet answered, by request id. */
	readonly #applying = new Map<string, { resolve: () => void; reject: (err: Error) => void }>();
	#nextApply = 0;

	constructor(opts: {
		id: string;
		owner: string;
		/** This relay's token. */
		token: string;
		/** Appends to the board's inbox. */
		append: (entry: Uint8Array) => Promise<unknown>;
		/** Once, when it has no clients left or has ended: its relay forgets it. */
		onEnded: (room: ForwardedRoom) => void;
		logger: Logger;
	}) {
		this.id = opts.id;
		this.owner = opts.owner;
		this.#token = opts.token;
		this.#append = opts.append;
		this.#onEnded = opts.onEnded;
		this.#log = opts.logger.child({ board: opts.id, owner: opts.owner });
	}

	get ended(): boolean {
		return this.#ended;
	}

	get peerCount(): number {
		return this.#peers.size;
	}

	join(peer: Peer): void {
		if (this.#ended) {
			peer.close(CloseCode.BOARD_MOVED, 'the board moved to another relay; reconnect');
			return;
		}
		this.#peers.set(peer.id, peer);
		this.#send({
			type: 'open',
			conn: peer.id,
			readOnly: peer.readOnly === true,
			grant: peer.grant ?? null
		});
	}

	leave(peer: Peer): void {
		if (this.#peers.get(peer.id) !== peer) return;
		this.#peers.delete(peer.id);
		if (!this.#ended) this.#send({ type: 'leave', conn: peer.id });
		if (this.#peers.size === 0 && this.#applying.size === 0) this.#end();
	}

	receive(peer: Peer, frame: Uint8Array): void {
		if (this.#ended || this.#peers.get(peer.id) !== peer) return;
		if (this.#echoes.isEcho(frame)) return;
		this.#send({ type: 'frame', conn: peer.id, frame });
	}

	/** Sends an import to the owner; resolves once the owner has made it durable. */
	apply(update: Uint8Array, role: Role): Promise<void> {
		if (this.#ended) return Promise.reject(new Error(MOVED));
		const conn = `apply-${++this.#nextApply}`;
		return new Promise<void>((resolve, reject) => {
			this.#applying.set(conn, { resolve, reject });
			this.#send({ type: 'apply', conn, update, role });
		});
	}

	/** Resolves once every frame forwarded so far is in the owner's inbox. */
	flush(): Promise<void> {
		return this.#tail.then(() => {});
	}

	closeAll(code: number, reason: string): void {
		for (const peer of [...this.#peers.values()]) peer.close(code, reason);
	}

	/** One outbox entry of the board. */
	deliver(entry: Uint8Array): void {
		if (this.#ended) return;
		const m = decodeOutbox(entry);
		if (m.owner !== this.owner) return;
		if (m.seq <= this.#lastSeq) return;
		if (this.#lastSeq > 0 && m.seq !== this.#lastSeq + 1) {
			this.#log.warn({ expected: this.#lastSeq + 1, got: m.seq }, 'gap in the owner stream');
			return this.end(CloseCode.BOARD_MOVED, 'missed messages from the owner; reconnect');
		}
		this.#lastSeq = m.seq;
		switch (m.type) {
			case 'broadcast':
				this.#echoes.sent(m.frame);
				for (const peer of this.#peers.values()) peer.send(m.frame);
				return;
			case 'send': {
				if (m.relay !== this.#token) return;
				this.#echoes.sent(m.frame);
				const peer = this.#peers.get(m.conn);
				if (m.reply) peer?.reply(m.frame);
				else peer?.send(m.frame);
				return;
			}
			case 'close':
				if (m.relay !== this.#token) return;
				this.#peers.get(m.conn)?.close(m.code, m.reason);
				this.#answered(m.conn, m.code, m.reason);
				return;
			case 'end':
				return this.end(m.code, m.reason);
		}
	}

	/** The owner is gone or changed: every client here reconnects (and resyncs). */
	end(code: number, reason: string): void {
		if (this.#ended) return;
		this.closeAll(code, reason);
		this.#end();
	}

	/** The owner's answer to an import. */
	#answered(conn: string, code: number, reason: string): void {
		const pending = this.#applying.get(conn);
		if (!pending) return;
		this.#applying.delete(conn);
		if (code === CloseCode.NORMAL) pending.resolve();
		else if (code === CloseCode.BOARD_TOO_BIG) pending.reject(new BoardTooBigError(reason));
		else if (code === CloseCode.BAD_UPDATE) pending.reject(new BadUpdateError(reason));
		else pending.reject(new Error(reason));
	}

	#end(): void {
		if (this.#ended) return;
		this.#ended = true;
		for (const { reject } of this.#applying.values()) reject(new Error(MOVED));
		this.#applying.clear();
		this.#onEnded(this);
	}

	#send(m: Unaddressed): void {
		const entry = encodeInbox({ ...m, owner: this.owner, relay: this.#token } as InboxMessage);
		this.#tail = this.#append(entry).catch((err: unknown) => {
			// The owner would miss this client's frame: have the client start over.
			this.#log.warn({ err }, 'could not forward to the owner');
			this.end(CloseCode.BOARD_MOVED, 'could not reach the owner; reconnect');
		});
	}
}
