import type { BoardSnapshot, LaneView } from '$lib/model/index.ts';

/**
 * Names already on the board (card owners, lane and program managers), most used first: the
 * suggestions for an owner, so the same person is typed the same way.
 */
export function namesOnBoard(snapshot: BoardSnapshot): string[] {
	const counts = new Map<string, number>();
	for (const program of snapshot.programs) {
		count(counts, program.manager);
		for (const lane of program.lanes)
			for (const [name, n] of namesInLane(lane)) counts.set(name, (counts.get(name) ?? 0) + n);
	}
	return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([n]) => n);
}

function count(counts: Map<string, number>, name: string): void {
	const trimmed = name.trim();
	if (trimmed) counts.set(trimmed, (counts.get(trimmed) ?? 0) + 1);
}

/** A lane's names and how often each appears, kept per lane view: an unchanged lane is the same view. */
const laneNames = new WeakMap<LaneView, Map<string, number>>();

function namesInLane(lane: LaneView): Map<string, number> {
	let counts = laneNames.get(lane);
	if (!counts) {
		counts = new Map();
		count(counts, lane.manager);
		for (const cards of Object.values(lane.cells))
			for (const card of cards) count(counts, card.owner);
		laneNames.set(lane, counts);
	}
	return counts;
}

/** An estimate or capacity as typed: a number from 0, empty for none, else why not. */
export function parseAmount(text: string): { ok: true; value: number | null } | { ok: false } {
	const trimmed = text.trim().replace(',', '.');
	if (trimmed === '') return { ok: true, value: null };
	const value = Number(trimmed);
	return Number.isFinite(value) && value >= 0 ? { ok: true, value } : { ok: false };
}

/** "1 point", "3 points", "1 day", "0.5 days": an amount in the board's (plural) unit. */
export function amountIn(amount: number, unit: string): string {
	const one = amount === 1 && /[^s]s$/i.test(unit) ? unit.slice(0, -1) : unit;
	return `${amount} ${one}`;
}
