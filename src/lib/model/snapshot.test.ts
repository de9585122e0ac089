import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	cellIds,
	fork,
	laneIds,
	laneOf,
	newDoc,
	programOf,
	rawRecord,
	smallBoard,
	sync,
	visibleCardIds
} from '../../../tests/helpers/board.ts';
import {
	createLane,
	createProgram,
	deleteLane,
	deletePeriod,
	deleteProgram,
	moveCard,
	moveLane,
	updateCard
} from './operations.ts';
import { PROGRAM_COLORS } from './records/program.ts';
import { readBoard, schemaVersionOf } from './snapshot.ts';

describe('readBoard', () => {
	it('reads an empty doc as an empty board', () => {
		expect(readBoard(newDoc())).toEqual({
			title: '',
			schemaVersion: 0,
			unit: 'points',
			periods: [],
			programs: [],
			dependencies: [],
			risks: { new: [], resolved: [], owned: [], accepted: [], mitigated: [] },
			predictability: { planned: 0, actual: 0, percent: null, committed: 0, stretch: 0, scored: 0 },
			orphans: { lanes: [], cards: [], dependencies: [], objectives: [] },
			ignored: 0
		});
	});

	it('orders everything and numbers lane priorities from 1 in each program', () => {
		const board = readBoard(smallBoard());
		expect(board.programs.map((p) => p.id)).toEqual(['growth', 'platform']);
		expect(board.periods.map((p) => p.id)).toEqual(['q1', 'q2', 'q3']);
		expect(programOf(board, 'growth').lanes.map((l) => [l.id, l.priority])).toEqual([
			['a', 1],
			['b', 2],
			['c', 3]
		]);
		expect(programOf(board, 'platform').lanes.map((l) => [l.id, l.priority])).toEqual([['d', 1]]);
		expect(cellIds(board, 'a', 'q1')).toEqual(['a1', 'a2']);
		expect(Object.keys(laneOf(board, 'c')?.cells ?? { x: 1 })).toEqual([]);
	});

	it('is the same on two peers that received the same edits in different orders', () => {
		const a = smallBoard(1);
		const b = fork(a, 2);
		const c = fork(a, 3);
		moveLane(b, { id: 'c', programId: 'growth', index: 0 });
		updateCard(c, { id: 'a1', title: 'Renamed' });
		moveCard(c, { id: 'b1', laneId: 'a', periodId: 'q1', index: 0 });
		sync(a, c);
		sync(a, b);
		sync(c, b);
		expect(readBoard(b)).toEqual(readBoard(a));
		expect(readBoard(c)).toEqual(readBoard(a));
	});

	describe('with garbage in the document', () => {
		it('skips values that are not records and counts them in ignored', () => {
			const doc = smallBoard();
			doc.getMap('programs').set('junk', 'not a record');
			doc.getMap('lanes').set('junk', 42);
			doc.getMap('periods').set('junk', null);
			doc.getMap('cards').set('junk', new Y.Array());
			const board = readBoard(doc);
			expect(board.ignored).toBe(4);
			expect(board.programs.map((p) => p.id)).toEqual(['growth', 'platform']);
			expect(visibleCardIds(board)).toEqual(['a1', 'a2', 'a3', 'b1', 'd1']);
			expect(board.orphans).toEqual({ lanes: [], cards: [], dependencies: [], objectives: [] });
		});

		it("reads a bad scalar as that field's default", () => {
			const doc = smallBoard();
			const lane = rawRecord(doc, 'lanes', 'a');
			lane.set('health', 'purple');
			lane.set('progress', 150);
			lane.set('manager', { name: 'Ana' });
			rawRecord(doc, 'programs', 'growth').set('color', 'blue');
			const card = rawRecord(doc, 'cards', 'a1');
			card.set('kind', 'epic');
			card.set('done', 'yes');
			rawRecord(doc, 'periods', 'q1').set('end', 'end of March');
			const board = readBoard(doc);
			expect(laneOf(board, 'a')).toMatchObject({ health: null, progress: 0, manager: '' });
			expect(programOf(board, 'growth').color).toBe(PROGRAM_COLORS[0]);
			expect(laneOf(board, 'a')?.cells.q1?.[0]).toMatchObject({
				id: 'a1',
				kind: 'deliverable',
				done: false
			});
			expect(board.periods[0]).toMatchObject({ id: 'q1', end: null });
			// Still on the board, in place.
			expect(laneOf(board, 'a')?.priority).toBe(1);
		});

		it('reads a text written as a plain string, and anything else as empty', () => {
			const doc = smallBoard();
			rawRecord(doc, 'lanes', 'a').set('name', 'Plain');
			rawRecord(doc, 'lanes', 'b').set('name', 7);
			expect(laneOf(readBoard(doc), 'a')?.name).toBe('Plain');
			expect(laneOf(readBoard(doc), 'b')?.name).toBe('');
		});

		it('shows a program with a bad position after the others, by id', () => {
			const doc = smallBoard();
			createProgram(doc, { id: 'alpha' });
			rawRecord(doc, 'programs', 'platform').set('pos', { rank: 42 });
			rawRecord(doc, 'programs', 'alpha').set('pos', 'nowhere');
			const board = readBoard(doc);
			expect(board.programs.map((p) => p.id)).toEqual(['growth', 'alpha', 'platform']);
			expect(programOf(board, 'platform')).toMatchObject({ pos: { rank: '' } });
			// Its lanes are still shown in it.
			expect(laneIds(board, 'platform')).toEqual(['d']);
		});

		it('shows a period with a bad position after the others, with its cards', () => {
			const doc = smallBoard();
			rawRecord(doc, 'periods', 'q1').delete('pos');
			const board = readBoard(doc);
			expect(board.periods.map((p) => p.id)).toEqual(['q2', 'q3', 'q1']);
			expect(cellIds(board, 'a', 'q1')).toEqual(['a1', 'a2']);
		});

		it('sets aside a lane with an unreadable position, counting its cards with it', () => {
			const doc = smallBoard();
			rawRecord(doc, 'lanes', 'a').set('pos', { program: 'growth' });
			const board = readBoard(doc);
			expect(laneIds(board, 'growth')).toEqual(['b', 'c']);
			expect(board.orphans.lanes).toEqual([{ id: 'a', name: 'Checkout', cardCount: 3 }]);
			expect(board.orphans.cards).toEqual([]);
			expect(visibleCardIds(board)).toEqual(['b1', 'd1']);
		});

		it('treats a rank that is not a real ordering key as unreadable, and moves around it work', () => {
			const doc = smallBoard();
			rawRecord(doc, 'lanes', 'b').set('pos', { program: 'growth', rank: 'a0!' });
			expect(readBoard(doc).orphans.lanes.map((l) => l.id)).toEqual(['b']);
			moveLane(doc, { id: 'd', programId: 'growth', index: 1 });
			expect(laneIds(readBoard(doc), 'growth')).toEqual(['a', 'd', 'c']);
		});

		it('lists a card with an unreadable position in orphans.cards', () => {
			const doc = smallBoard();
			rawRecord(doc, 'cards', 'a2').set('pos', { lane: 'a', period: 'q1', rank: '' });
			const board = readBoard(doc);
			expect(cellIds(board, 'a', 'q1')).toEqual(['a1']);
			expect(board.orphans.cards).toEqual([{ id: 'a2', title: 'Card a2' }]);
		});
	});

	describe('after concurrent deletes', () => {
		it('lists a lane moved into a program someone deleted in orphans.lanes, with its cards', () => {
			const a = smallBoard(1);
			const b = fork(a, 2);
			deleteProgram(a, { id: 'growth' });
			moveLane(b, { id: 'd', programId: 'growth', index: 0 });
			sync(a, b);
			const board = readBoard(a);
			expect(board).toEqual(readBoard(b));
			expect(board.programs.map((p) => p.id)).toEqual(['platform']);
			expect(laneIds(board, 'platform')).toEqual([]);
			expect(board.orphans.lanes).toEqual([{ id: 'd', name: 'Observability', cardCount: 1 }]);
			expect(visibleCardIds(board)).toEqual([]);
		});

		it('lists a card moved into a lane someone deleted in orphans.cards', () => {
			const a = smallBoard(1);
			const b = fork(a, 2);
			deleteLane(a, { id: 'b' });
			moveCard(b, { id: 'a1', laneId: 'b', periodId: 'q1', index: 0 });
			sync(a, b);
			const board = readBoard(a);
			expect(board).toEqual(readBoard(b));
			expect(board.orphans.cards).toEqual([{ id: 'a1', title: 'Card a1' }]);
			expect(visibleCardIds(board)).toEqual(['a2', 'a3', 'd1']);
		});

		it('lists a card moved into a period someone deleted in orphans.cards', () => {
			const a = smallBoard(1);
			const b = fork(a, 2);
			deletePeriod(a, { id: 'q3' });
			moveCard(b, { id: 'd1', laneId: 'd', periodId: 'q3', index: 0 });
			sync(a, b);
			const board = readBoard(b);
			expect(board).toEqual(readBoard(a));
			expect(board.periods.map((p) => p.id)).toEqual(['q1', 'q2']);
			expect(board.orphans.cards).toEqual([{ id: 'd1', title: 'Card d1' }]);
		});

		it('lets a delete win over a concurrent move of the same lane', () => {
			const a = smallBoard(1);
			const b = fork(a, 2);
			deleteLane(a, { id: 'a' });
			moveLane(b, { id: 'a', programId: 'platform', index: 0 });
			sync(a, b);
			expect(readBoard(a)).toEqual(readBoard(b));
			expect(laneOf(readBoard(a), 'a')).toBeUndefined();
			expect(readBoard(a).orphans.lanes).toEqual([]);
		});

		it('keeps a lane created in a program someone deleted as an orphan', () => {
			const a = smallBoard(1);
			const b = fork(a, 2);
			deleteProgram(a, { id: 'platform' });
			createLane(b, { id: 'late', programId: 'platform', name: 'Late' });
			sync(a, b);
			expect(readBoard(a).orphans.lanes).toEqual([{ id: 'late', name: 'Late', cardCount: 0 }]);
		});
	});
});

describe('schemaVersionOf', () => {
	it.each([
		[3, 3],
		[0, 0],
		[-1, 0],
		[1.5, 0],
		['2', 0],
		[undefined, 0]
	])('reads %j as %i', (stored, expected) => {
		const doc = newDoc();
		if (stored !== undefined) doc.getMap('meta').set('schemaVersion', stored);
		expect(schemaVersionOf(doc)).toBe(expected);
		expect(readBoard(doc).schemaVersion).toBe(expected);
	});
});
