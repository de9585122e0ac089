import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { newDoc, rawRecord, seeded } from '../../../../tests/helpers/board.ts';
import { COLLECTIONS } from '../doc.ts';
import { migrate } from '../migrations.ts';
import { createObjective, linkObjective, updateObjective } from '../operations-objectives.ts';
import { createDependency, setLaneCapacity } from '../operations-planning.ts';
import { createRisk } from '../operations-risks.ts';
import {
	createCard,
	createLane,
	createPeriod,
	createProgram,
	deleteProgram,
	setBoardUnit,
	updateCard,
	updateLane
} from '../operations.ts';
import { seedSampleBoard } from '../sample.ts';
import { readBoard } from '../snapshot.ts';
import { BoardFileError, exportBoard, importBoard, parseBoardFile } from './json.ts';
import { RECORD_TYPES } from './records.ts';

function sample(): Y.Doc {
	const doc = newDoc();
	seedSampleBoard(doc, seeded(7));
	return doc;
}

/** A board with every record type and every planning field set. */
function planned(): Y.Doc {
	// Migrated first, as every board is, so the import has nothing left to migrate.
	const doc = newDoc();
	migrate(doc);
	setBoardUnit(doc, { unit: 'days' });
	const programId = createProgram(doc, { name: 'Payments', objective: 'Ship SEPA' });
	const q1 = createPeriod(doc, { name: 'Q1' });
	const q2 = createPeriod(doc, { name: 'Q2' });
	const laneId = createLane(doc, { programId, name: 'Billing' });
	setLaneCapacity(doc, { id: laneId, capacity: 10 });
	setLaneCapacity(doc, { id: laneId, periodId: q2, capacity: 4.5 });
	const a = createCard(doc, { laneId, periodId: q1, title: 'Schema', estimate: 3, owner: 'Ana' });
	const b = createCard(doc, { laneId, periodId: q2, title: 'Rollout', kind: 'milestone' });
	updateCard(doc, { id: b, estimate: 0.5, done: true });
	createDependency(doc, { from: a, to: b, kind: 'start-to-start' });
	const objectiveId = createObjective(doc, { programId, name: 'Card payments', planned: 8 });
	updateObjective(doc, { id: objectiveId, actual: 6, commitment: 'stretch' });
	linkObjective(doc, { id: objectiveId, kind: 'lane', targetId: laneId, linked: true });
	linkObjective(doc, { id: objectiveId, kind: 'card', targetId: a, linked: true });
	createRisk(doc, {
		title: 'Vendor late',
		description: 'The PSP may slip',
		owner: 'Bo',
		roam: 'owned',
		threatens: { kind: 'card', id: b }
	});
	createRisk(doc, { title: 'Unknown' });

	return doc;
}

/** Through text, as a file on disk would go. */
const roundTrip = (doc: Y.Doc) => importBoard(JSON.parse(JSON.stringify(exportBoard(doc))));

function expectError(input: unknown, message: RegExp) {
	let caught: unknown;
	try {
		importBoard(input);
	} catch (err) {
		caught = err;
	}
	expect(caught).toBeInstanceOf(BoardFileError);
	expect((caught as Error).message).toMatch(message);
}

