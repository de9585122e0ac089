import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../tests/helpers/rng.ts';
import { compareRanked, isRank, rankAt, rankBetween, type Ranked } from './order.ts';

function ranked(...ranks: string[]): Ranked[] {
	return ranks.map((rank, i) => ({ id: `id${i}`, rank }));
}

/** Where an item with `rank` and `id` lands among `siblings`. */
function landsAt(siblings: readonly Ranked[], rank: string, id = 'new'): number {
	return [...siblings, { id, rank }].sort(compareRanked).findIndex((r) => r.id === id);
}

describe('compareRanked', () => {
	it('orders by rank, then by id when ranks tie', () => {
		const items = [
			{ id: 'b', rank: 'a1' },
			{ id: 'z', rank: 'a0' },
			{ id: 'a', rank: 'a1' }
		];
		expect(items.sort(compareRanked).map((r) => r.id)).toEqual(['z', 'a', 'b']);
		expect(compareRanked({ id: 'x', rank: 'a0' }, { id: 'x', rank: 'a0' })).toBe(0);
	});
});

describe('isRank', () => {
	it('accepts keys that rankBetween produces', () => {
		const rng = mulberry32(7);
		let lower: string | null = null;
		for (let i = 0; i < 50; i++) {
			const key = rankBetween(lower, null, rng);
			expect(isRank(key)).toBe(true);
			lower = key;
		}
		expect(isRank('a0')).toBe(true);
		expect(isRank('Zz')).toBe(true);
	});

	it.each([
		['not a string', 42],
		['null', null],
		['an object', { rank: 'a0' }],
		['empty', ''],
		['a bare head', 'a'],
		['a trailing zero', 'a00'],
		['a bad head', '0'],
		['an integer part too short', 'b0'],
		['too long', `a0${'V'.repeat(600)}`],
		['punctuation', 'a0!!!'],
		['a space', 'a0 '],
		['a control character', 'a0\u0000'],
		['a non-ASCII letter', 'a0é']
	])('rejects %s', (_label, value) => {
		expect(isRank(value)).toBe(false);
	});
});

describe('rankBetween', () => {
	it('returns a key strictly inside the gap', () => {
		const rng = mulberry32(3);
		for (const [lower, upper] of [
			[null, null],
			['a0', null],
			[null, 'a0'],
			['a0', 'a1'],
			['a0', 'a0V'],
			['Zz', 'a0']
		] as const) {
			const key = rankBetween(lower, upper, rng);
			if (lower !== null) expect(key > lower).toBe(true);
			if (upper !== null) expect(key < upper).toBe(true);
		}
	});

	it('refuses a gap that is not one', () => {
		expect(() => rankBetween('a1', 'a1')).toThrow(RangeError);
		expect(() => rankBetween('a2', 'a1')).toThrow(/no rank between a2 and a1/);
	});

	it('is a function of the rng alone', () => {
		expect(rankBetween('a0', 'a1', mulberry32(9))).toBe(rankBetween('a0', 'a1', mulberry32(9)));
	});
});

describe('rankAt', () => {
	const siblings = ranked('a0', 'a1', 'a2');

	it.each([0, 1, 2, 3])('puts an item at index %i', (index) => {
		expect(landsAt(siblings, rankAt(siblings, index, mulberry32(index)))).toBe(index);
	});

	it.each([
		[-5, 0],
		[99, 3],
		[1.7, 1],
		[Number.POSITIVE_INFINITY, 3],
		[Number.NEGATIVE_INFINITY, 0]
	])('clamps index %d to %i', (index, expected) => {
		expect(landsAt(siblings, rankAt(siblings, index, mulberry32(1)))).toBe(expected);
	});

	it('puts an item at the end when the index is not a number', () => {
		for (let seed = 0; seed < 20; seed++) {
			expect(landsAt(siblings, rankAt(siblings, Number.NaN, mulberry32(seed)))).toBe(3);
		}
	});

	it('works in an empty list', () => {
		expect(isRank(rankAt([], 0))).toBe(true);
	});

	it('places just before a tied pair, deterministically, and never throws', () => {
		// Two people inserted at the same spot at the same moment and drew the same key.
		const tied = [
			{ id: 'p', rank: 'a0' },
			{ id: 'q', rank: 'a1' },
			{ id: 'r', rank: 'a1' },
			{ id: 's', rank: 'a2' }
		];
		for (let seed = 0; seed < 20; seed++) {
			// Between the tied pair (index 2) there is no key; the item goes just before them.
			const between = rankAt(tied, 2, mulberry32(seed));
			expect(between).toBe(rankAt(tied, 2, mulberry32(seed)));
			expect(between > 'a0' && between < 'a1').toBe(true);
			expect(landsAt(tied, between)).toBe(1);
			// Index 1 is before the pair anyway.
			expect(landsAt(tied, rankAt(tied, 1, mulberry32(seed)))).toBe(1);
			// Index 3 is after both.
			expect(landsAt(tied, rankAt(tied, 3, mulberry32(seed)))).toBe(3);
		}
	});

	it('copes with a whole list of equal keys', () => {
		const allTied = ranked('a1', 'a1', 'a1');
		for (let index = 0; index <= 3; index++) {
			const key = rankAt(allTied, index, mulberry32(index));
			expect(isRank(key)).toBe(true);
			expect(landsAt(allTied, key)).toBe(index === 3 ? 3 : 0);
		}
	});
});
