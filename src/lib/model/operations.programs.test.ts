import { describe, expect, it } from 'vitest';
import {
	laneIds,
	modelError,
	newDoc,
	programOf,
	seeded,
	smallBoard,
	visibleCardIds
} from '../../../tests/helpers/board.ts';
import {
	createProgram,
	deleteProgram,
	moveLane,
	moveProgram,
	setBoardTitle,
	updateProgram
} from './operations.ts';
import { limits } from './records/index.ts';
import { PROGRAM_COLORS } from './records/program.ts';
import { readBoard } from './snapshot.ts';

const programIds = (doc: Parameters<typeof readBoard>[0]) =>
	readBoard(doc).programs.map((p) => p.id);

describe('setBoardTitle', () => {
	it('sets and rewrites the title', () => {
		const doc = newDoc();
		setBoardTitle(doc, { title: 'Growth plan' });
		setBoardTitle(doc, { title: 'Growth plan 2027' });
		expect(readBoard(doc).title).toBe('Growth plan 2027');
	});

	it('refuses a title over the limit', () => {
		const doc = newDoc();
		const error = modelError(() =>
			setBoardTitle(doc, { title: 'x'.repeat(limits.board.title + 1) })
		);
		expect(error.code).toBe('too-long');
		expect(error.detail).toEqual({ field: 'title', limit: 300 });
		expect(error.message).toBe('title is longer than 300 characters');
	});
});

describe('createProgram', () => {
	it('adds a program with its fields, appended after the others', () => {
		const doc = smallBoard();
		const id = createProgram(doc, {
			...seeded(),
			name: 'Retention',
			objective: 'Churn under 2%',
			manager: 'Mei Chen',
			color: '#123abc'
		});
		expect(programIds(doc)).toEqual(['growth', 'platform', id]);
		expect(programOf(readBoard(doc), id)).toMatchObject({
			name: 'Retention',
			objective: 'Churn under 2%',
			manager: 'Mei Chen',
			color: '#123abc',
			lanes: []
		});
	});

	it('inserts at the index it is given', () => {
		const doc = smallBoard();
		const id = createProgram(doc, { id: 'first', index: 0 });
		expect(id).toBe('first');
		expect(programIds(doc)).toEqual(['first', 'growth', 'platform']);
		createProgram(doc, { id: 'middle', index: 2 });
		expect(programIds(doc)).toEqual(['first', 'growth', 'middle', 'platform']);
	});

	it('fills in defaults and cycles through the palette', () => {
		const doc = newDoc();
		const ids = PROGRAM_COLORS.map(() => createProgram(doc, {}));
		const board = readBoard(doc);
		expect(ids.map((id) => programOf(board, id).color)).toEqual([...PROGRAM_COLORS]);
		expect(programOf(board, ids[0] as string)).toMatchObject({
			name: '',
			objective: '',
			manager: ''
		});
	});

	it.each([
		['a bad colour', { color: 'red' }, /^program color: /],
		['a manager over 120 characters', { manager: 'm'.repeat(121) }, /^program manager: /],
		['a name over the limit', { name: 'n'.repeat(201) }, /^name is longer than 200 characters$/],
		[
			'an objective over the limit',
			{ objective: 'o'.repeat(2001) },
			/^objective is longer than 2000 characters$/
		]
	])('refuses %s', (label, fields, message) => {
		const doc = newDoc();
		const error = modelError(() => createProgram(doc, fields));
		expect(error.code).toBe(/over (the limit|\d+ characters)/.test(label) ? 'too-long' : 'invalid');
		expect(error.message).toMatch(message);
		expect(readBoard(doc).programs).toEqual([]);
	});

	it('refuses an id that is already taken instead of replacing that program', () => {
		const doc = smallBoard();
		const error = modelError(() => createProgram(doc, { id: 'growth', name: 'Impostor' }));
		expect(error.code).toBe('invalid');
		expect(error.message).toBe('program growth already exists');
		expect(programOf(readBoard(doc), 'growth').name).toBe('Growth');
	});

	it.each([
		['empty', ''],
		['longer than 64 characters', 'x'.repeat(65)]
	])('refuses an id that is %s', (_label, id) => {
		const doc = newDoc();
		const error = modelError(() => createProgram(doc, { id }));
		expect(error.code).toBe('invalid');
		expect(error.message).toMatch(/^program id: /);
	});
});

