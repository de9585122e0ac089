import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	createCard,
	createDependency,
	createLane,
	createPeriod,
	createProgram,
	deleteLane,
	updateLane
} from '$lib/model/index.ts';
import { localConnection } from '../../../tests/helpers/local-connection.ts';
import { BoardState } from './board.svelte.ts';
import { CloseCode } from '$lib/protocol/close-codes.ts';

const settle = () => new Promise<void>((resolve) => queueMicrotask(resolve));

describe('BoardState', () => {
	it('exposes dependencies and a drag preview built once per snapshot', async () => {
		const { connection } = localConnection();
		const board = new BoardState(connection);
		const programId = board.run(createProgram, { name: 'Payments' }) as string;
		const laneId = board.run(createLane, { programId, name: 'Checkout' }) as string;
		const [q1, q2] = ['Q1', 'Q2'].map((name) => board.run(createPeriod, { name }) as string);
		const card = (periodId: string, title: string) =>
			board.run(createCard, { laneId, periodId, title }) as string;
		const [a, b] = [card(q1!, 'A'), card(q2!, 'B')];
		board.run(createDependency, { from: a, to: b });
		await settle();
		expect(board.dependencies.map((d) => d.health)).toEqual(['green']);
		expect(board.unit).toBe('points');
		expect(board.predictability.percent).toBeNull();
		const plan = board.plan;
		expect(board.plan).toBe(plan);
		expect(board.preview({ kind: 'card', id: b, laneId, periodId: q1! }).dependencies).toEqual({
			[board.dependencies[0]!.id]: 'amber'
		});
		board.run(createCard, { laneId, periodId: q1!, title: 'C' });
		await settle();
		expect(board.plan).not.toBe(plan);
	});

	it('replaces the snapshot once per burst of updates', async () => {
		const { connection } = localConnection();
		const board = new BoardState(connection);
		const before = board.snapshot;

		const programId = board.run(createProgram, { name: 'Payments' }) as string;
		board.run(createLane, { programId, name: 'Checkout' });
		board.run(createLane, { programId, name: 'Billing' });
		expect(board.snapshot).toBe(before);

		await settle();
		const after = board.snapshot;
		expect(after).not.toBe(before);
		expect(after.programs[0]?.lanes.map((l) => `${l.priority} ${l.name}`)).toEqual([
			'1 Checkout',
			'2 Billing'
		]);
		await settle();
		expect(board.snapshot).toBe(after);
		board.destroy();
	});

	it('follows changes that arrive from another peer', async () => {
		const { connection } = localConnection();
		const board = new BoardState(connection);
		const remote = new Y.Doc();
		const programId = createProgram(remote, { name: 'Platform' });
		createLane(remote, { programId, name: 'Observability' });

		Y.applyUpdate(connection.doc, Y.encodeStateAsUpdate(remote), 'remote');
		await settle();
		expect(board.snapshot.programs[0]?.lanes[0]?.name).toBe('Observability');
		board.destroy();
	});

	it('keeps a refused operation as an error instead of throwing', async () => {
		const { connection } = localConnection();
		const board = new BoardState(connection);
		const programId = board.run(createProgram, { name: 'Payments' }) as string;
		const laneId = board.run(createLane, { programId, name: 'Checkout' }) as string;
		board.run(deleteLane, { id: laneId });

		expect(board.run(updateLane, { id: laneId, progress: 50 })).toBeUndefined();
		expect(board.error).toMatch(/does not exist/);
		board.run(createLane, { programId, name: 'Billing' });
		expect(board.error).toBeNull();
		board.destroy();
	});

	it('is read-only when a newer Railyard wrote the board', () => {
		const local = localConnection();
		const board = new BoardState(local.connection);
		local.set({ migration: { status: 'newer', from: 99, to: 99 } });
		expect(board.readOnly).toBe(true);
		expect(board.run(createProgram, { name: 'Payments' })).toBeUndefined();
		expect(board.error).toMatch(/read-only/);
		board.destroy();
	});

	it('is read-only for a viewer, and says so when asked to change anything', () => {
		const local = localConnection();
		const board = new BoardState(local.connection, { role: 'viewer' });
		expect(board.readOnlyReason).toBe('viewer');
		expect(board.run(createProgram, { name: 'Payments' })).toBeUndefined();
		expect(board.error).toBe('Your link lets you view this board, not change it.');
		expect(board.snapshot.programs).toHaveLength(0);
		board.destroy();
	});

	it('turns read-only with the relay’s reason when it ends the connection for good', () => {
		const local = localConnection();
		const board = new BoardState(local.connection, { role: 'owner' });
		expect(board.readOnly).toBe(false);
		local.set({
			status: 'closed',
			closed: { code: CloseCode.LINK_REVOKED, reason: 'this link has been revoked' }
		});
		expect(board.readOnlyReason).toBe('closed');
		expect(board.closedReason).toBe('this link has been revoked');
		expect(board.run(createProgram, { name: 'Payments' })).toBeUndefined();
		board.destroy();
	});

	it('tracks the connection and stops listening when destroyed', async () => {
		const local = localConnection();
		const board = new BoardState(local.connection);
		local.set({ status: 'disconnected' });
		expect(board.status).toBe('disconnected');

		const before = board.snapshot;
		board.destroy();
		expect(local.destroyed).toBe(true);
		createProgram(local.connection.doc, { name: 'After' });
		await settle();
		expect(board.snapshot).toBe(before);
	});
});

