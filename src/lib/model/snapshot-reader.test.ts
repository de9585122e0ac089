import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { collection } from './doc.ts';
import {
	createCard,
	createLane,
	createPeriod,
	createProgram,
	deleteCard,
	deleteLane,
	deletePeriod,
	deleteProgram,
	moveCard,
	moveLane,
	movePeriod,
	moveProgram,
	updateCard,
	updateLane
} from './operations.ts';
import { createDependency, deleteDependency, setLaneCapacity } from './operations-planning.ts';
import { readBoard } from './snapshot.ts';
import { SnapshotReader } from './snapshot-reader.ts';
import { spliceText } from './text.ts';

function seeded(seed: number) {
	return () => {
		seed = (seed * 1664525 + 1013904223) % 4294967296;
		return seed / 4294967296;
	};
}

/** One random edit, local or arriving from another peer, including garbage and orphans. */
function randomEdit(doc: Y.Doc, peer: Y.Doc, rng: () => number): void {
	const pick = <T>(list: T[]): T | undefined => list[Math.floor(rng() * list.length)];
	const ids = (name: 'programs' | 'lanes' | 'periods' | 'cards' | 'dependencies', d = doc) => [
		...collection(d, name).keys()
	];
	const target = rng() < 0.3 ? peer : doc;
	// One edit in four is of the planning records: dependencies (cycles included) and capacity.
	if (rng() < 0.25) {
		const p = rng();
		try {
			if (p < 0.6) {
				const [from, to] = [pick(ids('cards', target)), pick(ids('cards', target))];
				if (from && to && from !== to) createDependency(target, { from, to });
			} else if (p < 0.8) {
				const id = pick(ids('dependencies', target));
				if (id) deleteDependency(target, { id });
			} else {
				const id = pick(ids('lanes', target));
				if (id) setLaneCapacity(target, { id, capacity: Math.floor(rng() * 30) });
			}
		} catch {
			// Refused (a record gone meanwhile): nothing changed, which is worth comparing too.
		}
		return;
	}
	const r = rng();
	try {
		if (r < 0.08) createProgram(target, { name: `P${Math.floor(rng() * 99)}`, rng });
		else if (r < 0.16) createPeriod(target, { name: `Q${Math.floor(rng() * 9)}`, rng });
		else if (r < 0.3) {
			const programId = pick(ids('programs', target));
			if (programId) createLane(target, { programId, name: 'Lane', rng });
		} else if (r < 0.5) {
			const laneId = pick(ids('lanes', target));
			const periodId = pick(ids('periods', target));
			if (laneId && periodId) createCard(target, { laneId, periodId, title: 'Card', rng });
		} else if (r < 0.6) {
			const id = pick(ids('lanes', target));
			const programId = pick(ids('programs', target));
			if (id && programId) moveLane(target, { id, programId, index: Math.floor(rng() * 4), rng });
		} else if (r < 0.7) {
			const id = pick(ids('cards', target));
			const laneId = pick(ids('lanes', target));
			const periodId = pick(ids('periods', target));
			if (id && laneId && periodId) {
				moveCard(target, { id, laneId, periodId, index: Math.floor(rng() * 3), rng });
			}
		} else if (r < 0.74) {
			const id = pick(ids('programs', target));
			if (id) moveProgram(target, { id, index: 0, rng });
		} else if (r < 0.77) {
			const id = pick(ids('periods', target));
			if (id) movePeriod(target, { id, index: 1, rng });
		} else if (r < 0.84) {
			const id = pick(ids('lanes', target));
			if (id) {
				spliceText(target, {
					collection: 'lanes',
					id,
					field: 'name',
					index: 0,
					remove: 1,
					insert: 'x'
				});
				updateLane(target, { id, progress: Math.floor(rng() * 100) });
			}
		} else if (r < 0.88) {
			const id = pick(ids('cards', target));
			if (id) updateCard(target, { id, done: rng() < 0.5 });
		} else if (r < 0.9) {
			// A peer that writes garbage, or a bad position.
			const id = pick(ids('lanes', target));
			if (id) (collection(target, 'lanes').get(id) as Y.Map<unknown>).set('pos', { program: 7 });
			else collection(target, 'cards').set(`junk${Math.floor(rng() * 9)}`, 'not a record');
		} else if (r < 0.94) {
			const id = pick(ids('cards', target));
			if (id) deleteCard(target, { id });
		} else if (r < 0.96) {
			const id = pick(ids('lanes', target));
			if (id) deleteLane(target, { id });
		} else if (r < 0.98) {
			const id = pick(ids('periods', target));
			if (id) deletePeriod(target, { id });
		} else {
			const id = pick(ids('programs', target));
			if (id) deleteProgram(target, { id });
		}
	} catch {
		// A refused operation changes nothing, which is also worth comparing.
	}
	if (target === peer && rng() < 0.5) {
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(doc)), 'remote');
		Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(peer)), 'remote');
	}
}

