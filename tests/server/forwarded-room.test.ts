/**
 * A board owned by another relay, as this relay forwards it (server/cluster/forwarded-room.ts),
 * with in-memory peers and streams: what it sends the owner, and what it does with the owner's
 * numbered output — in order, nothing from another owner, and a gap ends the board here so its
 * clients resync rather than drift.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../src/lib/protocol/close-codes.ts';
import { ForwardedRoom } from '../../server/cluster/forwarded-room.ts';
import {
	decodeInbox,
	encodeOutbox,
	type InboxMessage,
	type OutboxMessage
} from '../../server/cluster/messages.ts';
import { encodeAwarenessEntries } from '../../server/sync/awareness-owners.ts';
import type { Peer } from '../../server/sync/peer.ts';
import { encodeAwareness } from '../../server/sync/protocol.ts';

const OWNER = 'b-1234/1';

function setup() {
	const inbox: InboxMessage[] = [];
	let ended = 0;
	const room = new ForwardedRoom({
		id: 'board',
		owner: OWNER,
		token: 'a-9999',
		append: async (entry) => inbox.push(decodeInbox(entry)),
		onEnded: () => (ended += 1),
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
	const deliver = (m: OutboxMessage) => room.deliver(encodeOutbox(m));
	return { room, inbox, peer, deliver, ended: () => ended };
}

const frame = (n: number) => new Uint8Array([0, 2, 1, n]);

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

	it('ends the board here on a gap in the numbering: every client reconnects', () => {
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
