import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { fork, newDoc, sync, transactionsOf, updatesOf } from '../../../tests/helpers/board.ts';
import { boardSchema1 } from '../../../tests/helpers/fixtures.ts';
import { meta } from './doc.ts';
import { migrate, MIGRATIONS, SCHEMA_VERSION, type Migration } from './migrations.ts';
import { createProgram } from './operations.ts';
import { readBoard, schemaVersionOf } from './snapshot.ts';

/** Two steps that record the order they ran in, and leave a trace in the doc. */
function twoSteps(log: number[]): Migration[] {
	return [1, 2].map((version) => ({
		version,
		description: `step ${version}`,
		up(doc: Y.Doc) {
			log.push(version);
			const steps = doc.getArray<number>('steps');
			// Idempotent, as every migration must be.
			if (!steps.toArray().includes(version)) steps.push([version]);
		}
	}));
}

describe('migrate', () => {
	it('numbers the shipped migrations 1..n, so SCHEMA_VERSION is the last one', () => {
		expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
		expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
	});

	it('brings a fresh doc from 0 to SCHEMA_VERSION in one transaction with origin migration', () => {
		const doc = newDoc();
		let result;
		const txs = transactionsOf(doc, () => (result = migrate(doc)));
		expect(result).toEqual({ status: 'migrated', from: 0, to: SCHEMA_VERSION });
		expect(txs.map((tx) => tx.origin)).toEqual(['migration']);
		expect(schemaVersionOf(doc)).toBe(SCHEMA_VERSION);
	});

	it('is a no-op the second time', () => {
		const doc = newDoc();
		migrate(doc);
		let result;
		const updates = updatesOf(doc, () => (result = migrate(doc)));
		expect(result).toEqual({ status: 'current', from: SCHEMA_VERSION, to: SCHEMA_VERSION });
		expect(updates).toBe(0);
	});

	it('leaves a doc written by a newer Railyard untouched', () => {
		const doc = newDoc();
		meta(doc).set('schemaVersion', SCHEMA_VERSION + 1);
		let result;
		const updates = updatesOf(doc, () => (result = migrate(doc)));
		expect(result).toEqual({ status: 'newer', from: SCHEMA_VERSION + 1, to: SCHEMA_VERSION + 1 });
		expect(updates).toBe(0);
		expect(schemaVersionOf(doc)).toBe(SCHEMA_VERSION + 1);
	});

	it('applies every step of a custom list, in order, in one transaction', () => {
		const doc = newDoc();
		const log: number[] = [];
		let result;
		const txs = transactionsOf(doc, () => (result = migrate(doc, twoSteps(log))));
		expect(result).toEqual({ status: 'migrated', from: 0, to: 2 });
		expect(log).toEqual([1, 2]);
		expect(doc.getArray('steps').toArray()).toEqual([1, 2]);
		expect(txs.map((tx) => tx.origin)).toEqual(['migration']);
		expect(schemaVersionOf(doc)).toBe(2);
	});

	it('applies only the steps a doc has not had yet', () => {
		const doc = newDoc();
		meta(doc).set('schemaVersion', 1);
		const log: number[] = [];
		expect(migrate(doc, twoSteps(log))).toEqual({ status: 'migrated', from: 1, to: 2 });
		expect(log).toEqual([2]);
		expect(doc.getArray('steps').toArray()).toEqual([2]);
	});

	it('treats an unreadable version as 0 and migrates from the start', () => {
		const doc = newDoc();
		meta(doc).set('schemaVersion', 'one');
		const log: number[] = [];
		expect(migrate(doc, twoSteps(log))).toMatchObject({ status: 'migrated', from: 0 });
		expect(log).toEqual([1, 2]);
	});

	it('converges when two peers migrate the same doc at once', () => {
		const a = newDoc(1);
		const b = fork(a, 2);
		migrate(a, twoSteps([]));
		migrate(b, twoSteps([]));
		sync(a, b);
		expect(schemaVersionOf(a)).toBe(2);
		expect(schemaVersionOf(b)).toBe(2);
		expect(a.getArray('steps').toArray()).toEqual(b.getArray('steps').toArray());
		// Afterwards both agree there is nothing left to do.
		expect(migrate(a, twoSteps([])).status).toBe('current');
		expect(migrate(b, twoSteps([])).status).toBe('current');
	});
});

describe('migration 2: objectives', () => {
	/** A board as Railyard saved it before objectives (built by commit 6ee9e5a's model). */
	const savedBefore = (clientID?: number) => boardSchema1(clientID).doc;
	const before = boardSchema1().snapshot as {
		programs: { id: string; name: string; objective: string; lanes: { id: string }[] }[];
	};

	it('opens a board saved before, migrates it once, and loses nothing', () => {
		const doc = savedBefore();
		expect(schemaVersionOf(doc)).toBe(1);
		expect(migrate(doc)).toEqual({ status: 'migrated', from: 1, to: SCHEMA_VERSION });
		expect(migrate(doc).status).toBe('current');
		const board = readBoard(doc);
		expect(board.ignored).toBe(0);
		expect(board.orphans).toEqual({ lanes: [], cards: [], dependencies: [], objectives: [] });
		for (const old of before.programs) {
			const program = board.programs.find((p) => p.id === old.id)!;
			// Everything the old board showed is still there, the sentence included...
			expect(program).toMatchObject({ name: old.name, objective: old.objective });
			expect(program.lanes.map((l) => l.id)).toEqual(old.lanes.map((l) => l.id));
			// ...and it is now the program's first objective, committed and not yet scored.
			expect(program.objectives).toEqual([
				expect.objectContaining({
					name: old.objective,
					description: '',
					commitment: 'committed',
					planned: null,
					actual: null
				})
			]);
		}
		// Cards, their titles (emoji included) and places are as they were (cells compared as
		// records: which period's cell comes first in the object is no part of the board).
		const cards = (b: { programs: { lanes: { cells: object }[] }[] }) =>
			JSON.stringify(b.programs.map((p) => p.lanes.map((l) => l.cells)));
		expect(JSON.parse(cards(board).replaceAll(/,"estimate":null,"owner":""/g, ''))).toEqual(
			JSON.parse(cards(before as never))
		);
	});

	it('makes one objective when two peers migrate the same board at once', () => {
		const a = savedBefore(4);
		const b = savedBefore(5);
		migrate(a);
		migrate(b);
		sync(a, b);
		expect(readBoard(a)).toEqual(readBoard(b));
		for (const program of readBoard(a).programs) expect(program.objectives).toHaveLength(1);
	});

	it('keeps a long sentence whole in the description, the name cut at its limit', () => {
		const doc = newDoc();
		migrate(doc, MIGRATIONS.slice(0, 1));
		const sentence = `${'x'.repeat(199)}🚀 and more`;
		createProgram(doc, { id: 'p', objective: sentence });
		migrate(doc);
		const [objective] = readBoard(doc).programs[0]!.objectives;
		expect(objective!.name).toBe('x'.repeat(199));
		expect(objective!.description).toBe(sentence);
	});

	it('makes no objective for a program without a sentence', () => {
		const doc = newDoc();
		migrate(doc, MIGRATIONS.slice(0, 1));
		createProgram(doc, { id: 'p', objective: '  ' });
		migrate(doc);
		expect(readBoard(doc).programs[0]!.objectives).toEqual([]);
	});
});
