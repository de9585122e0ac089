import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	createCard,
	createLane,
	createObjective,
	createPeriod,
	createProgram,
	createRisk,
	moveObjective,
	moveRisk,
	readBoard
} from '$lib/model/index.ts';
import { moveForDrop } from './drop.ts';
import { movedItems } from './remote-moves.ts';
import { currentPlace, movedMessage, moveOptions, step } from './moves.ts';

function board() {
	const doc = new Y.Doc();
	const payments = createProgram(doc, { name: 'Payments' });
	const platform = createProgram(doc, { name: 'Platform' });
	const [revenue, cost, plans] = ['Revenue', 'Cost', 'Plans'].map((name) =>
		createObjective(doc, { programId: payments, name })
	);
	const [vendor, data] = ['Vendor', 'Data'].map((title) => createRisk(doc, { title }));
	const owned = createRisk(doc, { title: 'Staff', owner: 'Ana', roam: 'owned' });
	return { doc, payments, platform, revenue, cost, plans, vendor, data, owned };
}

describe('objective moves', () => {
	it('steps up and down within the program, and to its ends', () => {
		const b = board();
		const snapshot = readBoard(b.doc);
		expect(step(snapshot, 'objective', b.cost!, 'up')).toEqual({
			kind: 'objective',
			id: b.cost,
			programId: b.payments,
			index: 0
		});
		expect(step(snapshot, 'objective', b.revenue!, 'bottom')).toMatchObject({ index: 2 });
		expect(step(snapshot, 'objective', b.revenue!, 'up')).toBeNull();
		expect(step(snapshot, 'objective', b.plans!, 'down')).toBeNull();
		expect(step(snapshot, 'objective', b.cost!, 'left')).toBeNull();
	});

	it('drops above or below another objective, counted without the dragged one', () => {
		const b = board();
		const snapshot = readBoard(b.doc);
		const drag = { kind: 'objective', id: b.plans! } as const;
		expect(moveForDrop(snapshot, drag, { kind: 'objective', id: b.revenue! }, 'top')).toEqual({
			kind: 'objective',
			id: b.plans,
			programId: b.payments,
			index: 0
		});
		expect(
			moveForDrop(snapshot, drag, { kind: 'objective', id: b.revenue! }, 'bottom')
		).toMatchObject({ index: 1 });
		expect(moveForDrop(snapshot, drag, { kind: 'lane', id: 'x' }, 'top')).toBeNull();
	});

	it('offers the other programs in the Move… menu and says where it went', () => {
		const b = board();
		const snapshot = readBoard(b.doc);
		const options = moveOptions(snapshot, 'objective', b.cost!);
		expect(options.map((o) => o.label)).toEqual([
			'Move to top',
			'Move up one',
			'Move down one',
			'Move to bottom',
			'To Platform'
		]);
		expect(options.at(-1)!.move).toEqual({
			kind: 'objective',
			id: b.cost,
			programId: b.platform,
			index: 0
		});
		expect(movedMessage(snapshot, 'objective', b.cost!)).toBe(
			'Cost moved to objective 2 of 3 in Payments'
		);
	});
});

describe('risk moves', () => {
	it('steps within a column and across columns at the same height', () => {
		const b = board();
		const snapshot = readBoard(b.doc);
		expect(currentPlace(snapshot, 'risk', b.data!)).toEqual({
			kind: 'risk',
			id: b.data,
			roam: 'new',
			index: 1
		});
		expect(step(snapshot, 'risk', b.data!, 'up')).toMatchObject({ roam: 'new', index: 0 });
		expect(step(snapshot, 'risk', b.data!, 'right')).toEqual({
			kind: 'risk',
			id: b.data,
			roam: 'resolved',
			index: 0
		});
		expect(step(snapshot, 'risk', b.vendor!, 'left')).toBeNull();
		expect(step(snapshot, 'risk', b.owned!, 'right')).toMatchObject({ roam: 'accepted' });
	});

	it('drops on a risk or at the end of a column', () => {
		const b = board();
		const snapshot = readBoard(b.doc);
		const drag = { kind: 'risk', id: b.vendor! } as const;
		expect(moveForDrop(snapshot, drag, { kind: 'roam', id: 'owned' }, null)).toEqual({
			kind: 'risk',
			id: b.vendor,
			roam: 'owned',
			index: 1
		});
		expect(moveForDrop(snapshot, drag, { kind: 'risk', id: b.owned! }, 'top')).toMatchObject({
			roam: 'owned',
			index: 0
		});
		expect(moveForDrop(snapshot, drag, { kind: 'objective', id: 'x' }, 'top')).toBeNull();
	});

	it('offers the other four columns in the Move… menu', () => {
		const b = board();
		const snapshot = readBoard(b.doc);
		const columns = moveOptions(snapshot, 'risk', b.vendor!).filter((o) => o.group === 'Column');
		expect(columns.map((o) => o.label)).toEqual([
			'To Resolved',
			'To Owned',
			'To Accepted',
			'To Mitigated'
		]);
		expect(movedMessage(snapshot, 'risk', b.owned!)).toBe('Staff moved to Owned, 1 of 1');
	});
});

describe('removing what moves refer to', () => {
	it('has nothing to move once a risk or objective is gone', () => {
		const doc = new Y.Doc();
		const program = createProgram(doc, { name: 'P' });
		const period = createPeriod(doc, { name: 'Q1' });
		const lane = createLane(doc, { programId: program, name: 'L' });
		createCard(doc, { laneId: lane, periodId: period, title: 'C' });
		const snapshot = readBoard(doc);
		expect(step(snapshot, 'risk', 'gone', 'up')).toBeNull();
		expect(step(snapshot, 'objective', 'gone', 'up')).toBeNull();
		expect(moveOptions(snapshot, 'risk', 'gone')).toEqual([]);
	});
});

describe('moves made by someone else', () => {
	it('include objectives and risks, so they are announced like lanes and cards', () => {
		const b = board();
		const before = readBoard(b.doc);
		moveRisk(b.doc, { id: b.vendor!, roam: 'accepted', index: 0 });
		moveObjective(b.doc, { id: b.plans!, programId: b.payments, index: 0 });
		const moved = movedItems(before, readBoard(b.doc));
		expect(moved).toEqual(
			expect.arrayContaining([
				{ kind: 'risk', id: b.vendor },
				{ kind: 'objective', id: b.plans }
			])
		);
		expect(moved).toHaveLength(2);
	});
});
