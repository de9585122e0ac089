import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	createCard,
	createDependency,
	createLane,
	createPeriod,
	createProgram,
	migrate,
	readBoard,
	type BoardSnapshot
} from '$lib/model/index.ts';
import {
	cardPlaces,
	dependenciesOfCard,
	dependencyRows,
	describeDependency,
	linePath,
	pickerOptions,
	visibleLines
} from './dependency-view.ts';

/** Two programs, three periods: a (Q1, Pay) → b (Q2, Pay) green, c (Q3, Ops) → d (Q1, Pay) red, b → e (Q2, Ops) amber. */
function board(): { snapshot: BoardSnapshot; ids: Record<'a' | 'b' | 'c' | 'd' | 'e', string> } {
	const doc = new Y.Doc();
	migrate(doc);
	const [q1, q2, q3] = ['Q1', 'Q2', 'Q3'].map((name) => createPeriod(doc, { name }));
	const pay = createLane(doc, { programId: createProgram(doc, { name: 'Payments' }), name: 'Pay' });
	const ops = createLane(doc, { programId: createProgram(doc, { name: 'Platform' }), name: 'Ops' });
	const card = (laneId: string, periodId: string, title: string) =>
		createCard(doc, { laneId, periodId, title });
	const ids = {
		a: card(pay, q1!, 'Alpha'),
		b: card(pay, q2!, 'Bravo'),
		c: card(ops, q3!, 'Charlie'),
		d: card(pay, q1!, 'Delta'),
		e: card(ops, q2!, 'Echo')
	};
	createDependency(doc, { from: ids.a, to: ids.b });
	createDependency(doc, { from: ids.c, to: ids.d });
	createDependency(doc, { from: ids.b, to: ids.e });
	return { snapshot: readBoard(doc), ids };
}

describe('dependency sentences and filters', () => {
	it('says what each dependency means, in words', () => {
		const { snapshot, ids } = board();
		const places = cardPlaces(snapshot);
		const text = (from: string, to: string) =>
			describeDependency(
				snapshot.dependencies.find((d) => d.pos.from === from && d.pos.to === to)!,
				places
			);
		expect(text(ids.c, ids.d)).toBe(
			'Delta needs Charlie: blocked, planned in Q1 but Charlie is in Q3'
		);
		expect(text(ids.b, ids.e)).toBe('Echo needs Bravo: tight, both in Q2');
		expect(text(ids.a, ids.b)).toBe('Bravo needs Alpha: on track, Alpha in Q1, Bravo in Q2');
	});

	it('draws problems, the selected card’s lines and a preview’s changes; all; or none', () => {
		const { snapshot, ids } = board();
		const places = cardPlaces(snapshot);
		const shown = (opts: Partial<Parameters<typeof visibleLines>[1]>) =>
			visibleLines(snapshot.dependencies, { filter: 'problems', places, ...opts }).map(
				(l) =>
					`${places.get(l.dep.pos.from)!.title}>${places.get(l.dep.pos.to)!.title}:${l.health}${l.preview ? '*' : ''}`
			);
		expect(shown({}).sort()).toEqual(['Bravo>Echo:amber', 'Charlie>Delta:red']);
		expect(shown({ card: ids.a }).sort()).toEqual([
			'Alpha>Bravo:green',
			'Bravo>Echo:amber',
			'Charlie>Delta:red'
		]);
		expect(shown({ filter: 'all' })).toHaveLength(3);
		expect(shown({ filter: 'none' })).toEqual([]);
		expect(shown({ filter: 'none', card: ids.a })).toEqual(['Alpha>Bravo:green']);
		const ab = snapshot.dependencies.find((d) => d.pos.from === ids.a)!.id;
		expect(
			shown({
				filter: 'none',
				preview: { dependencies: { [ab]: 'red' }, cells: {}, programs: {} }
			})
		).toEqual(['Alpha>Bravo:red*']);
	});

	it('lists dependencies red first, filterable to problems and across programs', () => {
		const { snapshot, ids } = board();
		const places = cardPlaces(snapshot);
		const rows = (opts = {}) =>
			dependencyRows(snapshot.dependencies, places, opts).map(
				(r) => `${r.from.title}>${r.to.title}`
			);
		expect(rows()).toEqual(['Charlie>Delta', 'Bravo>Echo', 'Alpha>Bravo']);
		expect(rows({ problemsOnly: true })).toEqual(['Charlie>Delta', 'Bravo>Echo']);
		expect(rows({ acrossPrograms: true })).toEqual(['Charlie>Delta', 'Bravo>Echo']);
		expect(dependenciesOfCard(snapshot.dependencies, ids.b).needs.map((d) => d.pos.from)).toEqual([
			ids.a
		]);
		expect(dependenciesOfCard(snapshot.dependencies, ids.b).blocks.map((d) => d.pos.to)).toEqual([
			ids.e
		]);
	});

	it('finds cards by title first, then lane, program or period, never the card itself', () => {
		const { snapshot, ids } = board();
		const places = cardPlaces(snapshot);
		const titles = (query: string) => pickerOptions(places, ids.a, query).map((p) => p.title);
		expect(titles('')).not.toContain('Alpha');
		expect(titles('ech')).toEqual(['Echo']);
		expect(titles('ops')).toEqual(['Echo', 'Charlie']);
		expect(titles('platform q3')).toEqual(['Charlie']);
		expect(titles('nothing here')).toEqual([]);
	});
});

describe('linePath', () => {
	const box = (left: number, top: number) => ({ left, top, right: left + 100, bottom: top + 40 });

	it('runs from the prerequisite’s right side into the dependent’s left', () => {
		const { d, mid } = linePath(box(0, 0), box(300, 100));
		expect(d).toBe('M100,20 C200,20 200,120 300,120');
		expect(mid).toEqual({ x: 200, y: 70 });
	});

	it('runs backwards, left side to right side, when the dependent is earlier', () => {
		expect(linePath(box(300, 0), box(0, 0)).d).toBe('M300,20 C200,20 200,20 100,20');
	});

	it('loops beside two cards stacked in one column', () => {
		expect(linePath(box(0, 0), box(0, 100)).d).toBe('M100,20 C140,20 140,120 100,120');
	});
});
