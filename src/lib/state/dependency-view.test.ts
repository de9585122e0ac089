import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	createCard,
	createDependency,
	createLane,
	createPeriod,
	createProgram,
	migrate,
	moveCard,
	readBoard,
	SnapshotReader,
	spliceText,
	type BoardSnapshot
} from '$lib/model/index.ts';
import {
	cardPlaces,
	dependenciesOfCard,
	dependencyRows,
	describeDependency,
	linePath,
	PIECE_LENGTH,
	pickerOptions,
	visibleLines
} from './dependency-view.ts';
import { reconcile } from './reconcile.ts';

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

describe('card places', () => {
	it('keeps each place that reads the same, and only those', () => {
		const doc = new Y.Doc();
		migrate(doc);
		const [q1, q2] = ['Q1', 'Q2'].map((name) => createPeriod(doc, { name }));
		const programId = createProgram(doc, { name: 'Payments' });
		const [pay, ops] = ['Pay', 'Ops'].map((name) => createLane(doc, { programId, name }));
		const a = createCard(doc, { laneId: pay!, periodId: q1!, title: 'Alpha' });
		const b = createCard(doc, { laneId: pay!, periodId: q1!, title: 'Bravo' });
		const c = createCard(doc, { laneId: ops!, periodId: q1!, title: 'Charlie' });
		const before = cardPlaces(readBoard(doc));
		moveCard(doc, { id: a, laneId: pay!, periodId: q2!, index: 0 });
		spliceText(doc, {
			collection: 'lanes',
			id: ops!,
			field: 'name',
			index: 0,
			remove: 3,
			insert: 'Run'
		});
		const after = cardPlaces(readBoard(doc), before);
		expect(after).toEqual(cardPlaces(readBoard(doc)));
		expect(after.get(b)).toBe(before.get(b));
		expect(after.get(a)).toMatchObject({ periodId: q2, periodName: 'Q2', periodIndex: 1 });
		expect(after.get(c)).toMatchObject({ laneName: 'Run' });
	});

	it('as the board reads (lanes reused), keeps an untouched lane’s places until a name they show changes', () => {
		const doc = new Y.Doc();
		migrate(doc);
		const q1 = createPeriod(doc, { name: 'Q1' });
		const programId = createProgram(doc, { name: 'Payments' });
		const [pay, ops] = ['Pay', 'Ops'].map((name) => createLane(doc, { programId, name }));
		const a = createCard(doc, { laneId: pay!, periodId: q1, title: 'Alpha' });
		const c = createCard(doc, { laneId: ops!, periodId: q1, title: 'Charlie' });
		// The board's own reading: the held snapshot handed back, then reconciled with it.
		const reader = new SnapshotReader(doc);
		let held = reader.read();
		const next = () => (held = reconcile(held, reader.read(held)));
		const before = cardPlaces(held);

		spliceText(doc, {
			collection: 'cards',
			id: a,
			field: 'title',
			index: 0,
			remove: 5,
			insert: 'Able'
		});
		const edited = cardPlaces(next());
		expect(edited.get(a)).toMatchObject({ title: 'Able' });
		expect(edited.get(c)).toBe(before.get(c));

		spliceText(doc, {
			collection: 'periods',
			id: q1,
			field: 'name',
			index: 0,
			remove: 2,
			insert: 'Spring'
		});
		const renamed = cardPlaces(next());
		expect(renamed.get(c)).toMatchObject({ periodName: 'Spring' });
		spliceText(doc, {
			collection: 'programs',
			id: programId,
			field: 'name',
			index: 0,
			remove: 8,
			insert: 'Pay'
		});
		expect(cardPlaces(next()).get(c)).toMatchObject({ programName: 'Pay' });
		reader.destroy();
	});
});

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

	it('is one stretch when short', () => {
		const { d, pieces } = linePath(box(0, 0), box(300, 100));
		expect(pieces).toEqual([{ d, offset: 0 }]);
	});

	it('cuts a long line into joined stretches, each dashed on from where the last ended', () => {
		const a = box(0, 0);
		const b = box(1200, 3000);
		const { d, pieces } = linePath(a, b);
		expect(pieces.length).toBeGreaterThan(1);
		const numbers = (path: string) => path.match(/-?[\d.]+/g)!.map(Number);
		// The first starts where the line starts, the last ends where it ends, and each starts
		// where the one before it ended.
		expect(numbers(pieces[0]!.d).slice(0, 2)).toEqual(numbers(d).slice(0, 2));
		expect(numbers(pieces.at(-1)!.d).slice(-2)).toEqual(numbers(d).slice(-2));
		for (let i = 1; i < pieces.length; i++) {
			expect(numbers(pieces[i]!.d).slice(0, 2)).toEqual(numbers(pieces[i - 1]!.d).slice(-2));
		}
		// Offsets grow by each stretch's length: measured here with a fine polyline of its own.
		const length = (path: string) => {
			const [x0, y0, x1, y1, x2, y2, x3, y3] = numbers(path) as [
				number,
				number,
				number,
				number,
				number,
				number,
				number,
				number
			];
			let sum = 0;
			let [px, py] = [x0, y0];
			for (let i = 1; i <= 2000; i++) {
				const t = i / 2000;
				const u = 1 - t;
				const x = u * u * u * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t * t * t * x3;
				const y = u * u * u * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t * t * t * y3;
				sum += Math.hypot(x - px, y - py);
				[px, py] = [x, y];
			}
			return sum;
		};
		expect(pieces[0]!.offset).toBe(0);
		for (let i = 1; i < pieces.length; i++) {
			expect(pieces[i]!.offset - pieces[i - 1]!.offset).toBeCloseTo(length(pieces[i - 1]!.d), 0);
		}
		for (const piece of pieces) expect(length(piece.d)).toBeLessThan(PIECE_LENGTH * 1.5);
	});
});
