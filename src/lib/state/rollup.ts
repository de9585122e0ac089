import type { Health, LaneView } from '$lib/model/index.ts';

/** A program at a glance: how many of its lanes are in each health, and their mean progress. */
export interface Rollup {
	health: Record<Health, number>;
	/** Mean progress of the lanes, rounded; null for a program without lanes. */
	progress: number | null;
}

export function rollup(lanes: readonly Pick<LaneView, 'health' | 'progress'>[]): Rollup {
	const health: Record<Health, number> = { 'on-track': 0, 'at-risk': 0, 'off-track': 0 };
	let total = 0;
	for (const lane of lanes) {
		health[lane.health] += 1;
		total += lane.progress;
	}
	return { health, progress: lanes.length ? Math.round(total / lanes.length) : null };
}
