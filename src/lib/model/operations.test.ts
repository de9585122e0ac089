/**
 * The contract every operation keeps: one transaction, tagged with the caller's origin; moves
 * write one value; a refused operation writes nothing; a seeded rng reproduces ids and ranks.
 * Behaviour per record type is in operations.<type>.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import {
	modelError,
	rawRecord,
	seeded,
	smallBoard,
	transactionsOf,
	updatesOf
} from '../../../tests/helpers/board.ts';
import { mulberry32 } from '../../../tests/helpers/rng.ts';
import type { Collection } from './doc.ts';
import type { Origin } from './origin.ts';
import * as ops from './operations.ts';
import { readBoard } from './snapshot.ts';

type Tx = { origin?: Origin };

const OPERATIONS: [string, (doc: Y.Doc, tx: Tx) => void][] = [
	['setBoardTitle', (doc, tx) => ops.setBoardTitle(doc, { ...tx, title: 'Plan' })],
	['createProgram', (doc, tx) => void ops.createProgram(doc, { ...tx, name: 'New' })],
	[
		'updateProgram',
		(doc, tx) => ops.updateProgram(doc, { ...tx, id: 'growth', name: 'G', color: '#000000' })
	],
	['moveProgram', (doc, tx) => ops.moveProgram(doc, { ...tx, id: 'platform', index: 0 })],
	['deleteProgram', (doc, tx) => ops.deleteProgram(doc, { ...tx, id: 'growth' })],
	['createLane', (doc, tx) => void ops.createLane(doc, { ...tx, programId: 'growth', name: 'L' })],
	['updateLane', (doc, tx) => ops.updateLane(doc, { ...tx, id: 'a', scope: 'S', progress: 9 })],
	['moveLane', (doc, tx) => ops.moveLane(doc, { ...tx, id: 'a', programId: 'platform', index: 0 })],
	['deleteLane', (doc, tx) => ops.deleteLane(doc, { ...tx, id: 'a' })],
	['createPeriod', (doc, tx) => void ops.createPeriod(doc, { ...tx, name: 'Q4' })],
	['updatePeriod', (doc, tx) => ops.updatePeriod(doc, { ...tx, id: 'q1', start: '2027-01-01' })],
	['movePeriod', (doc, tx) => ops.movePeriod(doc, { ...tx, id: 'q3', index: 0 })],
	['deletePeriod', (doc, tx) => ops.deletePeriod(doc, { ...tx, id: 'q1' })],
	['createCard', (doc, tx) => void ops.createCard(doc, { ...tx, laneId: 'b', periodId: 'q2' })],
	['updateCard', (doc, tx) => ops.updateCard(doc, { ...tx, id: 'a1', title: 'T', done: true })],
	[
		'moveCard',
		(doc, tx) => ops.moveCard(doc, { ...tx, id: 'a1', laneId: 'd', periodId: 'q3', index: 0 })
	],
	['deleteCard', (doc, tx) => ops.deleteCard(doc, { ...tx, id: 'a1' })]
];

describe.each(OPERATIONS)('%s', (_name, run) => {
	it('runs as one transaction with origin local by default', () => {
		const doc = smallBoard();
		const txs = transactionsOf(doc, () => run(doc, {}));
		expect(txs.map((tx) => tx.origin)).toEqual(['local']);
		expect(txs[0]?.changed.length).toBeGreaterThan(0);
	});

	it('tags its transaction with the origin it is given', () => {
		const doc = smallBoard();
		expect(
			transactionsOf(doc, () => run(doc, { origin: 'restore' })).map((tx) => tx.origin)
		).toEqual(['restore']);
	});

	it('produces one update', () => {
		const doc = smallBoard();
		expect(updatesOf(doc, () => run(doc, {}))).toBe(1);
	});
});

describe('moves write exactly one value: the record position', () => {
	const MOVES: [string, Collection, string, (doc: Y.Doc) => void][] = [
		[
			'moveProgram',
			'programs',
			'platform',
			(doc) => ops.moveProgram(doc, { id: 'platform', index: 0 })
		],
		['movePeriod', 'periods', 'q3', (doc) => ops.movePeriod(doc, { id: 'q3', index: 1 })],
		[
			'moveLane within its program',
			'lanes',
			'c',
			(doc) => ops.moveLane(doc, { id: 'c', programId: 'growth', index: 0 })
		],
		[
			'moveLane across programs',
			'lanes',
			'a',
			(doc) => ops.moveLane(doc, { id: 'a', programId: 'platform', index: 1 })
		],
		[
			'moveCard within its cell',
			'cards',
			'a2',
			(doc) => ops.moveCard(doc, { id: 'a2', laneId: 'a', periodId: 'q1', index: 0 })
		],
		[
			'moveCard across lanes and periods',
			'cards',
			'a1',
			(doc) => ops.moveCard(doc, { id: 'a1', laneId: 'd', periodId: 'q3', index: 0 })
		]
	];

	it.each(MOVES)('%s', (_label, collection, id, move) => {
		const doc = smallBoard();
		const events: { path: (string | number)[]; keys: string[] }[] = [];
		const observer = (batch: Y.YEvent<Y.AbstractType<unknown>>[]) => {
			for (const event of batch) events.push({ path: event.path, keys: [...event.keys.keys()] });
		};
		const all = ['programs', 'lanes', 'periods', 'cards'].map((name) => doc.getMap(name));
		for (const map of all) map.observeDeep(observer);
		const before = rawRecord(doc, collection, id).get('pos');

		const txs = transactionsOf(doc, () => move(doc));

		expect(events).toEqual([{ path: [id], keys: ['pos'] }]);
		expect(txs.map((tx) => tx.changed)).toEqual([[`${collection}/${id}:pos`]]);
		expect(rawRecord(doc, collection, id).get('pos')).not.toEqual(before);
	});
});

describe('a refused operation', () => {
	it.each([
		[
			'updates a missing program',
			(doc: Y.Doc) => ops.updateProgram(doc, { id: 'nope', name: 'x' })
		],
		[
			'moves a lane into a missing program',
			(doc: Y.Doc) => ops.moveLane(doc, { id: 'a', programId: 'nope', index: 0 })
		],
		[
			'moves a card into a missing period',
			(doc: Y.Doc) => ops.moveCard(doc, { id: 'a1', laneId: 'b', periodId: 'nope', index: 0 })
		],
		[
			'creates a card in a missing lane',
			(doc: Y.Doc) => void ops.createCard(doc, { laneId: 'nope', periodId: 'q1' })
		],
		[
			'updates a lane with a bad value among good ones',
			(doc: Y.Doc) => ops.updateLane(doc, { id: 'a', name: 'ok', progress: 101 })
		],
		[
			'updates a period into an inverted range',
			(doc: Y.Doc) =>
				ops.updatePeriod(doc, { id: 'q1', name: 'ok', start: '2027-02-01', end: '2027-01-01' })
		]
	])('writes nothing when it %s', (_label, run) => {
		const doc = smallBoard();
		const before = readBoard(doc);
		let updates = 0;
		doc.on('update', () => (updates += 1));
		expect(modelError(() => run(doc))).toBeDefined();
		expect(updates).toBe(0);
		expect(readBoard(doc)).toEqual(before);
	});
});

describe('a seeded rng', () => {
	it('reproduces ids and ranks exactly', () => {
		const build = () => {
			const doc = smallBoard();
			const rng = mulberry32(42);
			const lane = ops.createLane(doc, { programId: 'growth', index: 1, rng });
			const card = ops.createCard(doc, { laneId: lane, periodId: 'q2', rng });
			ops.moveLane(doc, { id: 'a', programId: 'growth', index: 2, rng });
			return { lane, card, board: readBoard(doc) };
		};
		expect(build()).toEqual(build());
	});

	it('gives different ids for different seeds', () => {
		const doc = smallBoard();
		const first = ops.createProgram(doc, seeded(1));
		const second = ops.createProgram(doc, seeded(2));
		expect(first).not.toBe(second);
		expect(first).toMatch(/^[0-9a-zA-Z]{12}$/);
	});
});
