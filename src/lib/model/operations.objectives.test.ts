import { describe, expect, it } from 'vitest';
import {
	fork,
	modelError,
	programOf,
	rawRecord,
	smallBoard,
	sync,
	transactionsOf
} from '../../../tests/helpers/board.ts';
import {
	createObjective,
	deleteObjective,
	linkObjective,
	moveObjective,
	updateObjective
} from './operations-objectives.ts';
import { deleteCard, deleteProgram } from './operations.ts';
import { readBoard } from './snapshot.ts';

const names = (doc: ReturnType<typeof smallBoard>, programId = 'growth') =>
	programOf(readBoard(doc), programId).objectives.map((o) => o.name);

describe('objectives', () => {
	it('lists a program objectives in order, with predictability per program and board', () => {
		const doc = smallBoard();
		createObjective(doc, { programId: 'growth', name: 'Checkout', planned: 8, actual: 8 });
		createObjective(doc, { programId: 'growth', name: 'Billing', planned: 5, actual: 3 });
		createObjective(doc, { programId: 'growth', name: 'Stretch', commitment: 'stretch', index: 0 });
		expect(names(doc)).toEqual(['Stretch', 'Checkout', 'Billing']);
		const board = readBoard(doc);
		expect(programOf(board, 'growth').predictability).toMatchObject({
			planned: 13,
			actual: 11,
			percent: 84.6
		});
		expect(board.predictability.percent).toBe(84.6);
		expect(programOf(board, 'platform').predictability.percent).toBeNull();
	});

	it('moves with one write of its position, within or across programs', () => {
		const doc = smallBoard();
		const a = createObjective(doc, { programId: 'growth', name: 'A' });
		createObjective(doc, { programId: 'growth', name: 'B' });
		const txs = transactionsOf(doc, () =>
			moveObjective(doc, { id: a, programId: 'growth', index: 1 })
		);
		expect(txs).toEqual([{ origin: 'local', changed: [`objectives/${a}:pos`] }]);
		expect(names(doc)).toEqual(['B', 'A']);
		moveObjective(doc, { id: a, programId: 'platform', index: 0 });
		expect(names(doc, 'platform')).toEqual(['A']);
	});

	it('ends with one objective in one place when two people move it at once', () => {
		const a = smallBoard(1);
		const id = createObjective(a, { programId: 'growth', name: 'A' });
		const b = fork(a, 2);
		moveObjective(a, { id, programId: 'platform', index: 0 });
		moveObjective(b, { id, programId: 'growth', index: 0 });
		sync(a, b);
		const board = readBoard(a);
		expect(board.programs.flatMap((p) => p.objectives.map((o) => o.id))).toEqual([id]);
		expect(readBoard(b)).toEqual(board);
	});

	it('refuses business values outside 1–10 planned and 0–10 actual', () => {
		const doc = smallBoard();
		const id = createObjective(doc, { programId: 'growth', name: 'A' });
		for (const patch of [{ planned: 0 }, { planned: 11 }, { actual: -1 }, { planned: 2.5 }]) {
			expect(modelError(() => updateObjective(doc, { id, ...patch })).code).toBe('invalid');
		}
		updateObjective(doc, { id, planned: 1, actual: 0 });
		expect(programOf(readBoard(doc), 'growth').objectives[0]).toMatchObject({
			planned: 1,
			actual: 0
		});
	});

	it('links lanes and cards, keeps both when two people link at once, shows only those on the board', () => {
		const a = smallBoard(1);
		const id = createObjective(a, { programId: 'growth', name: 'A' });
		const b = fork(a, 2);
		linkObjective(a, { id, kind: 'lane', targetId: 'a', linked: true });
		linkObjective(b, { id, kind: 'card', targetId: 'b1', linked: true });
		sync(a, b);
		const objective = () => programOf(readBoard(a), 'growth').objectives[0]!;
		expect(objective()).toMatchObject({ lanes: ['a'], cards: ['b1'] });
		deleteCard(a, { id: 'b1' });
		expect(objective().cards).toEqual([]);
		linkObjective(a, { id, kind: 'lane', targetId: 'a', linked: false });
		expect(objective().lanes).toEqual([]);
		expect(
			modelError(() => linkObjective(a, { id, kind: 'card', targetId: 'zz', linked: true })).code
		).toBe('not-found');
	});

	it('goes with its program, and is set aside when moved into one someone deleted', () => {
		const a = smallBoard(1);
		const id = createObjective(a, { programId: 'growth', name: 'Kept' });
		const gone = createObjective(a, { programId: 'platform', name: 'Gone' });
		const b = fork(a, 2);
		deleteProgram(a, { id: 'platform' });
		expect(a.getMap('objectives').has(gone)).toBe(false);
		moveObjective(b, { id, programId: 'platform', index: 0 });
		sync(a, b);
		expect(readBoard(a).orphans.objectives).toEqual([{ id, name: 'Kept' }]);
		deleteObjective(a, { id });
		expect(readBoard(a).orphans.objectives).toEqual([]);
	});

	it('reads a bad score as unscored', () => {
		const doc = smallBoard();
		const id = createObjective(doc, { programId: 'growth', name: 'A', planned: 3 });
		rawRecord(doc, 'objectives', id).set('planned', 42);
		expect(programOf(readBoard(doc), 'growth').objectives[0]!.planned).toBeNull();
	});
});
