/**
 * A board owned by another relay, as this relay's connections see it: a RoomHandle that forwards
 * each client's join, frames and leave to the owner's inbox, and hands the owner's outbox entries
 * to the clients they are for, in the owner's numbering (messages.ts).
 *
 * A gap in that numbering (an entry this relay's reader did not get, or one the owner numbered but
 * could not append) is repaired, not resynced: delivery holds, the missing entries are read back
 * from the stream (XRANGE between the entries on either side of the gap) and delivered in order;
 * if the stream no longer has them all, every client here gets the board as PostgreSQL holds it
 * (one sync step 2: everything the owner broadcast was durable first, so nothing is missing from
 * it and nothing in it is not durable), and a sync step 1 standing in for a lost one, and every
 * import waiting for its answer here fails as MOVED (#resyncFromDurable). Only when that fails
 * too do the clients reconnect.
 */
import * as Y from 'yjs';
import { CloseCode } from '../../src/lib/protocol/close-codes.ts';
import type { Role } from '../../src/lib/protocol/roles.ts';
import type { Logger } from '../log.ts';
import type { Peer } from '../sync/peer.ts';
import { BadUpdateError, BoardTooBigError } from '../sync/room.ts';
import type { RoomHandle } from '../sync/room-handle.ts';
import { AwarenessEchoes } from './awareness-echoes.ts';
import { encodeSyncStep1, encodeSyncStep2 } from '../sync/protocol.ts';
import { decodeOutbox, encodeInbox, type InboxMessage, type OutboxMessage } from './messages.ts';

/** Where a gap in the owner's numbering is read back from. */
export interface GapRepair {
	/** The board's outbox entries strictly between two stream ids, if the stream still has them. */
	range(after: string, before: string): Promise<[id: string, entry: Uint8Array][]>;
	/** The board as durable now, as one update; null for a board that is gone. */
	durable(): Promise<Uint8Array | null>;
}

type Unaddressed = InboxMessage extends infer M
	? M extends InboxMessage
		? Omit<M, 'owner' | 'relay'>
		: never
	: never;

const MOVED = 'the board moved to another relay; try again';

