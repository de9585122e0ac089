import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import {
	checkBallot,
	dotsUsed,
	encodeVoteFrame,
	MESSAGE_VOTE,
	parseClientVoteMessage,
	parseServerVoteMessage,
	tally,
	tallyConfidence,
	tallyDots,
	withDot,
	type VoteSpec
} from './votes.ts';

const dots: VoteSpec = { kind: 'dots', title: '', targets: ['card', 'lane'], limit: 3 };
const confidence: VoteSpec = { kind: 'confidence', title: '', subject: { type: 'plan' } };

describe('vote tallies', () => {
	it('averages confidence and counts each value', () => {
		expect(tallyConfidence([4, 2, 5, 4])).toEqual({
			kind: 'confidence',
			average: 3.75,
			distribution: [0, 1, 0, 2, 1]
		});
		expect(tallyConfidence([])).toEqual({
			kind: 'confidence',
			average: null,
			distribution: [0, 0, 0, 0, 0]
		});
	});

	it('sums dots per item with distinct voters, most dots first, ties by voters then id', () => {
		const result = tallyDots([
			{
				kind: 'dots',
				dots: [
					{ kind: 'card', id: 'b', count: 2 },
					{ kind: 'lane', id: 'x', count: 1 }
				]
			},
			{
				kind: 'dots',
				dots: [
					{ kind: 'card', id: 'a', count: 1 },
					{ kind: 'card', id: 'b', count: 1 }
				]
			},
			{ kind: 'dots', dots: [{ kind: 'card', id: 'a', count: 1 }] }
		]);
		expect(result.tallies).toEqual([
			{ kind: 'card', id: 'b', dots: 3, voters: 2 },
			{ kind: 'card', id: 'a', dots: 2, voters: 2 },
			{ kind: 'lane', id: 'x', dots: 1, voters: 1 }
		]);
	});

	it('tally() ignores ballots of the other kind', () => {
		expect(
			tally(confidence, [
				{ kind: 'confidence', value: 5 },
				{ kind: 'dots', dots: [] }
			])
		).toMatchObject({
			average: 5
		});
	});
});

describe('ballot checks', () => {
	it('refuses over the limit, naming the count and the limit', () => {
		const ballot = { kind: 'dots' as const, dots: [{ kind: 'card' as const, id: 'a', count: 4 }] };
		expect(checkBallot(dots, ballot)).toEqual({
			reason: 'over-limit',
			message: "4 dots is over this vote's limit of 3 per person"
		});
		expect(
			checkBallot(dots, { ...ballot, dots: [{ kind: 'card', id: 'a', count: 3 }] })
		).toBeNull();
	});

	it('refuses the wrong kind, a target the vote is not on, and an item listed twice', () => {
		expect(checkBallot(confidence, { kind: 'dots', dots: [] })?.reason).toBe('wrong-kind');
		expect(checkBallot(dots, { kind: 'confidence', value: 3 })?.reason).toBe('wrong-kind');
		expect(
			checkBallot(dots, { kind: 'dots', dots: [{ kind: 'risk', id: 'r', count: 1 }] })?.message
		).toBe('this vote is not on risks');
		expect(
			checkBallot(dots, {
				kind: 'dots',
				dots: [
					{ kind: 'card', id: 'a', count: 1 },
					{ kind: 'card', id: 'a', count: 1 }
				]
			})?.reason
		).toBe('invalid');
	});

	it('adds and removes one dot at a time', () => {
		const a = { kind: 'card' as const, id: 'a' };
		let ballot = withDot(null, a, 1);
		ballot = withDot(ballot, a, 1);
		expect(dotsUsed(ballot)).toBe(2);
		ballot = withDot(withDot(ballot, a, -1), a, -1);
		expect(ballot.dots).toEqual([]);
		expect(withDot(null, a, -1).dots).toEqual([]);
	});
});

describe('vote messages', () => {
	it('round-trip through a type 8 frame', () => {
		const frame = encodeVoteFrame({ t: 'open', spec: dots });
		const decoder = decoding.createDecoder(frame);
		expect(decoding.readVarUint(decoder)).toBe(MESSAGE_VOTE);
		expect(parseClientVoteMessage(decoding.readVarString(decoder))).toEqual({
			ok: true,
			message: { t: 'open', spec: dots }
		});
	});

	it('refuse what does not validate, saying where', () => {
		expect(
			parseClientVoteMessage('{"t":"ballot","id":"v","ballot":{"kind":"confidence","value":6}}')
		).toMatchObject({
			ok: false,
			error: expect.stringMatching(/^ballot\.value: /)
		});
		expect(parseClientVoteMessage('not json')).toEqual({
			ok: false,
			error: 'vote message is not JSON'
		});
		expect(parseClientVoteMessage('{"t":"hello","voter":"x"}').ok).toBe(false);
		expect(parseClientVoteMessage('x'.repeat(9000)).ok).toBe(false);
		expect(
			parseClientVoteMessage(
				JSON.stringify({ t: 'open', spec: { ...dots, targets: ['card', 'card'] } })
			).ok
		).toBe(false);
		expect(parseServerVoteMessage('{"t":"mine","id":"v","ballot":null}').ok).toBe(true);
	});
});
