import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { newDoc, seeded } from '../../../tests/helpers/board.ts';
import { diffBoards } from './diff.ts';
import {
	createCard,
	createLane,
	deleteLane,
	deletePeriod,
	moveCard,
	moveLane,
	updateCard,
	updateLane,
	updatePeriod,
	updateProgram
} from './operations.ts';
import { seedSampleBoard } from './sample.ts';
import { readBoard } from './snapshot.ts';

function sample(): Y.Doc {
	const doc = newDoc();
	seedSampleBoard(doc, seeded(5));
	return doc;
}

const flat = (diff: ReturnType<typeof diffBoards>) => diff.groups.flatMap((g) => g.changes);

describe('diffBoards', () => {
	it('finds nothing between a board and itself', () => {
		const doc = sample();
		expect(diffBoards(readBoard(doc), readBoard(doc))).toMatchObject({ groups: [], total: 0 });
	});

	it('reports one dragged lane and two moved cards as exactly three changes', () => {
		const doc = sample();
		const before = readBoard(doc);
		const program = before.programs[0]!;
		const [first, , third] = program.lanes;
		const [q1, q2, q3] = before.periods;
		// Lane 3 to the top: lanes 1 and 2 shift down, but only lane 3 was reprioritised.
		moveLane(doc, { id: third!.id, programId: program.id, index: 0 });
		const card = first!.cells[q1!.id]![0]!;
		moveCard(doc, { id: card.id, laneId: first!.id, periodId: q3!.id, index: 0 });
		const other = third!.cells[q2!.id]![0]!;
		moveCard(doc, { id: other.id, laneId: first!.id, periodId: q2!.id, index: 0 });

		const diff = diffBoards(before, readBoard(doc));
		expect(diff.total).toBe(3);
		expect(diff.counts).toMatchObject({ reprioritised: 1, moved: 2 });
		expect(diff.groups).toEqual([
			{
				program: { id: program.id, name: program.name },
				changes: [
					{ kind: 'reprioritised', type: 'lane', id: third!.id, name: third!.name, from: 3, to: 1 },
					// In board order: both are in the first lane now, Q2 before Q3.
					{
						kind: 'moved',
						type: 'card',
						id: other.id,
						name: other.title,
						from: { lane: third!.id, period: q2!.id },
						to: { lane: first!.id, period: q2!.id }
					},
					{
						kind: 'moved',
						type: 'card',
						id: card.id,
						name: card.title,
						from: { lane: first!.id, period: q1!.id },
						to: { lane: first!.id, period: q3!.id }
					}
				]
			}
		]);
	});

	it('names additions, removals, renames, field changes and lanes moved between programs', () => {
		const doc = sample();
		const before = readBoard(doc);
		const [growth, platform] = before.programs;
		const lane = growth!.lanes[1]!;
		const period = before.periods[3]!;
		updateProgram(doc, { id: growth!.id, name: 'Growth' });
		updateLane(doc, { id: lane.id, health: 'off-track', progress: 90 });
		const added = createLane(doc, { programId: growth!.id, name: 'New lane', index: 0 });
		createCard(doc, { laneId: added, periodId: before.periods[0]!.id, title: 'New card' });
		const moved = growth!.lanes[4]!;
		moveLane(doc, { id: moved.id, programId: platform!.id, index: 0 });
		deleteLane(doc, { id: platform!.lanes.at(-1)!.id });
		updatePeriod(doc, { id: before.periods[0]!.id, name: 'Q1 (committed)' });
		deletePeriod(doc, { id: period.id });
		const card = lane.cells[before.periods[1]!.id]![0]!;
		updateCard(doc, { id: card.id, done: !card.done, estimate: 99.5 });

		const diff = diffBoards(before, readBoard(doc));
		const changes = flat(diff);
		expect(diff.groups.map((g) => g.program?.name ?? null)).toEqual([
			null,
			'Growth',
			platform!.name
		]);
		expect(changes).toEqual(
			expect.arrayContaining([
				{ kind: 'renamed', type: 'program', id: growth!.id, from: growth!.name, to: 'Growth' },
				expect.objectContaining({
					kind: 'field',
					id: lane.id,
					field: 'health',
					from: lane.health,
					to: 'off-track'
				}),
				expect.objectContaining({ kind: 'field', id: lane.id, field: 'progress', to: 90 }),
				expect.objectContaining({ kind: 'added', type: 'lane', name: 'New lane' }),
				expect.objectContaining({ kind: 'added', type: 'card', name: 'New card' }),
				expect.objectContaining({
					kind: 'moved',
					type: 'lane',
					id: moved.id,
					from: growth!.id,
					to: platform!.id
				}),
				expect.objectContaining({
					kind: 'removed',
					type: 'lane',
					name: platform!.lanes.at(-1)!.name
				}),
				expect.objectContaining({ kind: 'renamed', type: 'period', to: 'Q1 (committed)' }),
				expect.objectContaining({ kind: 'removed', type: 'period', name: period.name }),
				expect.objectContaining({ kind: 'field', type: 'card', id: card.id, field: 'done' }),
				expect.objectContaining({ kind: 'field', id: card.id, field: 'estimate', to: 99.5 })
			])
		);
		// A lane added at the top shifts every other lane down: none of them was reprioritised.
		expect(changes.filter((c) => c.kind === 'reprioritised')).toEqual([]);
		expect(diff.total).toBe(changes.length);
	});
});
