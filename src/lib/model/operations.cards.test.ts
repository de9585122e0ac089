import { describe, expect, it } from 'vitest';
import {
	cellIds,
	laneOf,
	modelError,
	seeded,
	smallBoard,
	visibleCardIds
} from '../../../tests/helpers/board.ts';
import { createCard, deleteCard, moveCard, updateCard } from './operations.ts';
import { readBoard } from './snapshot.ts';

const cardOf = (doc: ReturnType<typeof smallBoard>, laneId: string, periodId: string, id: string) =>
	laneOf(readBoard(doc), laneId)?.cells[periodId]?.find((card) => card.id === id);

describe('createCard', () => {
	it('appends a card to its cell with defaults', () => {
		const doc = smallBoard();
		const id = createCard(doc, { ...seeded(), laneId: 'a', periodId: 'q1', title: 'Pricing page' });
		expect(cellIds(readBoard(doc), 'a', 'q1')).toEqual(['a1', 'a2', id]);
		expect(cardOf(doc, 'a', 'q1', id)).toMatchObject({
			title: 'Pricing page',
			kind: 'deliverable',
			done: false,
			pos: { lane: 'a', period: 'q1' }
		});
	});

	it('inserts at the index it is given, with the kind and state it is given', () => {
		const doc = smallBoard();
		createCard(doc, {
			id: 'm',
			laneId: 'a',
			periodId: 'q1',
			index: 1,
			kind: 'milestone',
			done: true
		});
		expect(cellIds(readBoard(doc), 'a', 'q1')).toEqual(['a1', 'm', 'a2']);
		expect(cardOf(doc, 'a', 'q1', 'm')).toMatchObject({ kind: 'milestone', done: true });
	});

	it('starts a new cell in an empty lane × period', () => {
		const doc = smallBoard();
		createCard(doc, { id: 'new', laneId: 'c', periodId: 'q3' });
		expect(laneOf(readBoard(doc), 'c')?.cells).toEqual({
			q3: [expect.objectContaining({ id: 'new' })]
		});
	});

	it.each([
		['an unknown lane', { laneId: 'ghost' }, 'Lane ghost does not exist'],
		['an unknown period', { periodId: 'ghost' }, 'Period ghost does not exist']
	])('refuses %s', (_label, where, message) => {
		const error = modelError(() =>
			createCard(smallBoard(), { laneId: 'a', periodId: 'q1', ...where })
		);
		expect(error.code).toBe('not-found');
		expect(error.message).toBe(message);
	});

	it.each([
		['a kind outside the list', { kind: 'epic' }, /^card kind: /],
		['done that is not a boolean', { done: 'yes' }, /^card done: /],
		['a title over the limit', { title: 't'.repeat(301) }, /^title is longer than 300 characters$/]
	])('refuses %s', (label, fields, message) => {
		const doc = smallBoard();
		const error = modelError(() =>
			createCard(doc, { laneId: 'a', periodId: 'q1', ...(fields as object) })
		);
		expect(error.code).toBe(/over (the limit|\d+ characters)/.test(label) ? 'too-long' : 'invalid');
		expect(error.message).toMatch(message);
		expect(cellIds(readBoard(doc), 'a', 'q1')).toEqual(['a1', 'a2']);
	});
});

describe('updateCard', () => {
	it('changes the given fields and leaves the rest alone', () => {
		const doc = smallBoard();
		updateCard(doc, { id: 'a1', done: true });
		updateCard(doc, { id: 'a1', title: 'Checkout UX research', kind: 'milestone' });
		expect(cardOf(doc, 'a', 'q1', 'a1')).toMatchObject({
			title: 'Checkout UX research',
			kind: 'milestone',
			done: true
		});
		expect(cellIds(readBoard(doc), 'a', 'q1')).toEqual(['a1', 'a2']);
	});

	it('refuses an unknown id', () => {
		const error = modelError(() => updateCard(smallBoard(), { id: 'ghost', done: true }));
		expect(error.code).toBe('not-found');
		expect(error.message).toBe('Card ghost does not exist');
	});
});

describe('moveCard', () => {
	it('reorders a card within its cell', () => {
		const doc = smallBoard();
		moveCard(doc, { id: 'a2', laneId: 'a', periodId: 'q1', index: 0 });
		expect(cellIds(readBoard(doc), 'a', 'q1')).toEqual(['a2', 'a1']);
	});

	it('moves a card to another lane, keeping its period and fields', () => {
		const doc = smallBoard();
		updateCard(doc, { id: 'a1', done: true, kind: 'milestone' });
		moveCard(doc, { id: 'a1', laneId: 'b', periodId: 'q1', index: 0 });
		const board = readBoard(doc);
		expect(cellIds(board, 'a', 'q1')).toEqual(['a2']);
		expect(cellIds(board, 'b', 'q1')).toEqual(['a1', 'b1']);
		expect(cardOf(doc, 'b', 'q1', 'a1')).toMatchObject({
			title: 'Card a1',
			done: true,
			kind: 'milestone'
		});
	});

	it('moves a card to another period in the same lane', () => {
		const doc = smallBoard();
		moveCard(doc, { id: 'a1', laneId: 'a', periodId: 'q2', index: 1 });
		expect(cellIds(readBoard(doc), 'a', 'q1')).toEqual(['a2']);
		expect(cellIds(readBoard(doc), 'a', 'q2')).toEqual(['a3', 'a1']);
	});

	it("moves a card into another program's lane and another period at once", () => {
		const doc = smallBoard();
		moveCard(doc, { id: 'b1', laneId: 'd', periodId: 'q2', index: 0 });
		const board = readBoard(doc);
		expect(laneOf(board, 'b')?.cells).toEqual({});
		expect(cellIds(board, 'd', 'q2')).toEqual(['b1', 'd1']);
		expect(visibleCardIds(board)).toEqual(['a1', 'a2', 'a3', 'b1', 'd1']);
	});

	it.each([
		[-10, ['a3', 'a1', 'a2']],
		[10, ['a1', 'a2', 'a3']]
	])('clamps index %i', (index, expected) => {
		const doc = smallBoard();
		moveCard(doc, { id: 'a3', laneId: 'a', periodId: 'q1', index });
		expect(cellIds(readBoard(doc), 'a', 'q1')).toEqual(expected);
	});

	it.each([
		['an unknown card', { id: 'ghost' }, 'Card ghost does not exist'],
		['an unknown lane', { laneId: 'ghost' }, 'Lane ghost does not exist'],
		['an unknown period', { periodId: 'ghost' }, 'Period ghost does not exist']
	])('refuses %s and leaves the card where it was', (_label, change, message) => {
		const doc = smallBoard();
		const error = modelError(() =>
			moveCard(doc, { id: 'a1', laneId: 'b', periodId: 'q2', index: 0, ...change })
		);
		expect(error.code).toBe('not-found');
		expect(error.message).toBe(message);
		expect(cellIds(readBoard(doc), 'a', 'q1')).toEqual(['a1', 'a2']);
	});
});

describe('deleteCard', () => {
	it('removes only that card', () => {
		const doc = smallBoard();
		deleteCard(doc, { id: 'a1' });
		expect(visibleCardIds(readBoard(doc))).toEqual(['a2', 'a3', 'b1', 'd1']);
	});

	it('refuses an unknown id', () => {
		expect(modelError(() => deleteCard(smallBoard(), { id: 'ghost' })).code).toBe('not-found');
	});
});
