import { detachedFacilitation } from '$lib/sync/facilitation-channel.ts';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	createProgram,
	deleteProgram,
	migrate,
	readBoard,
	updateProgram
} from '$lib/model/index.ts';
import type { BoardConnection } from '$lib/sync/connect-board.ts';
import { BoardState } from './board.svelte.ts';
import { Awareness } from 'y-protocols/awareness';

/** Two peers wired directly: each update is applied to the other with a network-like origin. */
function pair() {
	const a = new Y.Doc();
	const b = new Y.Doc();
	a.on('update', (update: Uint8Array, origin: unknown) => {
		if (origin !== 'net') Y.applyUpdate(b, update, 'net');
	});
	b.on('update', (update: Uint8Array, origin: unknown) => {
		if (origin !== 'net') Y.applyUpdate(a, update, 'net');
	});
	migrate(a);
	return { a, b };
}

function boardOf(doc: Y.Doc): BoardState {
	const connection: BoardConnection = {
		doc,
		awareness: new Awareness(doc),
		facilitation: detachedFacilitation(),
		state: {
			status: 'connected',
			loaded: true,
			synced: true,
			pending: 0,
			online: true,
			migration: null,
			closed: null
		},
		subscribe: () => () => {},
		destroy: () => {}
	};
	return new BoardState(connection);
}

const names = (doc: Y.Doc) => readBoard(doc).programs.map((p) => p.name);

describe('BoardState undo and redo', () => {
	it('undoes only this person’s change, and redoes it', () => {
		const { a, b } = pair();
		const board = boardOf(a);
		expect(board.canUndo).toBe(false);
		board.run(createProgram, { name: 'Payments' });
		createProgram(b, { name: 'Growth' });
		expect(names(a).sort()).toEqual(['Growth', 'Payments']);
		expect(board.canUndo).toBe(true);

		board.undo();
		expect(names(a)).toEqual(['Growth']);
		expect(names(b)).toEqual(['Growth']);
		expect(board.canUndo).toBe(false);
		expect(board.canRedo).toBe(true);

		board.redo();
		expect(names(b).sort()).toEqual(['Growth', 'Payments']);
		board.destroy();
	});

	it('keeps someone else’s later change to the same record', () => {
		const { a, b } = pair();
		const board = boardOf(a);
		const id = board.run(createProgram, { name: 'Payments', manager: 'Ana' })!;
		board.run(updateProgram, { id, manager: 'Ben' });
		// Someone else renames it afterwards; undoing my manager change must not touch the name.
		updateProgram(b, { id, name: 'Billing' });
		board.undo();
		const program = readBoard(b).programs[0];
		expect(program?.name).toBe('Billing');
		expect(program?.manager).toBe('Ana');
		board.destroy();
	});

	it('undoes a delete, and typed text as its own step', () => {
		const { a } = pair();
		const board = boardOf(a);
		const id = board.run(createProgram, { name: 'Payments' })!;
		const session = board.editText({ collection: 'programs', id, field: 'name' }, () => {});
		session?.input('Payments v2');
		session?.commit();
		board.run(deleteProgram, { id });
		board.undo();
		expect(names(a)).toEqual(['Payments v2']);
		board.undo();
		expect(names(a)).toEqual(['Payments']);
		board.undo();
		expect(names(a)).toEqual([]);
		board.destroy();
	});

	it('leaves nothing to undo after a cancelled edit, whose Escape restores the text', () => {
		const { a } = pair();
		const board = boardOf(a);
		const id = board.run(createProgram, { name: 'Payments' })!;
		const session = board.editText({ collection: 'programs', id, field: 'name' }, () => {});
		session?.input('Pay');
		session?.input('Paychecks');
		session?.cancel();
		expect(names(a)).toEqual(['Payments']);
		// The next undo is the create, not the cancelled typing a second time.
		board.undo();
		expect(names(a)).toEqual([]);
		board.redo();
		expect(names(a)).toEqual(['Payments']);
		expect(board.canRedo).toBe(false);
		board.destroy();
	});
});
