import { describe, expect, it } from 'vitest';
import {
	createCard,
	createDependency,
	createLane,
	createPeriod,
	createProgram,
	deleteDependency
} from '$lib/model/index.ts';
import { localConnection } from '../../../tests/helpers/local-connection.ts';
import { BoardState } from './board.svelte.ts';
import { linkForDrop } from './drop.ts';
import { PlanningUi } from './planning-ui.svelte.ts';
import { BoardUi } from './ui.svelte.ts';

const settle = () => new Promise<void>((resolve) => queueMicrotask(resolve));

function memory() {
	const map = new Map<string, string>();
	return {
		getItem: (k: string) => map.get(k) ?? null,
		setItem: (k: string, v: string) => void map.set(k, v)
	};
}

async function setup(storage = memory()) {
	const board = new BoardState(localConnection().connection);
	const programId = board.run(createProgram, { name: 'Payments' }) as string;
	const laneId = board.run(createLane, { programId, name: 'Checkout' }) as string;
	const [q1, q2] = ['Q1', 'Q2'].map((name) => board.run(createPeriod, { name }) as string);
	const a = board.run(createCard, { laneId, periodId: q1!, title: 'A', estimate: 3 }) as string;
	const b = board.run(createCard, { laneId, periodId: q2!, title: 'B' }) as string;
	const dep = board.run(createDependency, { from: a, to: b }) as string;
	await settle();
	const ui = new BoardUi(() => board.snapshot);
	const planning = new PlanningUi({ board: () => board, ui, storage });
	return { board, ui, planning, laneId, q1: q1!, q2: q2!, a, b, dep };
}

describe('PlanningUi', () => {
	it('remembers the line filter per person, and falls back on nonsense', async () => {
		const storage = memory();
		const { planning } = await setup(storage);
		expect(planning.filter).toBe('problems');
		planning.filter = 'all';
		expect((await setup(storage)).planning.filter).toBe('all');
		storage.setItem('railyard:dependency-lines', 'sideways');
		expect((await setup(storage)).planning.filter).toBe('problems');
	});

	it('previews a card drag over a cell: the line that would turn red and both loads', async () => {
		const { board, planning, laneId, q1, q2, b, dep } = await setup();
		planning.filter = 'none';
		expect(planning.lines.lines).toEqual([]);
		planning.previewDrop(
			board,
			{ kind: 'card', id: 'nope' },
			{ kind: 'cell', laneId, periodId: q1 },
			null
		);
		expect(planning.preview).toBeNull();
		// B needs A (Q1): B dragged over Q1 would make the line tight, and change both cells' loads.
		planning.previewDrop(
			board,
			{ kind: 'card', id: b },
			{ kind: 'cell', laneId, periodId: q1 },
			null
		);
		expect(planning.preview?.dependencies).toEqual({ [dep]: 'amber' });
		expect(planning.lines.lines.map((l) => [l.dep.id, l.health, l.preview])).toEqual([
			[dep, 'amber', true]
		]);
		expect(Object.keys(planning.preview!.cells).sort()).toEqual(
			[`${laneId}/${q1}`, `${laneId}/${q2}`].sort()
		);
		// Leaving every target (or Escape) clears it.
		planning.previewDrop(board, { kind: 'card', id: b }, null, null);
		expect(planning.preview).toBeNull();
		expect(planning.lines.lines).toEqual([]);
	});

	it('shows the open card’s lines whatever the filter, and removes a line for everyone', async () => {
		const { board, ui, planning, a, dep } = await setup();
		planning.filter = 'problems';
		expect(planning.lines.lines).toEqual([]);
		ui.openDetail({ kind: 'card', id: a });
		expect(planning.lines.lines.map((l) => l.dep.id)).toEqual([dep]);
		expect(planning.lines.cards).toEqual(new Set([a, planning.lines.lines[0]!.dep.pos.to]));
		planning.selectedLine = dep;
		planning.lines.remove(planning.lines.lines[0]!);
		await settle();
		expect(board.dependencies).toEqual([]);
		expect(planning.selectedLine).toBeNull();
		expect(board.announcement).toBe('Dependency removed: B no longer needs A.');
		// Already gone (someone else removed it): the refusal is kept, nothing thrown.
		board.run(deleteDependency, { id: dep });
		expect(board.error).toMatch(/not found|no longer|does not exist/i);
	});

	it('a connector dropped on another card links them; on itself or a cell, nothing', () => {
		expect(linkForDrop({ kind: 'connector', id: 'a' }, { kind: 'card', id: 'b' })).toEqual({
			from: 'a',
			to: 'b'
		});
		expect(linkForDrop({ kind: 'connector', id: 'a' }, { kind: 'card', id: 'a' })).toBeNull();
		expect(
			linkForDrop({ kind: 'connector', id: 'a' }, { kind: 'cell', laneId: 'l', periodId: 'p' })
		).toBeNull();
		expect(linkForDrop({ kind: 'card', id: 'a' }, { kind: 'card', id: 'b' })).toBeNull();
	});
});
