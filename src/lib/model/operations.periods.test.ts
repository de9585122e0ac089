import { describe, expect, it } from 'vitest';
import {
	cellIds,
	fork,
	modelError,
	newDoc,
	rawRecord,
	smallBoard,
	sync,
	visibleCardIds
} from '../../../tests/helpers/board.ts';
import { createPeriod, deletePeriod, movePeriod, updatePeriod } from './operations.ts';
import { readBoard } from './snapshot.ts';

const periodIds = (doc: ReturnType<typeof newDoc>) => readBoard(doc).periods.map((p) => p.id);
const periodOf = (doc: ReturnType<typeof newDoc>, id: string) =>
	readBoard(doc).periods.find((p) => p.id === id);

describe('createPeriod', () => {
	it('appends a period with optional dates', () => {
		const doc = smallBoard();
		createPeriod(doc, { id: 'q4', name: 'Q4 2027', start: '2027-10-01', end: '2027-12-31' });
		createPeriod(doc, { id: 'later', name: 'Later' });
		expect(periodIds(doc)).toEqual(['q1', 'q2', 'q3', 'q4', 'later']);
		expect(periodOf(doc, 'q4')).toMatchObject({
			name: 'Q4 2027',
			start: '2027-10-01',
			end: '2027-12-31'
		});
		expect(periodOf(doc, 'later')).toMatchObject({ name: 'Later', start: null, end: null });
	});

	it('inserts at the index it is given', () => {
		const doc = smallBoard();
		createPeriod(doc, { id: 'q0', index: 0 });
		expect(periodIds(doc)).toEqual(['q0', 'q1', 'q2', 'q3']);
	});

	it('accepts a one-day period', () => {
		const doc = newDoc();
		const id = createPeriod(doc, { start: '2027-05-01', end: '2027-05-01' });
		expect(periodOf(doc, id)).toMatchObject({ start: '2027-05-01', end: '2027-05-01' });
	});

	it.each([
		[
			'a start after the end',
			{ start: '2027-04-01', end: '2027-03-31' },
			/^period starts \(2027-04-01\) after it ends \(2027-03-31\)$/
		],
		['an impossible date', { start: '2027-13-01' }, /^period start: Invalid date/],
		['a day the month does not have', { end: '2027-02-30' }, /^period end: not a calendar date/],
		['a date that is not ISO', { end: '31/12/2027' }, /^period end: Invalid date/],
		['a name over the limit', { name: 'n'.repeat(201) }, /^name is longer than 200 characters$/]
	])('refuses %s', (label, fields, message) => {
		const doc = newDoc();
		const error = modelError(() => createPeriod(doc, fields));
		expect(error.code).toBe(/over (the limit|\d+ characters)/.test(label) ? 'too-long' : 'invalid');
		expect(error.message).toMatch(message);
		expect(readBoard(doc).periods).toEqual([]);
	});
});

describe('updatePeriod', () => {
	it('sets, changes and clears dates', () => {
		const doc = smallBoard();
		updatePeriod(doc, { id: 'q1', start: '2027-01-01', end: '2027-03-31' });
		updatePeriod(doc, { id: 'q1', name: 'Q1 2027' });
		expect(periodOf(doc, 'q1')).toMatchObject({
			name: 'Q1 2027',
			start: '2027-01-01',
			end: '2027-03-31'
		});
		updatePeriod(doc, { id: 'q1', end: null });
		expect(periodOf(doc, 'q1')).toMatchObject({ start: '2027-01-01', end: null });
	});

	it('checks a new date against the one already stored', () => {
		const doc = smallBoard();
		updatePeriod(doc, { id: 'q1', start: '2027-01-01', end: '2027-03-31' });
		const error = modelError(() => updatePeriod(doc, { id: 'q1', end: '2026-12-31' }));
		expect(error.message).toBe('period starts (2027-01-01) after it ends (2026-12-31)');
		expect(periodOf(doc, 'q1')?.end).toBe('2027-03-31');
	});

	it('still renames a period whose dates two people inverted at the same moment', () => {
		const a = smallBoard(1);
		updatePeriod(a, { id: 'q2', start: '2027-04-01', end: '2027-06-30' });
		const b = fork(a, 2);
		updatePeriod(a, { id: 'q2', start: '2027-06-01' });
		updatePeriod(b, { id: 'q2', end: '2027-05-01' });
		sync(a, b);
		expect(periodOf(a, 'q2')).toMatchObject({ start: '2027-06-01', end: '2027-05-01' });
		updatePeriod(a, { id: 'q2', name: 'Q2 2027' });
		expect(periodOf(a, 'q2')?.name).toBe('Q2 2027');
		// A date edit is still checked against the stored one, so it has to fix the range.
		modelError(() => updatePeriod(a, { id: 'q2', start: '2027-05-15' }));
		updatePeriod(a, { id: 'q2', start: '2027-04-01' });
		expect(periodOf(a, 'q2')).toMatchObject({ start: '2027-04-01', end: '2027-05-01' });
	});

	it('ignores a stored date that is not a date when checking a new one', () => {
		const doc = smallBoard();
		rawRecord(doc, 'periods', 'q1').set('start', 'not a date');
		expect(periodOf(doc, 'q1')?.start).toBeNull();
		updatePeriod(doc, { id: 'q1', end: '2027-03-31' });
		expect(periodOf(doc, 'q1')).toMatchObject({ start: null, end: '2027-03-31' });
	});

	it('refuses an unknown id', () => {
		const error = modelError(() => updatePeriod(smallBoard(), { id: 'ghost', name: 'x' }));
		expect(error.code).toBe('not-found');
		expect(error.message).toBe('Period ghost does not exist');
	});
});

describe('movePeriod', () => {
	it('reorders periods and their cards follow', () => {
		const doc = smallBoard();
		movePeriod(doc, { id: 'q3', index: 0 });
		expect(periodIds(doc)).toEqual(['q3', 'q1', 'q2']);
		movePeriod(doc, { id: 'q1', index: 2 });
		expect(periodIds(doc)).toEqual(['q3', 'q2', 'q1']);
		expect(cellIds(readBoard(doc), 'a', 'q1')).toEqual(['a1', 'a2']);
	});

	it.each([
		['q3', -1, ['q3', 'q1', 'q2']],
		['q1', 42, ['q2', 'q3', 'q1']]
	])('clamps the index when moving %s to %i', (id, index, expected) => {
		const doc = smallBoard();
		movePeriod(doc, { id, index });
		expect(periodIds(doc)).toEqual(expected);
	});

	it('refuses an unknown id', () => {
		expect(modelError(() => movePeriod(smallBoard(), { id: 'ghost', index: 0 })).code).toBe(
			'not-found'
		);
	});
});

describe('deletePeriod', () => {
	it('removes the period and every card in it, in every lane', () => {
		const doc = smallBoard();
		deletePeriod(doc, { id: 'q1' });
		const board = readBoard(doc);
		expect(periodIds(doc)).toEqual(['q2', 'q3']);
		expect(visibleCardIds(board)).toEqual(['a3', 'd1']);
		expect([...doc.getMap('cards').keys()].sort()).toEqual(['a3', 'd1']);
		expect(board.programs.flatMap((p) => p.lanes.map((l) => l.id))).toEqual(['a', 'b', 'c', 'd']);
		expect(board.orphans).toEqual({ lanes: [], cards: [], dependencies: [], objectives: [] });
	});

	it('refuses an unknown id', () => {
		expect(modelError(() => deletePeriod(smallBoard(), { id: 'ghost' })).message).toBe(
			'Period ghost does not exist'
		);
	});
});
