import { describe, expect, it } from 'vitest';
import type { ClientVoteMessage, ServerVoteMessage } from '$lib/protocol/votes.ts';
import type { VoteChannel } from '$lib/sync/votes.ts';
import { resultSentence, VoteState } from './votes.svelte.ts';

/** A channel whose relay is the test: it records what is sent and delivers what the test says. */
function fakeChannel(connected = true) {
	const sent: ClientVoteMessage[] = [];
	let listener: ((m: ServerVoteMessage | null) => void) | null = null;
	const channel: VoteChannel = {
		send: (m) => (connected ? (sent.push(m), true) : false),
		subscribe: (l) => ((listener = l), () => (listener = null))
	};
	return { channel, sent, deliver: (m: ServerVoteMessage | null) => listener?.(m) };
}

const dotVote = {
	id: 'v1',
	spec: { kind: 'dots' as const, title: '', targets: ['card' as const], limit: 2 },
	openedAt: 1,
	voted: 0,
	eligible: 3
};
const welcome = (open: typeof dotVote | null): ServerVoteMessage => ({
	t: 'welcome',
	open,
	past: [],
	mine: null,
	facilitator: false,
	voter: true
});

describe('VoteState', () => {
	it('places dots up to the limit, sends the whole ballot each time, and takes one back', () => {
		const { channel, sent, deliver } = fakeChannel();
		const announced: string[] = [];
		const votes = new VoteState({ channel, announce: (m) => announced.push(m) });
		deliver(welcome(dotVote));
		expect(announced).toEqual(['A dot vote is open: you have 2 dots.']);
		const card = { kind: 'card' as const, id: 'c1' };
		votes.addDot(card);
		votes.addDot(card);
		votes.addDot(card); // over the limit: not sent
		expect(votes.dotsOn(card)).toBe(2);
		expect(votes.dotsLeft).toBe(0);
		expect(sent).toHaveLength(2);
		expect(sent[1]).toEqual({
			t: 'ballot',
			id: 'v1',
			ballot: { kind: 'dots', dots: [{ kind: 'card', id: 'c1', count: 2 }] }
		});
		votes.removeDot(card);
		expect(votes.dotsLeft).toBe(1);
	});

	it('puts back the last ballot the relay confirmed when it refuses one, and says why', () => {
		const { channel, deliver } = fakeChannel();
		const votes = new VoteState({ channel });
		deliver(welcome(dotVote));
		const card = { kind: 'card' as const, id: 'c1' };
		votes.addDot(card);
		deliver({ t: 'mine', id: 'v1', ballot: { kind: 'dots', dots: [{ ...card, count: 1 }] } });
		votes.addDot(card);
		expect(votes.dotsOn(card)).toBe(2);
		deliver({ t: 'error', reason: 'unknown-item', message: 'card c1 is not on the board' });
		expect(votes.dotsOn(card)).toBe(1);
		expect(votes.error).toBe('card c1 is not on the board');
	});

	it('offline: nothing is pretended; the ballot stays as it was', () => {
		const { channel, deliver } = fakeChannel(false);
		const votes = new VoteState({ channel });
		deliver(welcome({ ...dotVote, spec: { ...dotVote.spec } }));
		votes.addDot({ kind: 'card', id: 'c1' });
		expect(votes.mine).toBeNull();
		expect(votes.error).toMatch(/Not connected/);
	});

	it('a result replaces the open vote, is listed as past, and is announced', () => {
		const { channel, deliver } = fakeChannel();
		const announced: string[] = [];
		const votes = new VoteState({ channel, announce: (m) => announced.push(m) });
		deliver(welcome(null));
		const vote = {
			id: 'v2',
			spec: { kind: 'confidence' as const, title: '', subject: { type: 'plan' as const } },
			openedAt: 1,
			closedAt: 2,
			voted: 3,
			eligible: 4,
			result: { kind: 'confidence' as const, average: 11 / 3, distribution: [0, 1, 0, 1, 1] }
		};
		deliver({ t: 'result', vote });
		deliver({ t: 'current', open: null });
		expect(votes.result).toEqual(vote);
		expect(votes.past).toEqual([vote]);
		expect(announced.at(-1)).toBe('Vote closed: average 3.7 from 3 people.');
		expect(resultSentence({ ...vote, result: { ...vote.result, average: null } })).toBe(
			'Vote closed: nobody voted.'
		);
	});
});
