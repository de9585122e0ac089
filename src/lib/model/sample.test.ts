import { describe, expect, it } from 'vitest';
import { newDoc, seeded, transactionsOf } from '../../../tests/helpers/board.ts';
import { SCHEMA_VERSION } from './migrations.ts';
import { seedSampleBoard } from './sample.ts';
import { readBoard } from './snapshot.ts';

describe('seedSampleBoard', () => {
	it('produces a readable board with programs, lanes, periods and cards', () => {
		const doc = newDoc();
		seedSampleBoard(doc, seeded());
		const board = readBoard(doc);
		expect(board.title).toBe('Growth plan 2027');
		expect(board.schemaVersion).toBe(SCHEMA_VERSION);
		expect(board.periods.map((p) => p.name)).toEqual(['Q1 2027', 'Q2 2027', 'Q3 2027', 'Q4 2027']);
		expect(board.programs.map((p) => [p.name, p.lanes.length])).toEqual([
			['Self-serve growth', 5],
			['Platform reliability', 1]
		]);
		const lanes = board.programs.flatMap((p) => p.lanes);
		expect(lanes.map((l) => l.priority)).toEqual([1, 2, 3, 4, 5, 1]);
		expect(new Set(lanes.map((l) => l.health))).toEqual(
			new Set(['on-track', 'at-risk', 'off-track'])
		);
		const cards = lanes.flatMap((l) => Object.values(l.cells).flat());
		expect(cards).toHaveLength(23);
		expect(cards.some((c) => c.kind === 'milestone')).toBe(true);
		expect(cards.some((c) => c.done)).toBe(true);
		expect(board.orphans).toEqual({ lanes: [], cards: [], dependencies: [], objectives: [] });
		expect(board.ignored).toBe(0);
	});

	it('puts each card in its quarter', () => {
		const doc = newDoc();
		seedSampleBoard(doc, seeded());
		const board = readBoard(doc);
		const [q1, , , q4] = board.periods.map((p) => p.id);
		const checkout = board.programs[0]?.lanes[0];
		expect(checkout?.name).toBe('Self-serve checkout');
		expect(checkout?.cells[q1 as string]?.map((c) => c.title)).toEqual([
			'Checkout UX research',
			'Pricing page redesign'
		]);
		expect(checkout?.cells[q4 as string]?.map((c) => [c.title, c.kind])).toEqual([
			['Checkout conversion review', 'milestone']
		]);
	});

	it('migrates first, then writes the board in one seed transaction', () => {
		const doc = newDoc();
		const txs = transactionsOf(doc, () => seedSampleBoard(doc, { title: 'Demo' }));
		expect(txs.map((tx) => tx.origin)).toEqual(['migration', 'seed']);
		expect(readBoard(doc).title).toBe('Demo');
	});

	it('is reproducible with a seeded rng', () => {
		const a = newDoc(1);
		const b = newDoc(1);
		seedSampleBoard(a, seeded(3));
		seedSampleBoard(b, seeded(3));
		expect(readBoard(a)).toEqual(readBoard(b));
	});
});
