/**
 * A board owned by another relay, as this relay forwards it (server/cluster/forwarded-room.ts),
 * with in-memory peers and streams: what it sends the owner, and what it does with the owner's
 * numbered output — in order, nothing from another owner, and a gap filled from the stream or the
 * database (or, when neither can, the board ended here so its clients resync rather than drift).
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../src/lib/protocol/close-codes.ts';
import { BoardMovedError, ForwardedRoom } from '../../server/cluster/forwarded-room.ts';
import {
	decodeInbox,
	encodeOutbox,
	type InboxMessage,
	type OutboxMessage
} from '../../server/cluster/messages.ts';
import { encodeAwarenessEntries } from '../../server/sync/awareness-owners.ts';
import type { Peer } from '../../server/sync/peer.ts';
import { encodeAwareness, encodeSyncStep1, encodeSyncStep2 } from '../../server/sync/protocol.ts';
import type { GapRepair } from '../../server/cluster/forwarded-room.ts';

const OWNER = 'b-1234/1';

function setup(repair?: GapRepair) {
	const inbox: InboxMessage[] = [];
	let ended = 0;
	const room = new ForwardedRoom({
		id: 'board',
		owner: OWNER,
		token: 'a-9999',
		append: async (entry) => inbox.push(decodeInbox(entry)),
		onEnded: () => (ended += 1),
		...(repair && { repair }),
		logger: pino({ level: 'silent' })
	});
	const peer = (id: string) => {
		const got: { sent: Uint8Array[]; closed: number | null } = { sent: [], closed: null };
		const p: Peer = {
			id,
			send: (frame) => got.sent.push(frame),
			reply: (frame) => got.sent.push(frame),
			close: (code) => (got.closed = code)
		};
		return { p, got };
	};
	const deliver = (m: OutboxMessage, id?: string) => room.deliver(encodeOutbox(m), id);
	return { room, inbox, peer, deliver, ended: () => ended };
}

const frame = (n: number) => new Uint8Array([0, 2, 1, n]);

/** A real board update (one text), as the database would hand it back. */
function boardUpdate(text: string): Uint8Array {
	const doc = new Y.Doc();
	doc.getText('t').insert(0, text);
	const update = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	return update;
}

