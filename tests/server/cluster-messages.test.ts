import { describe, expect, it } from 'vitest';
import {
	decodeInbox,
	decodeOutbox,
	encodeInbox,
	encodeOutbox,
	type OutboxMessage
} from '../../server/cluster/messages.ts';

describe('cluster inbox messages', () => {
	it('carry the link a client joined through, so the owner knows its role and who votes', () => {
		const open = {
			type: 'open' as const,
			owner: 'relay-a:1',
			relay: 'relay-b',
			conn: 'c7',
			readOnly: false,
			grant: { linkId: 'link123', role: 'facilitator' as const }
		};
		expect(decodeInbox(encodeInbox(open))).toEqual(open);
	});

	it('read a join without a link (a script, a test peer) as having none', () => {
		const open = {
			type: 'open' as const,
			owner: 'o',
			relay: 'r',
			conn: 'c',
			readOnly: true,
			grant: null
		};
		expect(decodeInbox(encodeInbox(open))).toEqual(open);
	});
});

describe('cluster outbox messages', () => {
	it('read back as written, every kind', () => {
		const frame = new Uint8Array([0, 1, 2, 3]);
		const all: OutboxMessage[] = [
			{ type: 'broadcast', owner: 'o/1', seq: 1, frame },
			{ type: 'send', owner: 'o/1', seq: 2, relay: 'r', conn: 'c', frame, reply: true },
			{ type: 'close', owner: 'o/1', seq: 3, relay: 'r', conn: 'c', code: 4403, reason: 'x' },
			{ type: 'end', owner: 'o/1', seq: 4, code: 4012, reason: 'moved' },
			{ type: 'share', owner: 'o/1', seq: 5, frame },
			{ type: 'sendShared', owner: 'o/1', seq: 6, relay: 'r', conn: 'c', ref: 5 },
			{ type: 'tip', owner: 'o/1', seq: 7 }
		];
		for (const m of all) expect(decodeOutbox(encodeOutbox(m))).toEqual(m);
	});
});