describe('moving with the keyboard', () => {
	function payments() {
		const { connection } = localConnection();
		const board = new BoardState(connection);
		const programId = board.run(createProgram, { name: 'Payments' }) as string;
		const ids = ['Checkout', 'Billing', 'Invoices'].map(
			(name) => board.run(createLane, { programId, name }) as string
		);
		board.refresh();
		return { board, ids };
	}
	const names = (board: BoardState) => board.snapshot.programs[0]?.lanes.map((l) => l.name);

	it('lifts, moves one step at a time with each step announced, and drops', () => {
		const { board, ids } = payments();
		board.lift.lift('lane', ids[2]!);
		expect(board.announcement).toMatch(/^Lifted Invoices, priority 3 of 3 in Payments/);
		board.lift.step('up');
		expect(names(board)).toEqual(['Checkout', 'Invoices', 'Billing']);
		expect(board.announcement).toBe('Invoices moved to priority 2 of 3 in Payments');
		board.lift.drop();
		expect(board.announcement).toBe('Invoices dropped at priority 2 of 3 in Payments.');
		expect(board.lift.lifted).toBeNull();
		board.destroy();
	});

	it('puts the item back where it was lifted from on Escape', () => {
		const { board, ids } = payments();
		board.lift.lift('lane', ids[0]!);
		board.lift.step('down');
		board.lift.step('down');
		expect(names(board)).toEqual(['Billing', 'Invoices', 'Checkout']);
		board.lift.step('down');
		expect(board.announcement).toMatch(/^Cannot move further/);
		board.lift.cancel();
		expect(names(board)).toEqual(['Checkout', 'Billing', 'Invoices']);
		expect(board.announcement).toBe(
			'Move cancelled. Checkout is back at priority 1 of 3 in Payments.'
		);
		board.destroy();
	});

	it('keeps unchanged lanes as the same objects across a change', async () => {
		const { board, ids } = payments();
		const before = board.snapshot.programs[0]!.lanes;
		board.run(updateLane, { id: ids[1]!, progress: 40 });
		await settle();
		const after = board.snapshot.programs[0]!.lanes;
		expect(after[0]).toBe(before[0]);
		expect(after[1]).not.toBe(before[1]);
		expect(after[2]).toBe(before[2]);
		board.destroy();
	});
});
