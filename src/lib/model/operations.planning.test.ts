import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	fork,
	laneOf,
	modelError,
	newDoc,
	rawRecord,
	smallBoard,
	sync,
	transactionsOf
} from '../../../tests/helpers/board.ts';
import {
	createDependency,
	deleteDependency,
	setLaneCapacity,
	updateDependency
} from './operations-planning.ts';
import { deleteCard, deleteLane, moveCard, setBoardUnit, updateCard } from './operations.ts';
import { cellLoad } from './planning.ts';
import { readBoard } from './snapshot.ts';

describe('card estimate and owner', () => {
	it('sets and clears them, and refuses a negative or non-finite estimate', () => {
		const doc = smallBoard();
		updateCard(doc, { id: 'a1', estimate: 3.5, owner: '  Mei  ' });
		const card = () => laneOf(readBoard(doc), 'a')!.cells.q1![0]!;
		expect(card()).toMatchObject({ estimate: 3.5, owner: 'Mei' });
		updateCard(doc, { id: 'a1', estimate: null });
		expect(card().estimate).toBeNull();
		for (const estimate of [-1, Infinity, NaN]) {
			expect(modelError(() => updateCard(doc, { id: 'a1', estimate })).code).toBe('invalid');
		}
		expect(modelError(() => updateCard(doc, { id: 'a1', owner: 'o'.repeat(121) })).detail).toEqual({
			field: 'owner',
			limit: 120
		});
	});

	it('reads a board without them (saved before) as not estimated, no owner', () => {
		const doc = smallBoard();
		rawRecord(doc, 'cards', 'a1').delete('estimate');
		rawRecord(doc, 'cards', 'a1').set('owner', 42);
		expect(laneOf(readBoard(doc), 'a')!.cells.q1![0]).toMatchObject({ estimate: null, owner: '' });
	});
});

describe('setBoardUnit', () => {
	it('is points until set, and refuses an empty or long unit', () => {
		const doc = newDoc();
		expect(readBoard(doc).unit).toBe('points');
		setBoardUnit(doc, { unit: 'days' });
		expect(readBoard(doc).unit).toBe('days');
		expect(modelError(() => setBoardUnit(doc, { unit: ' ' })).code).toBe('invalid');
		expect(modelError(() => setBoardUnit(doc, { unit: 'u'.repeat(25) })).code).toBe('too-long');
	});
});

describe('setLaneCapacity', () => {
	it('sets one value for every period, or a period override, in one transaction each', () => {
		const doc = smallBoard();
		updateCard(doc, { id: 'a1', estimate: 13 });
		updateCard(doc, { id: 'a2', estimate: 12 });
		const txs = transactionsOf(doc, () => setLaneCapacity(doc, { id: 'a', capacity: 20 }));
		expect(txs).toHaveLength(1);
		const lane = () => laneOf(readBoard(doc), 'a')!;
		expect(cellLoad(lane(), 'q1')).toEqual({ load: 25, capacity: 20, percent: 125, over: true });
		setLaneCapacity(doc, { id: 'a', capacity: 30, periodId: 'q1' });
		expect(cellLoad(lane(), 'q1').percent).toBe(83);
		expect(cellLoad(lane(), 'q2').capacity).toBe(20);
		setLaneCapacity(doc, { id: 'a', capacity: null, periodId: 'q1' });
		expect(cellLoad(lane(), 'q1').capacity).toBe(20);
		setLaneCapacity(doc, { id: 'a', capacity: 30, periodId: 'q2' });
		// One value for every period clears the overrides.
		setLaneCapacity(doc, { id: 'a', capacity: 8 });
		expect(lane()).toMatchObject({ capacity: 8, periodCapacity: {} });
	});

	it('keeps both when two people set different periods at once', () => {
		const a = smallBoard(1);
		const b = fork(a, 2);
		setLaneCapacity(a, { id: 'a', capacity: 5, periodId: 'q1' });
		setLaneCapacity(b, { id: 'a', capacity: 7, periodId: 'q2' });
		sync(a, b);
		expect(laneOf(readBoard(a), 'a')!.periodCapacity).toEqual({ q1: 5, q2: 7 });
		expect(readBoard(b)).toEqual(readBoard(a));
	});

	it('refuses a negative capacity or an unknown period', () => {
		const doc = smallBoard();
		expect(modelError(() => setLaneCapacity(doc, { id: 'a', capacity: -1 })).code).toBe('invalid');
		expect(
			modelError(() => setLaneCapacity(doc, { id: 'a', capacity: 1, periodId: 'q9' })).code
		).toBe('not-found');
	});
});

