/**
 * Ordering keys. Every ordered record carries a fractional `rank` (from `fractional-indexing`),
 * and siblings are ordered by (rank, id): ties, which can only come from two people inserting
 * at the same spot at the same moment, are broken by id so every peer agrees.
 */
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';

export type Rng = () => number;

export interface Ranked {
	id: string;
	rank: string;
}

/**
 * How many candidate keys a new rank is picked from. Two people dropping into the same gap at
 * the same moment then get equal keys only 1 time in JITTER; the (rank, id) order stays total
 * either way.
 */
const JITTER = 16;

export function compareRanked(a: Ranked, b: Ranked): number {
	if (a.rank !== b.rank) return a.rank < b.rank ? -1 : 1;
	if (a.id !== b.id) return a.id < b.id ? -1 : 1;
	return 0;
}

/** The base-62 digits `fractional-indexing` writes keys in. */
const KEY_DIGITS = /^[0-9A-Za-z]+$/;

/** True when `rank` is a key `fractional-indexing` produced (and so can be inserted around). */
export function isRank(rank: unknown): rank is string {
	if (typeof rank !== 'string' || rank.length === 0 || rank.length > 512) return false;
	// The library validates a key's head and length but not the digits after them: 'a0!' passes
	// its check, then throws or yields an out-of-order key when something is inserted next to it.
	if (!KEY_DIGITS.test(rank)) return false;
	try {
		generateKeyBetween(rank, null);
		return true;
	} catch {
		return false;
	}
}

/** A fresh key strictly between `lower` and `upper` (either may be null for an open end). */
export function rankBetween(
	lower: string | null,
	upper: string | null,
	rng: Rng = Math.random
): string {
	if (lower !== null && upper !== null && lower >= upper) {
		// Not a gap (a tie, or neighbours out of order): the caller asked for the impossible.
		throw new RangeError(`no rank between ${lower} and ${upper}`);
	}
	const keys = generateNKeysBetween(lower, upper, JITTER);
	return keys[Math.min(JITTER - 1, Math.floor(rng() * JITTER))] as string;
}

/**
 * The rank that puts an item at `index` among `siblings` (sorted, and not containing the item
 * itself). When the two neighbours tie, the new item goes just before the tied pair: the only
 * place a single key can express, and still deterministic.
 */
export function rankAt(siblings: readonly Ranked[], index: number, rng: Rng = Math.random): string {
	// NaN would otherwise fall through every comparison and land the item anywhere.
	const wanted = Number.isNaN(index) ? siblings.length : Math.trunc(index);
	const at = Math.max(0, Math.min(siblings.length, wanted));
	let lo = at - 1;
	const upper = siblings[at]?.rank ?? null;
	while (lo >= 0 && upper !== null && (siblings[lo] as Ranked).rank >= upper) lo -= 1;
	const lower = lo >= 0 ? (siblings[lo] as Ranked).rank : null;
	return rankBetween(lower, upper, rng);
}

/** compareRanked for records, without allocating two objects per comparison (snapshots sort thousands). */
export function byRank(
	a: { id: string; pos: { rank: string } },
	b: { id: string; pos: { rank: string } }
): number {
	const ra = a.pos.rank;
	const rb = b.pos.rank;
	if (ra !== rb) return ra < rb ? -1 : 1;
	if (a.id !== b.id) return a.id < b.id ? -1 : 1;
	return 0;
}

export function byId(a: { id: string }, b: { id: string }): number {
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
