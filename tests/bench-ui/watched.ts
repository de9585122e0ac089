import type { readBoard } from '../../src/lib/model/index.ts';

/**
 * A dependency drawn under the default "problems" filter whatever its dependent does: both
 * cards in the first program, the prerequisite in the third period or later, so moving the
 * dependent between the first two periods keeps it red while its line moves.
 */
export function watchedDependency(snapshot: ReturnType<typeof readBoard>) {
	const where = new Map<string, { lane: string; period: number }>();
	for (const lane of snapshot.programs[0]!.lanes) {
		for (const [periodId, cards] of Object.entries(lane.cells)) {
			const period = snapshot.periods.findIndex((p) => p.id === periodId);
			for (const card of cards) where.set(card.id, { lane: lane.id, period });
		}
	}
	const dep = snapshot.dependencies.find((d) => {
		const from = where.get(d.pos.from);
		return from && from.period >= 2 && where.has(d.pos.to) && where.get(d.pos.to)!.period < 2;
	});
	if (!dep) throw new Error('no dependency to watch in the first program');
	const to = where.get(dep.pos.to)!;
	const periods = snapshot.periods.map((p) => p.id);
	return {
		dep,
		// The first remote move takes it to the other of the two periods.
		card: {
			id: dep.pos.to,
			laneId: to.lane,
			periods: (to.period === 0 ? [periods[0]!, periods[1]!] : [periods[1]!, periods[0]!]) as [
				string,
				string
			]
		},
		lastPeriod: periods.length - 1
	};
}