describe('dependencies', () => {
	it('draws one between two cards with its health', () => {
		const doc = smallBoard();
		const id = createDependency(doc, { from: 'a3', to: 'b1' });
		expect(readBoard(doc).dependencies).toEqual([
			expect.objectContaining({
				id,
				pos: { from: 'a3', to: 'b1' },
				kind: 'finish-to-start',
				health: 'red',
				cycle: false
			})
		]);
		moveCard(doc, { id: 'b1', laneId: 'b', periodId: 'q2', index: 0 });
		expect(readBoard(doc).dependencies[0]!.health).toBe('amber');
		moveCard(doc, { id: 'b1', laneId: 'b', periodId: 'q3', index: 0 });
		expect(readBoard(doc).dependencies[0]!.health).toBe('green');
	});

	it('ends with one when two people create the same dependency at once', () => {
		const a = smallBoard(1);
		const b = fork(a, 2);
		createDependency(a, { from: 'a1', to: 'd1' });
		createDependency(b, { from: 'a1', to: 'd1', kind: 'start-to-start' });
		sync(a, b);
		expect(readBoard(a).dependencies).toHaveLength(1);
		expect(readBoard(b)).toEqual(readBoard(a));
	});

	it('flags a cycle without refusing it', () => {
		const doc = smallBoard();
		createDependency(doc, { from: 'a1', to: 'a3' });
		createDependency(doc, { from: 'a3', to: 'a1' });
		createDependency(doc, { from: 'a1', to: 'b1' });
		expect(readBoard(doc).dependencies.map((d) => [d.id, d.cycle])).toEqual([
			['a1>a3', true],
			['a1>b1', false],
			['a3>a1', true]
		]);
	});

	it('refuses a card depending on itself or on a card that does not exist', () => {
		const doc = smallBoard();
		expect(modelError(() => createDependency(doc, { from: 'a1', to: 'a1' })).code).toBe('invalid');
		expect(modelError(() => createDependency(doc, { from: 'a1', to: 'zz' })).code).toBe(
			'not-found'
		);
		expect(doc.getMap('dependencies').size).toBe(0);
	});

	it('sets aside the dependencies of a deleted card, naming the missing end, until removed', () => {
		const doc = smallBoard();
		createDependency(doc, { from: 'a1', to: 'b1' });
		createDependency(doc, { from: 'b1', to: 'd1' });
		deleteCard(doc, { id: 'b1' });
		const board = readBoard(doc);
		expect(board.dependencies).toEqual([]);
		expect(board.orphans.dependencies).toEqual([
			{ id: 'a1>b1', from: 'a1', to: 'b1', missing: ['to'] },
			{ id: 'b1>d1', from: 'b1', to: 'd1', missing: ['from'] }
		]);
		// A lane deleted with its cards sets theirs aside too.
		deleteLane(doc, { id: 'a' });
		expect(readBoard(doc).orphans.dependencies[0]!.missing).toEqual(['from', 'to']);
		deleteDependency(doc, { id: 'a1>b1' });
		expect(readBoard(doc).orphans.dependencies.map((d) => d.id)).toEqual(['b1>d1']);
	});

	it('sets aside one created against a card someone deleted at the same moment', () => {
		const a = smallBoard(1);
		const b = fork(a, 2);
		deleteCard(a, { id: 'd1' });
		createDependency(b, { from: 'a1', to: 'd1' });
		sync(a, b);
		expect(readBoard(a).orphans.dependencies).toEqual([
			{ id: 'a1>d1', from: 'a1', to: 'd1', missing: ['to'] }
		]);
	});

	it('sets aside a record whose endpoints do not match its id', () => {
		const doc = smallBoard();
		const forged = new Y.Map<unknown>();
		doc.getMap('dependencies').set('a1>b1', forged);
		forged.set('pos', { from: 'a2', to: 'b1' });
		expect(readBoard(doc).dependencies).toEqual([]);
		expect(readBoard(doc).orphans.dependencies[0]!.missing).toEqual(['from', 'to']);
	});

	it('changes the kind of an existing one', () => {
		const doc = smallBoard();
		const id = createDependency(doc, { from: 'a1', to: 'a2' });
		updateDependency(doc, { id, kind: 'start-to-start' });
		expect(readBoard(doc).dependencies[0]).toMatchObject({
			kind: 'start-to-start',
			health: 'green'
		});
	});
});
