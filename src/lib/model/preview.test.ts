import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { fork, smallBoard } from '../../../tests/helpers/board.ts';
import { mulberry32 } from '../../../tests/helpers/rng.ts';
import { createDependency, setLaneCapacity } from './operations-planning.ts';
import { moveCard, moveLane, movePeriod, updateCard } from './operations.ts';
import { cellLoad, programLoad, type Load } from './planning.ts';
import { planIndex, previewMove, type PlannedMove, type Preview } from './preview.ts';
import { readBoard, type BoardSnapshot } from './snapshot.ts';

/** smallBoard with estimates on every card, capacities on some lanes, and dependencies. */
function plannedBoard(): Y.Doc {
	const doc = smallBoard();
	const estimates = { a1: 5, a2: 8, a3: 3, b1: 13, d1: 2 };
	for (const [id, estimate] of Object.entries(estimates)) updateCard(doc, { id, estimate });
	setLaneCapacity(doc, { id: 'a', capacity: 10 });
	setLaneCapacity(doc, { id: 'a', capacity: 4, periodId: 'q2' });
	setLaneCapacity(doc, { id: 'd', capacity: 6 });
	for (const [from, to] of [
		['a1', 'a3'],
		['a3', 'b1'],
		['b1', 'd1'],
		['d1', 'a2']
	] as const) {
		createDependency(doc, { from, to });
	}
	return doc;
}

/** What really changed between two snapshots, in the preview's shape. */
function changes(before: BoardSnapshot, after: BoardSnapshot): Preview {
	const out: Preview = { dependencies: {}, cells: {}, programs: {} };
	const health = new Map(before.dependencies.map((d) => [d.id, d.health]));
	for (const dep of after.dependencies) {
		if (health.get(dep.id) !== dep.health) out.dependencies[dep.id] = dep.health;
	}
	const loads = (board: BoardSnapshot) => {
		const cells = new Map<string, Load>();
		const programs = new Map<string, Load>();
		for (const program of board.programs) {
			for (const period of board.periods) {
				programs.set(`${program.id}/${period.id}`, programLoad(program, period.id));
				for (const lane of program.lanes) {
					cells.set(`${lane.id}/${period.id}`, cellLoad(lane, period.id));
				}
			}
		}
		return { cells, programs };
	};
	const [was, is] = [loads(before), loads(after)];
	for (const kind of ['cells', 'programs'] as const) {
		for (const [key, load] of is[kind]) {
			if (JSON.stringify(was[kind].get(key)) !== JSON.stringify(load)) out[kind][key] = load;
		}
	}
	return out;
}

/** The preview, without entries that restate the current value (allowed, not required). */
function effective(preview: Preview, before: BoardSnapshot): Preview {
	// Against an empty board every cell and program of `before` reads as changed: its loads now.
	const now = changes({ ...before, dependencies: [], programs: [] }, before);
	const out: Preview = { dependencies: preview.dependencies, cells: {}, programs: {} };
	for (const kind of ['cells', 'programs'] as const) {
		for (const [key, load] of Object.entries(preview[kind])) {
			if (JSON.stringify(now[kind][key]) !== JSON.stringify(load)) out[kind][key] = load;
		}
	}
	return out;
}

function apply(doc: Y.Doc, move: PlannedMove): void {
	if (move.kind === 'card') moveCard(doc, { ...move, index: 0 });
	else if (move.kind === 'lane') moveLane(doc, { ...move, index: 0 });
	else movePeriod(doc, move);
}

describe('previewMove', () => {
	it('shows the line that would turn red and the cells whose load would change', () => {
		const board = readBoard(plannedBoard());
		expect(board.dependencies.find((d) => d.id === 'a1>a3')!.health).toBe('green');
		const preview = previewMove(planIndex(board), {
			kind: 'card',
			id: 'a1',
			laneId: 'a',
			periodId: 'q3'
		});
		expect(preview.dependencies).toEqual({ 'a1>a3': 'red' });
		expect(preview.cells['a/q1']).toEqual({ load: 8, capacity: 10, percent: 80, over: false });
		expect(preview.cells['a/q3']).toEqual({ load: 5, capacity: 10, percent: 50, over: false });
	});

	it('predicts exactly what the move then does, for random moves of cards, lanes and periods', () => {
		const rng = mulberry32(11);
		const pick = <T>(list: readonly T[]) => list[Math.floor(rng() * list.length)] as T;
		const base = plannedBoard();
		const before = readBoard(base);
		const index = planIndex(before);
		for (let i = 0; i < 300; i++) {
			const kind = pick(['card', 'lane', 'period'] as const);
			const move: PlannedMove =
				kind === 'card'
					? {
							kind,
							id: pick(['a1', 'a2', 'a3', 'b1', 'd1']),
							laneId: pick(['a', 'b', 'c', 'd']),
							periodId: pick(['q1', 'q2', 'q3'])
						}
					: kind === 'lane'
						? { kind, id: pick(['a', 'b', 'c', 'd']), programId: pick(['growth', 'platform']) }
						: { kind, id: pick(['q1', 'q2', 'q3']), index: Math.floor(rng() * 3) };
			const doc = fork(base, 2);
			apply(doc, move);
			const actual = changes(before, readBoard(doc));
			expect(effective(previewMove(index, move), before), JSON.stringify(move)).toEqual(actual);
		}
	});
});
