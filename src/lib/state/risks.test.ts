import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	createCard,
	createLane,
	createPeriod,
	createProgram,
	createRisk,
	readBoard
} from '$lib/model/index.ts';
import { parseRoamHash, roamColumns, roamFragment, threatName, unroamedCount } from './risks.ts';

function board() {
	const doc = new Y.Doc();
	const program = createProgram(doc, { name: 'Payments' });
	const other = createProgram(doc, { name: 'Platform' });
	const period = createPeriod(doc, { name: 'Q1' });
	const lane = createLane(doc, { programId: program, name: 'Checkout' });
	const card = createCard(doc, { laneId: lane, periodId: period, title: 'Launch' });
	createRisk(doc, { title: 'On the card', threatens: { kind: 'card', id: card } });
	createRisk(doc, { title: 'On the lane', threatens: { kind: 'lane', id: lane } });
	createRisk(doc, {
		title: 'Owned on the lane',
		owner: 'Ana',
		roam: 'owned',
		threatens: { kind: 'lane', id: lane }
	});
	createRisk(doc, { title: 'On the other', threatens: { kind: 'program', id: other } });
	createRisk(doc, { title: 'On the board' });
	return { doc, program, other, lane, card };
}

describe('risk badges', () => {
	it('count the risks not yet roamed on an item and everything in it', () => {
		const b = board();
		const snapshot = readBoard(b.doc);
		expect(unroamedCount(snapshot, { kind: 'card', id: b.card })).toBe(1);
		expect(unroamedCount(snapshot, { kind: 'lane', id: b.lane })).toBe(2);
		expect(unroamedCount(snapshot, { kind: 'program', id: b.program })).toBe(2);
		expect(unroamedCount(snapshot, { kind: 'program', id: b.other })).toBe(1);
		expect(unroamedCount(snapshot, { kind: 'lane', id: 'gone' })).toBe(0);
	});

	it('name what a risk threatens', () => {
		const b = board();
		const snapshot = readBoard(b.doc);
		expect(threatName(snapshot, { kind: 'card', id: b.card })).toBe('Card Launch');
		expect(threatName(snapshot, null)).toBeNull();
	});
});

describe('the ROAM view filtered to an item', () => {
	it('keeps the risks on the item and on what is in it, in every column', () => {
		const b = board();
		const snapshot = readBoard(b.doc);
		const titles = (filter: Parameters<typeof roamColumns>[1]) => {
			const columns = roamColumns(snapshot, filter);
			return { new: columns.new.map((r) => r.title), owned: columns.owned.map((r) => r.title) };
		};
		expect(titles({ kind: 'lane', id: b.lane })).toEqual({
			new: ['On the card', 'On the lane'],
			owned: ['Owned on the lane']
		});
		expect(titles({ kind: 'card', id: b.card })).toEqual({ new: ['On the card'], owned: [] });
		expect(titles(null).new).toHaveLength(4);
	});

	it('reads its filter from the address and writes it back', () => {
		const filter = { kind: 'lane', id: 'a b/c' } as const;
		expect(parseRoamHash(`#${roamFragment(filter)}`)).toEqual({ open: true, filter });
		expect(parseRoamHash('#risks')).toEqual({ open: true, filter: null });
		expect(parseRoamHash('#risks=dragon:x')).toEqual({ open: true, filter: null });
		expect(parseRoamHash('#risks=lane:%E0%A4%A')).toEqual({ open: true, filter: null });
		expect(parseRoamHash('#board')).toEqual({ open: false, filter: null });
		expect(parseRoamHash('#riskshare')).toEqual({ open: false, filter: null });
		expect(parseRoamHash('')).toEqual({ open: false, filter: null });
	});
});
