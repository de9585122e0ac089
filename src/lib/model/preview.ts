/**
 * What a move would do, before it is made: for the live drag preview. planIndex builds, once
 * per snapshot, where every card is and what every cell and program carries; previewMove then
 * looks only at what the move touches (the moved card's dependencies and two cells, a lane's
 * two programs, or the cards in the periods a period passes), so a drag frame costs
 * O(affected), not O(board).
 */
import type { BoardSnapshot, DependencyView } from './snapshot.ts';
import {
	capacityIn,
	dependencyHealth,
	loadOf,
	type DependencyHealth,
	type Load
} from './planning.ts';

interface CardPlace {
	lane: string;
	period: string;
	estimate: number;
}

export interface PlanIndex {
	periods: readonly string[];
	periodIndex: ReadonlyMap<string, number>;
	cards: ReadonlyMap<string, CardPlace>;
	/** Card ids per period id. */
	cardsIn: ReadonlyMap<string, readonly string[]>;
	dependenciesOf: ReadonlyMap<string, readonly DependencyView[]>;
	/** Each lane's program, capacity and per-period load. */
	lanes: ReadonlyMap<
		string,
		{
			program: string;
			capacity: number | null;
			periodCapacity: Readonly<Record<string, number>>;
			load: ReadonlyMap<string, number>;
		}
	>;
	/** Per program and period: summed load and capacity (null when no lane has one). */
	programs: ReadonlyMap<string, ReadonlyMap<string, Sums>>;
}

interface Sums {
	load: number;
	capacity: number | null;
	/** How many lanes have a capacity there. */
	withCapacity: number;
}

export function planIndex(board: BoardSnapshot): PlanIndex {
	const periods = board.periods.map((p) => p.id);
	const periodIndex = new Map(periods.map((id, i) => [id, i]));
	const cards = new Map<string, CardPlace>();
	const cardsIn = new Map<string, string[]>(periods.map((id) => [id, []]));
	const lanes: PlanIndex['lanes'] extends ReadonlyMap<string, infer V> ? Map<string, V> : never =
		new Map();
	const programs = new Map<string, Map<string, Sums>>();
	for (const program of board.programs) {
		const sums = new Map<string, Sums>();
		for (const id of periods) sums.set(id, { load: 0, capacity: null, withCapacity: 0 });
		for (const lane of program.lanes) {
			const load = new Map<string, number>();
			for (const periodId of periods) {
				let sum = 0;
				for (const card of lane.cells[periodId] ?? []) {
					const estimate = card.estimate ?? 0;
					sum += estimate;
					cards.set(card.id, { lane: lane.id, period: periodId, estimate });
					cardsIn.get(periodId)!.push(card.id);
				}
				load.set(periodId, sum);
				const total = sums.get(periodId)!;
				total.load += sum;
				const own = capacityIn(lane, periodId);
				if (own !== null) {
					total.capacity = (total.capacity ?? 0) + own;
					total.withCapacity += 1;
				}
			}
			lanes.set(lane.id, {
				program: program.id,
				capacity: lane.capacity,
				periodCapacity: lane.periodCapacity,
				load
			});
		}
		programs.set(program.id, sums);
	}
	const dependenciesOf = new Map<string, DependencyView[]>();
	for (const dep of board.dependencies) {
		for (const card of [dep.pos.from, dep.pos.to]) {
			const list = dependenciesOf.get(card);
			if (list) list.push(dep);
			else dependenciesOf.set(card, [dep]);
		}
	}
	return { periods, periodIndex, cards, cardsIn, dependenciesOf, lanes, programs };
}

export type PlannedMove =
	| { kind: 'card'; id: string; laneId: string; periodId: string }
	| { kind: 'lane'; id: string; programId: string }
	| { kind: 'period'; id: string; index: number };

export interface Preview {
	/** New health of every dependency the move changes (unchanged ones are left out). */
	dependencies: Record<string, DependencyHealth>;
	/** Cells whose load changes, by `laneId/periodId`. */
	cells: Record<string, Load>;
	/** Program roll-ups that change, by `programId/periodId`. */
	programs: Record<string, Load>;
}

function cellKey(a: string, b: string): string {
	return `${a}/${b}`;
}