describe('updateProgram', () => {
	it('changes the given fields and leaves the rest alone', () => {
		const doc = smallBoard();
		updateProgram(doc, { id: 'growth', objective: 'Double ARR', color: '#00ff00' });
		updateProgram(doc, { id: 'growth', manager: 'Sofia' });
		expect(programOf(readBoard(doc), 'growth')).toMatchObject({
			name: 'Growth',
			objective: 'Double ARR',
			manager: 'Sofia',
			color: '#00ff00'
		});
		expect(laneIds(readBoard(doc), 'growth')).toEqual(['a', 'b', 'c']);
	});

	it('refuses an unknown id', () => {
		const error = modelError(() => updateProgram(smallBoard(), { id: 'ghost', name: 'x' }));
		expect(error.code).toBe('not-found');
		expect(error.message).toBe('Program ghost does not exist');
	});

	it('refuses a bad colour without writing the other fields', () => {
		const doc = smallBoard();
		modelError(() => updateProgram(doc, { id: 'growth', name: 'Renamed', color: '#zzzzzz' }));
		expect(programOf(readBoard(doc), 'growth').name).toBe('Growth');
	});
});

describe('moveProgram', () => {
	it('reorders programs', () => {
		const doc = smallBoard();
		createProgram(doc, { id: 'third' });
		moveProgram(doc, { id: 'third', index: 0 });
		expect(programIds(doc)).toEqual(['third', 'growth', 'platform']);
		moveProgram(doc, { id: 'third', index: 1 });
		expect(programIds(doc)).toEqual(['growth', 'third', 'platform']);
		moveProgram(doc, { id: 'growth', index: 2 });
		expect(programIds(doc)).toEqual(['third', 'platform', 'growth']);
	});

	it.each([
		['platform', -3],
		['growth', 10]
	])('clamps the index when moving %s to %i', (id, index) => {
		const doc = smallBoard();
		moveProgram(doc, { id, index });
		expect(programIds(doc)).toEqual(['platform', 'growth']);
	});

	it('keeps the lanes of the moved program', () => {
		const doc = smallBoard();
		moveProgram(doc, { id: 'growth', index: 1 });
		expect(laneIds(readBoard(doc), 'growth')).toEqual(['a', 'b', 'c']);
	});

	it('refuses an unknown id', () => {
		expect(modelError(() => moveProgram(smallBoard(), { id: 'ghost', index: 0 })).code).toBe(
			'not-found'
		);
	});
});

describe('deleteProgram', () => {
	it('removes the program, its lanes and their cards, and nothing else', () => {
		const doc = smallBoard();
		deleteProgram(doc, { id: 'growth' });
		const board = readBoard(doc);
		expect(board.programs.map((p) => p.id)).toEqual(['platform']);
		expect(laneIds(board, 'platform')).toEqual(['d']);
		expect(visibleCardIds(board)).toEqual(['d1']);
		expect(board.periods.map((p) => p.id)).toEqual(['q1', 'q2', 'q3']);
		// Removed, not orphaned.
		expect(board.orphans).toEqual({ lanes: [], cards: [], dependencies: [], objectives: [] });
		expect([...doc.getMap('lanes').keys()].sort()).toEqual(['d']);
		expect([...doc.getMap('cards').keys()].sort()).toEqual(['d1']);
	});

	it('removes a lane that was moved into the program before the delete, with its cards', () => {
		const doc = smallBoard();
		moveLane(doc, { id: 'a', programId: 'platform', index: 0 });
		deleteProgram(doc, { id: 'platform' });
		const board = readBoard(doc);
		expect(laneIds(board, 'growth')).toEqual(['b', 'c']);
		expect(visibleCardIds(board)).toEqual(['b1']);
		expect([...doc.getMap('cards').keys()]).toEqual(['b1']);
	});

	it('refuses an unknown id', () => {
		const error = modelError(() => deleteProgram(smallBoard(), { id: 'ghost' }));
		expect(error.code).toBe('not-found');
		expect(error.message).toBe('Program ghost does not exist');
	});
});