describe('board file', () => {
	it('round-trips the sample board to the same snapshot', () => {
		const doc = sample();
		const copy = roundTrip(doc);
		expect(readBoard(copy)).toEqual(readBoard(doc));
		expect(readBoard(copy).programs.length).toBeGreaterThan(0);
	});

	it('round-trips dependencies, objectives, risks, estimates, owners, capacity and the unit', () => {
		const doc = planned();
		const file = exportBoard(doc);
		expect(file.board.unit).toBe('days');
		for (const name of COLLECTIONS) expect(file.records[name].length).toBeGreaterThan(0);
		const [lane] = file.records.lanes;
		expect(lane).toMatchObject({ capacity: 10 });
		expect(Object.values(lane!.periodCapacity as object)).toEqual([4.5]);
		const copy = roundTrip(doc);
		expect(readBoard(copy)).toEqual(readBoard(doc));
		// And the file of the copy is the file of the original: nothing dropped on either side.
		expect(exportBoard(copy, { now: new Date(0) })).toEqual(exportBoard(doc, { now: new Date(0) }));
		const board = readBoard(copy);
		expect(board.unit).toBe('days');
		expect(board.dependencies).toHaveLength(1);
		expect(board.risks.owned[0]).toMatchObject({ title: 'Vendor late', owner: 'Bo' });
	});

	it('imports a schema-1 file (no unit, no objectives) and migrates it', () => {
		const doc = importBoard({
			format: 'railyard-board',
			version: 1,
			board: { title: 'Old', schemaVersion: 1 },
			records: {
				programs: [{ id: 'p1', pos: { rank: 'a0' }, name: 'Payments', objective: 'Ship SEPA' }]
			}
		});
		const file = exportBoard(doc);
		expect(file.board).toMatchObject({ unit: 'points', schemaVersion: 2 });
		expect(file.records.objectives).toEqual([expect.objectContaining({ name: 'Ship SEPA' })]);
	});

	it('round-trips orphans and unreadable positions as orphans', () => {
		const doc = sample();
		const programId = createProgram(doc, { name: 'Doomed' });
		const laneId = createLane(doc, { programId, name: 'Left behind', health: 'at-risk' });
		// A lane whose program is gone, as after a concurrent delete and move.
		const lane = rawRecord(doc, 'lanes', laneId);
		deleteProgram(doc, { id: programId });
		doc.getMap('lanes').set(laneId, lane.clone());
		// A card whose position a peer garbled.
		const someCard = [...doc.getMap('cards').keys()][0]!;
		rawRecord(doc, 'cards', someCard).set('pos', 'garbage');
		const before = readBoard(doc);
		expect(before.orphans.lanes.map((l) => l.id)).toContain(laneId);
		expect(before.orphans.cards.map((c) => c.id)).toContain(someCard);

		const copy = roundTrip(doc);
		expect(readBoard(copy)).toEqual(before);
	});

	it('writes every field of every record type, by the record definitions', () => {
		const file = exportBoard(planned());
		for (const name of COLLECTIONS) {
			const type = RECORD_TYPES[name];
			const record = file.records[name][0]!;
			expect(Object.keys(record).sort()).toEqual(
				[
					'id',
					'pos',
					...Object.keys(type.texts),
					...Object.keys(type.fields),
					...Object.keys(type.keyed ?? {})
				].sort()
			);
		}
		expect(file).toMatchObject({ format: 'railyard-board', version: 1 });
	});

	it('names the path and reason of a bad value', () => {
		const file = exportBoard(sample());
		(file.records.lanes[2] as Record<string, unknown>).health = 'great';
		expectError(file, /^records\.lanes\.2\.health: /);
		const other = exportBoard(sample());
		(other.records.cards[0]!.pos as { rank: string }).rank = '';
		expectError(other, /^records\.cards\.0\.pos\.rank: not an ordering key/);
	});

	it('refuses unknown fields, duplicate ids, other files and newer versions', () => {
		const file = exportBoard(sample());
		(file.records.programs[0] as Record<string, unknown>).budget = 3;
		expectError(file, /^records\.programs\.0\.budget: /);
		const twice = exportBoard(sample());
		twice.records.periods.push({ ...twice.records.periods[0]! });
		expectError(twice, /records\.periods\.4\.id: id ".*" appears twice/);
		expectError({ hello: 'world' }, /^format: not a Railyard board file/);
		expectError(null, /not a Railyard board file/);
		expectError({ ...exportBoard(sample()), version: 2 }, /^version: version 2 is newer/);
		const newer = exportBoard(sample());
		newer.board.schemaVersion = 99;
		expectError(newer, /^board\.schemaVersion: written by a newer Railyard/);
		expect(() => parseBoardFile('{nope')).toThrow(/not JSON/);
	});

	it('accepts a hand-written file that leaves out fields (their defaults)', () => {
		const doc = importBoard({
			format: 'railyard-board',
			version: 1,
			board: { title: 'By hand', schemaVersion: 1 },
			records: {
				programs: [{ id: 'p1', pos: { rank: 'a0' }, name: 'Payments' }],
				lanes: [{ id: 'l1', pos: { program: 'p1', rank: 'a0' }, name: 'Billing' }]
			}
		});
		const board = readBoard(doc);
		expect(board.title).toBe('By hand');
		expect(board.programs[0]!.lanes[0]).toMatchObject({ name: 'Billing', health: null });
		// It is an ordinary board: operations work on it.
		updateLane(doc, { id: 'l1', progress: 40 });
		expect(readBoard(doc).programs[0]!.lanes[0]!.progress).toBe(40);
	});
});