export function previewMove(index: PlanIndex, move: PlannedMove): Preview {
	const out: Preview = { dependencies: {}, cells: {}, programs: {} };
	if (move.kind === 'card') previewCard(index, move, out);
	else if (move.kind === 'lane') previewLane(index, move, out);
	else previewPeriod(index, move, out);
	return out;
}

function previewCard(
	index: PlanIndex,
	move: Extract<PlannedMove, { kind: 'card' }>,
	out: Preview
): void {
	const card = index.cards.get(move.id);
	const target = index.lanes.get(move.laneId);
	const column = index.periodIndex.get(move.periodId);
	if (!card || !target || column === undefined) return;
	const columnOf = (id: string) =>
		id === move.id ? column : index.periodIndex.get(index.cards.get(id)?.period ?? '');
	for (const dep of index.dependenciesOf.get(move.id) ?? []) {
		const from = columnOf(dep.pos.from);
		const to = columnOf(dep.pos.to);
		if (from === undefined || to === undefined) continue;
		const health = dependencyHealth(from, to, dep.kind);
		if (health !== dep.health) out.dependencies[dep.id] = health;
	}
	if (card.lane === move.laneId && card.period === move.periodId) return;
	const source = index.lanes.get(card.lane)!;
	const shift = (lane: typeof source, laneId: string, periodId: string, delta: number): void => {
		const load = (lane.load.get(periodId) ?? 0) + delta;
		out.cells[cellKey(laneId, periodId)] = loadOf(load, capacityIn(lane, periodId));
		const key = cellKey(lane.program, periodId);
		const before =
			out.programs[key]?.load ?? index.programs.get(lane.program)?.get(periodId)?.load ?? 0;
		const capacity = index.programs.get(lane.program)?.get(periodId)?.capacity ?? null;
		out.programs[key] = loadOf(before + delta, capacity);
	};
	shift(source, card.lane, card.period, -card.estimate);
	shift(target, move.laneId, move.periodId, card.estimate);
}

function previewLane(
	index: PlanIndex,
	move: Extract<PlannedMove, { kind: 'lane' }>,
	out: Preview
): void {
	const lane = index.lanes.get(move.id);
	if (!lane || lane.program === move.programId || !index.programs.has(move.programId)) return;
	for (const periodId of index.periods) {
		const load = lane.load.get(periodId) ?? 0;
		const own = capacityIn(lane, periodId);
		const source = index.programs.get(lane.program)?.get(periodId);
		const target = index.programs.get(move.programId)?.get(periodId);
		if (!source || !target) continue;
		const left =
			own === null ? source.capacity : source.withCapacity > 1 ? source.capacity! - own : null;
		const joined = own === null ? target.capacity : (target.capacity ?? 0) + own;
		out.programs[cellKey(lane.program, periodId)] = loadOf(source.load - load, left);
		out.programs[cellKey(move.programId, periodId)] = loadOf(target.load + load, joined);
	}
}

function previewPeriod(
	index: PlanIndex,
	move: Extract<PlannedMove, { kind: 'period' }>,
	out: Preview
): void {
	const from = index.periodIndex.get(move.id);
	if (from === undefined) return;
	const order = index.periods.filter((id) => id !== move.id);
	const to = Math.max(0, Math.min(order.length, Math.trunc(move.index)));
	order.splice(to, 0, move.id);
	// Only periods between the old and new place change column.
	const [lo, hi] = from < to ? [from, to] : [to, from];
	const moved = new Map<string, number>();
	for (let i = lo; i <= hi; i++) moved.set(order[i] as string, i);
	const columnOf = (cardId: string) => {
		const period = index.cards.get(cardId)?.period ?? '';
		return moved.get(period) ?? index.periodIndex.get(period);
	};
	const seen = new Set<string>();
	for (let i = lo; i <= hi; i++) {
		for (const cardId of index.cardsIn.get(order[i] as string) ?? []) {
			for (const dep of index.dependenciesOf.get(cardId) ?? []) {
				if (seen.has(dep.id)) continue;
				seen.add(dep.id);
				const a = columnOf(dep.pos.from);
				const b = columnOf(dep.pos.to);
				if (a === undefined || b === undefined) continue;
				const health = dependencyHealth(a, b, dep.kind);
				if (health !== dep.health) out.dependencies[dep.id] = health;
			}
		}
	}
}
