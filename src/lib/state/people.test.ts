import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	createCard,
	createLane,
	createPeriod,
	createProgram,
	migrate,
	readBoard
} from '$lib/model/index.ts';
import { amountIn, namesOnBoard, parseAmount } from './people.ts';

describe('namesOnBoard', () => {
	it('suggests the names already on the board, most used first, each once', () => {
		const doc = new Y.Doc();
		migrate(doc);
		const periodId = createPeriod(doc, { name: 'Q1' });
		const programId = createProgram(doc, { name: 'P', manager: 'Zoe' });
		const laneId = createLane(doc, { programId, name: 'L', manager: 'Ana ' });
		for (const owner of ['Ana', 'Bo', ' ', 'Ana'])
			createCard(doc, { laneId, periodId, title: 'c', owner });
		expect(namesOnBoard(readBoard(doc))).toEqual(['Ana', 'Bo', 'Zoe']);
	});
});

describe('parseAmount', () => {
	it('reads a number from 0, empty as none, and refuses the rest', () => {
		expect(parseAmount(' 5 ')).toEqual({ ok: true, value: 5 });
		expect(parseAmount('2,5')).toEqual({ ok: true, value: 2.5 });
		expect(parseAmount('')).toEqual({ ok: true, value: null });
		expect(parseAmount('-1')).toEqual({ ok: false });
		expect(parseAmount('five')).toEqual({ ok: false });
		expect(parseAmount('Infinity')).toEqual({ ok: false });
	});
});

describe('amountIn', () => {
	it('says one in the singular and any other amount in the plural', () => {
		expect(amountIn(1, 'points')).toBe('1 point');
		expect(amountIn(3, 'points')).toBe('3 points');
		expect(amountIn(0.5, 'days')).toBe('0.5 days');
		expect(amountIn(0, 'points')).toBe('0 points');
		expect(amountIn(1, 'story points')).toBe('1 story point');
		// A unit that is not a plural stays as it is.
		expect(amountIn(1, 'SP')).toBe('1 SP');
		expect(amountIn(1, 'kWh')).toBe('1 kWh');
	});
});