/** An import or restore sent through this relay got no answer: the board moved on without it. */
export class BoardMovedError extends Error {
	override name = 'BoardMovedError';
}

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
	/** Whether #lastSeq is known (else the first entry sets it). */
	#counting = false;
	/** The stream id of the last outbox entry handed to deliver. */
	#lastId = '';
	readonly #repair: GapRepair | undefined;
	/** Entries that came while a gap was being repaired: delivered after it, in order. */
	#held: [entry: Uint8Array, id: string][] | null = null;
	#ended = false;
	#tail: Promise<unknown> = Promise.resolve();
	/** The owner's last `share` entries (normally one), by number. */
	readonly #shares = new Map<number, Uint8Array>();
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
		/** How to fill a gap; without it, a gap ends the board here and its clients resync. */
		repair?: GapRepair;
		/**
		 * The outbox's last entry when this relay started reading it: the owner's first entry to
		 * deliver is the one numbered after it (or 1, if it is another owner's), so even a first
		 * entry missed (the sync reply to the first client) is a gap. Without it, the first entry
		 * read sets the count.
		 */
		after?: { id: string; entry: Uint8Array | null };
		logger: Logger;
	}) {
		this.#repair = opts.repair;
		if (opts.after) {
			this.#counting = true;
			this.#lastId = opts.after.id;
			const m = opts.after.entry && decodeOutbox(opts.after.entry);
			if (m && m.owner === opts.owner) this.#lastSeq = m.seq;
		}
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
		if (this.#ended) return Promise.reject(new BoardMovedError(MOVED));
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

	/** One outbox entry of the board, with its stream id. */
	deliver(entry: Uint8Array, id = ''): void {
		if (this.#ended) return;
		if (this.#held) this.#held.push([entry, id]);
		else this.#take(entry, id);
	}

	#take(entry: Uint8Array, id: string): void {
		const m = decodeOutbox(entry);
		const previousId = this.#lastId;
		if (id) this.#lastId = id;
		if (m.owner !== this.owner) return;
		if (m.seq <= this.#lastSeq) return;
		if ((this.#counting || this.#lastSeq > 0) && m.seq !== this.#lastSeq + 1) {
			if (!this.#repair || !id || !previousId) {
				this.#log.warn({ expected: this.#lastSeq + 1, got: m.seq }, 'gap in the owner stream');
				return this.end(CloseCode.BOARD_MOVED, 'missed messages from the owner; reconnect');
			}
			// Hold everything from here on (this entry first) until the gap is filled.
			this.#held = [[entry, id]];
			void this.#fill(this.#repair, previousId, id, m.seq);
			return;
		}
		this.#lastSeq = m.seq;
		this.#dispatch(m);
	}

	/** Delivers what is missing before `upto` (the entry at stream id `before`), then the held. */
	async #fill(repair: GapRepair, after: string, before: string, upto: number): Promise<void> {
		const from = this.#lastSeq + 1;
		try {
			const found = new Map<number, OutboxMessage>();
			for (const [, entry] of await repair.range(after, before)) {
				const m = decodeOutbox(entry);
				if (m.owner === this.owner && m.seq >= from && m.seq < upto) found.set(m.seq, m);
			}
			if (this.#ended) return;
			if (found.size === upto - from) {
				this.#log.info({ from, to: upto - 1 }, 'gap in the owner stream filled from the stream');
			} else {
				// Not all in the stream any more: what it has, then the board as it is durable.
				const update = await repair.durable();
				if (this.#ended) return;
				if (!update) throw new Error('the board is gone');
				for (let seq = from; seq < upto && !this.#ended; seq++) {
					const m = found.get(seq);
					if (m) this.#dispatch(m);
				}
				if (this.#ended) return;
				this.#lastSeq = upto - 1;
				this.#log.warn(
					{ from, to: upto - 1, inStream: found.size, applying: this.#applying.size },
					'gap in the owner stream filled from the database'
				);
				this.#resyncFromDurable(update);
				if (this.#ended) return;
			}
			for (let seq = from; seq < upto && this.#lastSeq < upto - 1; seq++) {
				this.#lastSeq = seq;
				this.#dispatch(found.get(seq)!);
				if (this.#ended) return;
			}
		} catch (err) {
			this.#log.warn({ err, from, to: upto - 1 }, 'could not fill a gap in the owner stream');
			this.end(CloseCode.BOARD_MOVED, 'missed messages from the owner; reconnect');
			return;
		}
		const held = this.#held ?? [];
		this.#held = null;
		while (held.length > 0 && !this.#ended) {
			const [entry, id] = held.shift()!;
			this.#take(entry, id);
			// Another gap: what is left waits behind it.
			if (this.#held) {
				(this.#held as [Uint8Array, string][]).push(...held);
				return;
			}
		}
	}

	/**
	 * Stands in for outbox entries lost for good. Broadcasts are covered by the board as durable
	 * (sync step 2). Entries for one connection are not: an owner's sync step 1 to a joiner (without
	 * it the client never uploads what it holds offline), so every client is sent a step 1 too and
	 * answers with what the board lacks — an answer that also reaches the owner for a session it
	 * has dropped, which it then closes ("session unknown"), standing in for a lost `close`. The
	 * owner's answer to an import (also a `close`) may be among the lost: every import waiting
	 * here fails as MOVED, which its HTTP caller reports (importing again is idempotent). A link
	 * revoked is not a `close` from the owner: the relay holding the socket re-checks its links.
	 */
	#resyncFromDurable(update: Uint8Array): void {
		const step2 = encodeSyncStep2(update);
		const step1 = encodeSyncStep1(Y.encodeStateVectorFromUpdate(update));
		for (const peer of this.#peers.values()) {
			peer.reply(step2);
			peer.reply(step1);
		}
		const applying = [...this.#applying.values()];
		this.#applying.clear();
		for (const { reject } of applying) reject(new BoardMovedError(MOVED));
		if (this.#peers.size === 0) this.#end();
	}

	#dispatch(m: OutboxMessage): void {
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
			case 'share':
				this.#shares.set(m.seq, m.frame);
				while (this.#shares.size > 2) this.#shares.delete(this.#shares.keys().next().value!);
				return;
			case 'sendShared': {
				if (m.relay !== this.#token) return;
				const peer = this.#peers.get(m.conn);
				if (!peer) return;
				const frame = this.#shares.get(m.ref);
				if (frame) return peer.reply(frame);
				// Shared before this relay read the outbox (the owner thought otherwise): the board
				// as durable is at least as new as what was shared.
				void this.#replyDurable(peer);
				return;
			}
			case 'close':
				if (m.relay !== this.#token) return;
				this.#peers.get(m.conn)?.close(m.code, m.reason);
				this.#answered(m.conn, m.code, m.reason);
				return;
			case 'end':
				return this.end(m.code, m.reason);
			case 'tip':
				// Its number alone counts: #take has already seen any gap before it.
				return;
		}
	}

	async #replyDurable(peer: Peer): Promise<void> {
		try {
			const update = this.#repair && (await this.#repair.durable());
			if (!update) throw new Error('no durable board to send');
			if (this.#peers.get(peer.id) === peer) peer.reply(encodeSyncStep2(update));
		} catch (err) {
			this.#log.warn({ err, conn: peer.id }, 'could not send a shared reply');
			peer.close(CloseCode.BOARD_MOVED, 'missed messages from the owner; reconnect');
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
		this.#held = null;
		for (const { reject } of this.#applying.values()) reject(new BoardMovedError(MOVED));
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