describe('SnapshotReader', () => {
	it('agrees with readBoard after every one of many random edits', () => {
		for (let seed = 1; seed <= 12; seed++) {
			const rng = seeded(seed);
			const doc = new Y.Doc();
			const peer = new Y.Doc();
			const reader = new SnapshotReader(doc);
			// Read as the board reads, handing back the snapshot it holds: what comes out the same
			// is reused from it (assembleBoard), which must never show a stale lane or dependency.
			let held: ReturnType<typeof readBoard> | undefined;
			for (let step = 0; step < 150; step++) {
				randomEdit(doc, peer, rng);
				if (rng() < 0.7) {
					held = reader.read(held);
					expect(held, `seed ${seed} step ${step}`).toEqual(readBoard(doc));
				}
			}
			reader.destroy();
		}
	});

	it('hands back the same record objects for what did not change', () => {
		const doc = new Y.Doc();
		const reader = new SnapshotReader(doc);
		const programId = createProgram(doc, { name: 'Payments' });
		const periodId = createPeriod(doc, { name: 'Q1' });
		const laneId = createLane(doc, { programId, name: 'Billing' });
		const a = createCard(doc, { laneId, periodId, title: 'A' });
		createCard(doc, { laneId, periodId, title: 'B' });
		const before = reader.read();
		updateCard(doc, { id: a, done: true });
		const after = reader.read();
		const cell = (s: typeof before) => s.programs[0]!.lanes[0]!.cells[periodId]!;
		expect(cell(after)[0]).not.toBe(cell(before)[0]);
		expect(cell(after)[1]).toBe(cell(before)[1]);
		expect(after.periods[0]).toBe(before.periods[0]);
	});

	it('given the snapshot held, a card move rebuilds only what it changed', () => {
		const doc = new Y.Doc();
		const reader = new SnapshotReader(doc);
		const programId = createProgram(doc, { name: 'Payments' });
		const q1 = createPeriod(doc, { name: 'Q1' });
		const q2 = createPeriod(doc, { name: 'Q2' });
		const [billing, ledger, audit] = ['Billing', 'Ledger', 'Audit'].map((name) =>
			createLane(doc, { programId, name })
		);
		const a = createCard(doc, { laneId: billing!, periodId: q1, title: 'A' });
		const b = createCard(doc, { laneId: ledger!, periodId: q2, title: 'B' });
		const c = createCard(doc, { laneId: audit!, periodId: q2, title: 'C' });
		createDependency(doc, { from: a, to: b });
		createDependency(doc, { from: b, to: c });
		const before = reader.read();
		const lanes = (s: typeof before) => s.programs[0]!.lanes;
		const dep = (s: typeof before, from: string) =>
			s.dependencies.find((d) => d.pos.from === from)!;

		// C to Q1: its lane is built again, the others are not; the line from B turns red (C
		// now comes first), the line from A to B is untouched.
		moveCard(doc, { id: c, laneId: audit!, periodId: q1, index: 0 });
		const moved = reader.read(before);
		expect(moved).toEqual(readBoard(doc));
		expect(lanes(moved)[0]).toBe(lanes(before)[0]);
		expect(lanes(moved)[1]).toBe(lanes(before)[1]);
		expect(lanes(moved)[2]).not.toBe(lanes(before)[2]);
		expect(dep(moved, a)).toBe(dep(before, a));
		expect(dep(moved, b)).not.toBe(dep(before, b));
		expect(dep(moved, b).health).toBe('red');

		// A cycle closed by a new dependency is found, though nothing else moved.
		createDependency(doc, { from: c, to: a });
		const cyclic = reader.read(moved);
		expect(cyclic).toEqual(readBoard(doc));
		expect(cyclic.dependencies.every((d) => d.cycle)).toBe(true);
		expect(lanes(cyclic)[0]).toBe(lanes(before)[0]);

		// As many dependencies as before, but another graph: the cycle is gone.
		const closing = cyclic.dependencies.find((d) => d.pos.from === c)!;
		deleteDependency(doc, { id: closing.id });
		createDependency(doc, { from: a, to: c });
		const open = reader.read(cyclic);
		expect(open).toEqual(readBoard(doc));
		expect(open.dependencies.some((d) => d.cycle)).toBe(false);
	});
});