describe('a forwarded board', () => {
	it("sends the owner each client's join, frames and leave, in order", async () => {
		const { room, inbox, peer } = setup();
		const { p } = peer('1');
		room.join(p);
		room.receive(p, frame(7));
		room.leave(p);
		await room.flush();
		expect(inbox.map((m) => [m.type, m.owner, m.relay, m.conn])).toEqual([
			['open', OWNER, 'a-9999', '1'],
			['frame', OWNER, 'a-9999', '1'],
			['leave', OWNER, 'a-9999', '1']
		]);
	});

	it("hands out the owner's broadcasts and addressed frames, ignoring another owner's", () => {
		const { room, peer, deliver } = setup();
		const one = peer('1');
		const two = peer('2');
		room.join(one.p);
		room.join(two.p);
		deliver({ type: 'broadcast', owner: OWNER, seq: 1, frame: frame(1) });
		deliver({
			type: 'send',
			owner: OWNER,
			seq: 2,
			relay: 'a-9999',
			conn: '2',
			frame: frame(2),
			reply: true
		});
		deliver({
			type: 'send',
			owner: OWNER,
			seq: 3,
			relay: 'c-0000',
			conn: '1',
			frame: frame(3),
			reply: false
		});
		// A former owner (or an earlier tenure of the same relay) is not this board's owner.
		deliver({ type: 'broadcast', owner: 'b-1234/0', seq: 4, frame: frame(4) });
		expect(one.got.sent.map((f) => f[3])).toEqual([1]);
		expect(two.got.sent.map((f) => f[3])).toEqual([1, 2]);
	});

	it('ends the board here on a gap it has no way to fill: every client reconnects', () => {
		const { room, peer, deliver, ended } = setup();
		const one = peer('1');
		room.join(one.p);
		deliver({ type: 'broadcast', owner: OWNER, seq: 1, frame: frame(1) });
		deliver({ type: 'broadcast', owner: OWNER, seq: 3, frame: frame(3) });
		expect(one.got.sent.map((f) => f[3])).toEqual([1]);
		expect(one.got.closed).toBe(CloseCode.BOARD_MOVED);
		expect(room.ended).toBe(true);
		expect(ended()).toBe(1);
	});

	it('fills a gap from the stream and delivers in order, holding what comes meanwhile', async () => {
		// The board's outbox as Redis holds it: this relay's reader missed seq 2 and 3.
		const stream: [string, OutboxMessage][] = [1, 2, 3, 4, 5].map((seq) => [
			`${seq}-0`,
			{ type: 'broadcast', owner: OWNER, seq, frame: frame(seq) }
		]);
		const ranges: [string, string][] = [];
		const { room, peer, deliver } = setup({
			range: async (after, before) => {
				ranges.push([after, before]);
				const at = (id: string) => stream.findIndex(([i]) => i === id);
				return stream
					.slice(at(after) + 1, at(before))
					.map(([id, m]) => [id, encodeOutbox(m)] as [string, Uint8Array]);
			},
			durable: () => Promise.reject(new Error('not needed'))
		});
		const one = peer('1');
		room.join(one.p);
		deliver(stream[0]![1], stream[0]![0]);
		deliver(stream[3]![1], stream[3]![0]);
		// Arrives while the gap is being read back: held, not delivered ahead of 2 and 3.
		deliver(stream[4]![1], stream[4]![0]);
		expect(one.got.sent.map((f) => f[3])).toEqual([1]);
		await expect.poll(() => one.got.sent.map((f) => f[3])).toEqual([1, 2, 3, 4, 5]);
		expect(ranges).toEqual([['1-0', '4-0']]);
		expect(one.got.closed).toBe(null);
		expect(room.ended).toBe(false);
	});

	it('fills a gap the stream no longer has from the database: the board as durable, once, and asks each client for what it holds', async () => {
		const durable = boardUpdate('durable');
		const { room, peer, deliver } = setup({
			range: async () => [],
			durable: async () => durable
		});
		const one = peer('1');
		const two = peer('2');
		room.join(one.p);
		room.join(two.p);
		deliver({ type: 'broadcast', owner: OWNER, seq: 1, frame: frame(1) }, '1-0');
		deliver({ type: 'broadcast', owner: OWNER, seq: 3, frame: frame(3) }, '3-0');
		deliver({ type: 'broadcast', owner: OWNER, seq: 4, frame: frame(4) }, '4-0');
		const step2 = encodeSyncStep2(durable);
		// The owner's step 1 to a joiner may be among the lost: without one the client never
		// uploads what it edited offline.
		const step1 = encodeSyncStep1(Y.encodeStateVectorFromUpdate(durable));
		for (const { got } of [one, two]) {
			await expect.poll(() => got.sent.length).toBe(5);
			expect(got.sent).toEqual([frame(1), step2, step1, frame(3), frame(4)]);
			expect(got.closed).toBe(null);
		}
	});

	it('fails an import whose answer the stream no longer has (MOVED), rather than waiting forever', async () => {
		const { room, peer, deliver, inbox, ended } = setup({
			range: async () => [],
			durable: async () => boardUpdate('durable')
		});
		const one = peer('1');
		room.join(one.p);
		const applied = room.apply(boardUpdate('imported'), 'owner');
		await room.flush();
		const request = inbox.find((m) => m.type === 'apply')!;
		expect(request).toBeDefined();
		deliver({ type: 'broadcast', owner: OWNER, seq: 1, frame: frame(1) }, '1-0');
		// Seq 2, the owner's answer to the import, is lost for good.
		deliver({ type: 'broadcast', owner: OWNER, seq: 3, frame: frame(3) }, '3-0');
		await expect(applied).rejects.toBeInstanceOf(BoardMovedError);
		// The clients here stay, caught up from the database.
		await expect.poll(() => one.got.sent.length).toBe(4);
		expect(one.got.closed).toBe(null);
		expect(room.ended).toBe(false);
		// A late answer for it changes nothing.
		deliver(
			{
				type: 'close',
				owner: OWNER,
				seq: 4,
				relay: 'a-9999',
				conn: request.conn,
				code: CloseCode.NORMAL,
				reason: 'applied'
			},
			'4-0'
		);
		expect(room.ended).toBe(false);
		room.leave(one.p);
		expect(ended()).toBe(1);
	});

	it('ends a board held here only for an import once that import has failed on a lost answer', async () => {
		// An HTTP restore on a relay with no client of the board: nothing else would end it.
		const { room, deliver, ended } = setup({
			range: async () => [],
			durable: async () => boardUpdate('durable')
		});
		const applied = room.apply(boardUpdate('imported'), 'owner');
		await room.flush();
		deliver({ type: 'broadcast', owner: OWNER, seq: 1, frame: frame(1) }, '1-0');
		deliver({ type: 'broadcast', owner: OWNER, seq: 3, frame: frame(3) }, '3-0');
		await expect(applied).rejects.toThrow(/moved/);
		expect(room.ended).toBe(true);
		expect(ended()).toBe(1);
	});

	it('ends the board when neither the stream nor the database can fill a gap', async () => {
		const { room, peer, deliver } = setup({
			range: async () => [],
			durable: () => Promise.reject(new Error('database down'))
		});
		const one = peer('1');
		room.join(one.p);
		deliver({ type: 'broadcast', owner: OWNER, seq: 1, frame: frame(1) }, '1-0');
		deliver({ type: 'broadcast', owner: OWNER, seq: 3, frame: frame(3) }, '3-0');
		await expect.poll(() => one.got.closed).toBe(CloseCode.BOARD_MOVED);
		expect(one.got.sent.map((f) => f[3])).toEqual([1]);
		expect(room.ended).toBe(true);
	});

	it('hands a shared frame to each client the owner names, and the durable board if it missed the share', async () => {
		const durable = new Uint8Array([7, 7]);
		const { room, peer, deliver } = setup({
			range: async () => [],
			durable: async () => durable
		});
		const [one, two, three] = [peer('1'), peer('2'), peer('3')];
		for (const p of [one, two, three]) room.join(p.p);
		const board = new Uint8Array([0, 1, 5, 5, 5]);
		deliver({ type: 'share', owner: OWNER, seq: 1, frame: board }, '1-0');
		const ref = (seq: number, conn: string, r: number): OutboxMessage => ({
			type: 'sendShared',
			owner: OWNER,
			seq,
			relay: 'a-9999',
			conn,
			ref: r
		});
		deliver(ref(2, '1', 1), '2-0');
		deliver(ref(3, '2', 1), '3-0');
		// A share this relay never read: the client gets the board as PostgreSQL holds it.
		deliver(ref(4, '3', 0), '4-0');
		expect(one.got.sent).toEqual([board]);
		expect(two.got.sent).toEqual([board]);
		await expect.poll(() => three.got.sent).toEqual([encodeSyncStep2(durable)]);
		expect(three.got.closed).toBe(null);
	});

	it("ends when the owner says it gave the board up, and answers an import with the owner's verdict", async () => {
		const { room, peer, deliver, inbox } = setup();
		const one = peer('1');
		room.join(one.p);
		const applied = room.apply(frame(9), 'owner');
		await room.flush();
		const request = inbox.find((m) => m.type === 'apply')!;
		deliver({
			type: 'close',
			owner: OWNER,
			seq: 1,
			relay: 'a-9999',
			conn: request.conn,
			code: CloseCode.BOARD_TOO_BIG,
			reason: 'too big'
		});
		await expect(applied).rejects.toThrow('too big');
		deliver({ type: 'end', owner: OWNER, seq: 2, code: CloseCode.BOARD_MOVED, reason: 'moved' });
		expect(one.got.closed).toBe(CloseCode.BOARD_MOVED);
		await expect(room.apply(frame(1), 'owner')).rejects.toThrow(/moved/);
	});

	it("does not forward a client's echo of presence the owner sent, only what is newer", async () => {
		const { room, inbox, peer, deliver } = setup();
		const { p } = peer('1');
		room.join(p);
		const presence = (clientID: number, clock: number) =>
			encodeAwareness(
				encodeAwarenessEntries([{ clientID, clock, json: '{"x":1}', removal: false }])
			);
		deliver({ type: 'broadcast', owner: OWNER, seq: 1, frame: presence(5, 3) });
		room.receive(p, presence(5, 3));
		room.receive(p, presence(5, 2));
		room.receive(p, presence(6, 1));
		room.receive(p, presence(5, 4));
		await room.flush();
		const forwarded = inbox.filter((m) => m.type === 'frame');
		expect(forwarded.map((m) => (m.type === 'frame' ? m.frame : null))).toEqual([
			presence(6, 1),
			presence(5, 4)
		]);
	});
});
