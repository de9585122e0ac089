import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	createCard,
	createLane,
	createPeriod,
	createProgram,
	moveLane,
	readBoard,
	updateCard
} from '$lib/model/index.ts';
import { reconcile } from './reconcile.ts';

function board() {
	const doc = new Y.Doc();
	const programId = createProgram(doc, { name: 'Payments' });
	const periodId = createPeriod(doc, { name: 'Q1' });
	const lanes = ['Checkout', 'Billing', 'Invoices'].map((name) =>
		createLane(doc, { programId, name })
	);
	const cardId = createCard(doc, { laneId: lanes[0]!, periodId, title: 'Launch' });
	createCard(doc, { laneId: lanes[2]!, periodId, title: 'Dunning' });
	return { doc, programId, periodId, lanes, cardId };
}

describe('reconcile', () => {
	it('returns the previous snapshot itself when nothing changed', () => {
		const { doc } = board();
		const prev = readBoard(doc);
		expect(reconcile(prev, readBoard(doc))).toBe(prev);
	});

	it('keeps every untouched lane and card, and renews only the changed path', () => {
		const { doc, cardId } = board();
		const prev = readBoard(doc);
		updateCard(doc, { id: cardId, done: true });
		const next = reconcile(prev, readBoard(doc));

		expect(next).not.toBe(prev);
		expect(next.periods).toBe(prev.periods);
		const [checkout, billing, invoices] = next.programs[0]!.lanes;
		expect(checkout).not.toBe(prev.programs[0]!.lanes[0]);
		expect(checkout!.cells).not.toBe(prev.programs[0]!.lanes[0]!.cells);
		expect(billing).toBe(prev.programs[0]!.lanes[1]);
		expect(invoices).toBe(prev.programs[0]!.lanes[2]);
		expect(next).toEqual(readBoard(doc));
	});

	it('matches records by id, so a moved lane keeps the cards it did not change', () => {
		const { doc, programId, lanes } = board();
		const prev = readBoard(doc);
		moveLane(doc, { id: lanes[2]!, programId, index: 0 });
		const next = reconcile(prev, readBoard(doc));
		const invoices = next.programs[0]!.lanes[0]!;
		expect(invoices.name).toBe('Invoices');
		expect(invoices.priority).toBe(1);
		expect(invoices.cells).toBe(prev.programs[0]!.lanes[2]!.cells);
		expect(next).toEqual(readBoard(doc));
	});

	it('takes new values for new and removed keys and for non-plain values', () => {
		expect(reconcile({ a: 1 }, { a: 1, b: 2 })).toEqual({ a: 1, b: 2 });
		const prev: Record<string, number> = { a: 1, b: 2 };
		expect(reconcile(prev, { a: 1 })).toEqual({ a: 1 });
		const date = new Date(0);
		expect(reconcile({ d: new Date(0) }, { d: date }).d).toBe(date);
		expect(reconcile([1, 2], [1, 2, 3])).toEqual([1, 2, 3]);
	});
});
