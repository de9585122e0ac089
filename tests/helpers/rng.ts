/**
 * A seeded PRNG (mulberry32) and the few draws the tests need, so a seed reproduces a run exactly.
 * Functions take the rng first.
 */
export type Rng = () => number;

export function mulberry32(seed: number): Rng {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** An integer in [0, n). */
export function int(rng: Rng, n: number): number {
	return Math.floor(rng() * n);
}

export function chance(rng: Rng, p: number): boolean {
	return rng() < p;
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
	if (items.length === 0) throw new RangeError('pick from an empty list');
	return items[int(rng, items.length)] as T;
}

/** Pick a key of `weights` with probability proportional to its weight. */
export function weighted<K extends string>(rng: Rng, weights: Record<K, number>): K {
	const entries = Object.entries(weights) as [K, number][];
	let roll = rng() * entries.reduce((sum, [, w]) => sum + w, 0);
	for (const [key, w] of entries) {
		roll -= w;
		if (roll < 0) return key;
	}
	return (entries[entries.length - 1] as [K, number])[0];
}
