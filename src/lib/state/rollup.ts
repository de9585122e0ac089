import type { Health, LaneView } from '$lib/model/index.ts';

/** A program at a glance: how many of its lanes are in each health, and their mean progress. */
export interface Rollup {
	health: Record<Health, number>;
	/** Lanes whose health nobody has set yet. */
	unset: number;
	/** Mean progress of the lanes, rounded; null for a program without lanes. */
	progress: number | null;
}

export function rollup(lanes: readonly Pick<LaneView, 'health' | 'progress'>[]): Rollup {
	const health: Record<Health, number> = { 'on-track': 0, 'at-risk': 0, 'off-track': 0 };
	let unset = 0;
	let total = 0;
	for (const lane of lanes) {
		if (lane.health === null) unset += 1;
		else health[lane.health] += 1;
		total += lane.progress;
	}
	return { health, unset, progress: lanes.length ? Math.round(total / lanes.length) : null };
}
