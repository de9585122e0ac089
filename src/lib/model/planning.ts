/**
 * Pure planning arithmetic over a snapshot: dependency health and cycles, lane × period load
 * against capacity, program roll-ups, predictability, and a preview of what a move would change
 * (for the live drag preview). Nothing here reads the Y.Doc.
 */
import type { DependencyKind } from './records/dependency.ts';
import type { Objective } from './records/objective.ts';

export type DependencyHealth = 'red' | 'amber' | 'green';

/**
 * Health of "`to` needs `from` first", from the two cards' period positions (0 = first column):
 * red when the dependent sits in an earlier period than its prerequisite, amber in the same one
 * (tight; green for start-to-start, which may share a period), green when it comes later.
 */
export function dependencyHealth(
	fromPeriod: number,
	toPeriod: number,
	kind: DependencyKind = 'finish-to-start'
): DependencyHealth {
	if (toPeriod < fromPeriod) return 'red';
	if (toPeriod === fromPeriod) return kind === 'start-to-start' ? 'green' : 'amber';
	return 'green';
}

/**
 * The edges that lie on a cycle (both ends in one strongly connected component), by index into
 * `edges`. A cycle is flagged, not forbidden: two people can make one at once from either end.
 */
export function cycleEdges(edges: readonly { from: string; to: string }[]): Set<number> {
	const next = new Map<string, string[]>();
	for (const { from, to } of edges) {
		const list = next.get(from);
		if (list) list.push(to);
		else next.set(from, [to]);
	}
	// Tarjan's algorithm, iterative so a long chain cannot overflow the stack.
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const component = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	let counter = 0;
	let components = 0;
	for (const root of next.keys()) {
		if (index.has(root)) continue;
		const work: [string, number][] = [[root, 0]];
		index.set(root, counter);
		low.set(root, counter++);
		stack.push(root);
		onStack.add(root);
		while (work.length) {
			const top = work[work.length - 1] as [string, number];
			const [node, i] = top;
			const targets = next.get(node) ?? [];
			if (i < targets.length) {
				top[1] += 1;
				const target = targets[i] as string;
				if (!index.has(target)) {
					index.set(target, counter);
					low.set(target, counter++);
					stack.push(target);
					onStack.add(target);
					work.push([target, 0]);
				} else if (onStack.has(target)) {
					low.set(node, Math.min(low.get(node)!, index.get(target)!));
				}
				continue;
			}
			work.pop();
			const parent = work[work.length - 1];
			if (parent) low.set(parent[0], Math.min(low.get(parent[0])!, low.get(node)!));
			if (low.get(node) === index.get(node)) {
				let member: string;
				do {
					member = stack.pop() as string;
					onStack.delete(member);
					component.set(member, components);
				} while (member !== node);
				components += 1;
			}
		}
	}
	const out = new Set<number>();
	edges.forEach(({ from, to }, i) => {
		const c = component.get(from);
		if (c !== undefined && c === component.get(to)) out.add(i);
	});
	return out;
}

// ---------------------------------------------------------------------------------------------
// Load and capacity

export interface Load {
	/** Sum of the estimates, in the board's unit. */
	load: number;
	/** Null when no capacity is set. */
	capacity: number | null;
	/** Whole percent of capacity; null without a capacity, or a capacity of 0. */
	percent: number | null;
	/** Load above capacity (a capacity of 0 with any load is over). */
	over: boolean;
}

/** Sums of decimals (0.1 + 0.2) read as people wrote them. */
function tidy(value: number): number {
	return Math.round(value * 1000) / 1000;
}

export function loadOf(load: number, capacity: number | null): Load {
	const sum = tidy(load);
	const percent = capacity ? Math.round((sum / capacity) * 100) : null;
	return { load: sum, capacity, percent, over: capacity !== null && sum > capacity };
}

/** What a lane can carry in a period: that period's override, else the lane's value, else null. */
export function capacityIn(
	lane: { capacity: number | null; periodCapacity: Readonly<Record<string, number>> },
	periodId: string
): number | null {
	return Object.hasOwn(lane.periodCapacity, periodId)
		? (lane.periodCapacity[periodId] as number)
		: lane.capacity;
}

type LaneLike = {
	capacity: number | null;
	periodCapacity: Readonly<Record<string, number>>;
	cells: Readonly<Record<string, readonly { estimate: number | null }[]>>;
};

function estimates(cards: readonly { estimate: number | null }[] | undefined): number {
	let sum = 0;
	for (const card of cards ?? []) sum += card.estimate ?? 0;
	return sum;
}

/** A lane × period cell: the sum of its cards' estimates against the lane's capacity there. */
export function cellLoad(lane: LaneLike, periodId: string): Load {
	return loadOf(estimates(lane.cells[periodId]), capacityIn(lane, periodId));
}

/**
 * A program's roll-up for one period: every lane's load and capacity summed. Capacity is null
 * only when no lane has one; a lane without one adds its load but no capacity.
 */
export function programLoad(program: { lanes: readonly LaneLike[] }, periodId: string): Load {
	let load = 0;
	let capacity: number | null = null;
	for (const lane of program.lanes) {
		load += estimates(lane.cells[periodId]);
		const own = capacityIn(lane, periodId);
		if (own !== null) capacity = (capacity ?? 0) + own;
	}
	return loadOf(load, capacity === null ? null : tidy(capacity));
}

// ---------------------------------------------------------------------------------------------
// Predictability

export interface Predictability {
	/** Planned business value of committed objectives (stretch objectives plan nothing). */
	planned: number;
	/** Actual business value of every objective, committed and stretch. */
	actual: number;
	/** actual / planned in percent, one decimal; null with nothing committed and planned. */
	percent: number | null;
	committed: number;
	stretch: number;
	/** Objectives with an actual value: none yet reads "not yet scored", not 0 %. */
	scored: number;
}

export function predictability(
	objectives: readonly Pick<Objective, 'commitment' | 'planned' | 'actual'>[]
): Predictability {
	let planned = 0;
	let actual = 0;
	let committed = 0;
	let scored = 0;
	for (const objective of objectives) {
		if (objective.actual !== null) scored += 1;
		if (objective.commitment === 'committed') {
			committed += 1;
			planned += objective.planned ?? 0;
		}
		actual += objective.actual ?? 0;
	}
	const percent = planned > 0 ? Math.round((actual / planned) * 1000) / 10 : null;
	return { planned, actual, percent, committed, stretch: objectives.length - committed, scored };
}
