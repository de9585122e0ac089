import { describe, expect, it } from 'vitest';
import { decodeInbox, encodeInbox } from '../../server/cluster/messages.ts';

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
