import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	createCard,
	createLane,
	createPeriod,
	createProgram,
	readBoard
} from '$lib/model/index.ts';
import { moveForDrop } from './drop.ts';
import { movedMessage, moveOptions, step } from './moves.ts';

function board() {
	const doc = new Y.Doc();
	const payments = createProgram(doc, { name: 'Payments' });
	const platform = createProgram(doc, { name: 'Platform' });
	const [q1, q2] = ['Q1', 'Q2'].map((name) => createPeriod(doc, { name }));
	const [checkout, billing, invoices] = ['Checkout', 'Billing', 'Invoices'].map((name) =>
		createLane(doc, { programId: payments, name })
	);
	const observability = createLane(doc, { programId: platform, name: 'Observability' });
	const [launch, pilot] = ['Launch', 'Pilot'].map((title) =>
		createCard(doc, { laneId: checkout!, periodId: q1!, title })
	);
	return {
		doc,
		payments,
		platform,
		q1,
		q2,
		checkout,
		billing,
		invoices,
		observability,
		launch,
		pilot
	};
}

describe('keyboard steps', () => {
	it('moves a lane within its program, then across into the next one', () => {
		const b = board();
		const snapshot = readBoard(b.doc);
		expect(step(snapshot, 'lane', b.billing!, 'up')).toEqual({
			kind: 'lane',
			id: b.billing,
			programId: b.payments,
			index: 0
		});
		expect(step(snapshot, 'lane', b.invoices!, 'down')).toEqual({
			kind: 'lane',
			id: b.invoices,
			programId: b.platform,
			index: 0
		});
		expect(step(snapshot, 'lane', b.checkout!, 'up')).toBeNull();
	});

	it('moves a card within its cell and sideways into the next period', () => {
		const b = board();
		const snapshot = readBoard(b.doc);
		expect(step(snapshot, 'card', b.pilot!, 'up')).toMatchObject({ index: 0, periodId: b.q1 });
		expect(step(snapshot, 'card', b.pilot!, 'right')).toMatchObject({ index: 0, periodId: b.q2 });
		expect(step(snapshot, 'card', b.pilot!, 'left')).toBeNull();
		expect(step(snapshot, 'period', b.q1!, 'right')).toEqual({
			kind: 'period',
			id: b.q1,
			index: 1
		});
	});
});

describe('the Move… menu', () => {
	it('offers only moves that change something, and other programs for a lane', () => {
		const b = board();
		const labels = moveOptions(readBoard(b.doc), 'lane', b.checkout!).map((o) => o.label);
		expect(labels).toEqual(['Move down one', 'Move to bottom', 'To Platform (lowest priority)']);
	});

	it('offers other lanes and periods for a card', () => {
		const b = board();
		const labels = moveOptions(readBoard(b.doc), 'card', b.launch!).map((o) => o.label);
		expect(labels).toEqual([
			'Move down one',
			'Move to bottom of cell',
			'To Billing',
			'To Invoices',
			'To Q2'
		]);
	});
});

describe('drops', () => {
	it('turns an edge of a lane into an index among the others', () => {
		const b = board();
		const snapshot = readBoard(b.doc);
		const src = { kind: 'lane', id: b.invoices! } as const;
		expect(moveForDrop(snapshot, src, { kind: 'lane', id: b.checkout! }, 'top')).toMatchObject({
			index: 0
		});
		expect(moveForDrop(snapshot, src, { kind: 'lane', id: b.checkout! }, 'bottom')).toMatchObject({
			index: 1
		});
		expect(moveForDrop(snapshot, src, { kind: 'program', id: b.platform }, null)).toMatchObject({
			programId: b.platform,
			index: 0
		});
		expect(moveForDrop(snapshot, src, { kind: 'card', id: b.launch! }, 'top')).toBeNull();
	});

	it('puts a card dropped on a cell at its end', () => {
		const b = board();
		const move = moveForDrop(
			readBoard(b.doc),
			{ kind: 'card', id: b.launch! },
			{ kind: 'cell', laneId: b.billing!, periodId: b.q2! },
			null
		);
		expect(move).toEqual({
			kind: 'card',
			id: b.launch,
			laneId: b.billing,
			periodId: b.q2,
			index: 0
		});
	});
});

it('says where a lane ended up', () => {
	const b = board();
	expect(movedMessage(readBoard(b.doc), 'lane', b.billing!)).toBe(
		'Billing moved to priority 2 of 3 in Payments'
	);
});
