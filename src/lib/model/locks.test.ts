import { describe, expect, it } from 'vitest';
import {
	createCard,
	createLane,
	ModelError,
	moveLane,
	readBoard,
	seedSampleBoard,
	spliceText,
	updateCard,
	updateLane,
	updateProgram
} from './index.ts';
import { guardEdit, readLocks, setLockExemption, writeLock } from './locks.ts';
import { newDoc, seeded } from '../../../tests/helpers/board.ts';

function board() {
	const doc = newDoc();
	seedSampleBoard(doc, seeded());
	const [first, second] = readBoard(doc).programs;
	return { doc, first: first!, second: second! };
}

function refusal(fn: () => void): string {
	try {
		fn();
	} catch (error) {
		if (error instanceof ModelError && error.code === 'locked') return error.message;
		throw error;
	}
	return 'allowed';
}

describe('locks refuse an edit before anything is written', () => {
	it('structure: order, names, creation and deletion of programs, lanes and periods', () => {
		const { doc, first } = board();
		writeLock(doc, { target: { kind: 'structure' }, lock: { by: 'Ana', at: 1 }, origin: 'relay' });
		expect(readLocks(doc).structure).toEqual({ by: 'Ana', at: 1 });
		const lane = first.lanes[0]!;
		const before = JSON.stringify(readBoard(doc));
		expect(refusal(() => moveLane(doc, { id: lane.id, programId: first.id, index: 3 }))).toBe(
			'Structure locked by Ana'
		);
		expect(refusal(() => updateLane(doc, { id: lane.id, name: 'x' }))).toBe(
			'Structure locked by Ana'
		);
		expect(refusal(() => createLane(doc, { programId: first.id, name: 'x' }))).toBe(
			'Structure locked by Ana'
		);
		expect(
			refusal(() =>
				spliceText(doc, {
					collection: 'periods',
					id: readBoard(doc).periods[0]!.id,
					field: 'name',
					index: 0,
					remove: 0,
					insert: 'x'
				})
			)
		).toBe('Structure locked by Ana');
		expect(JSON.stringify(readBoard(doc))).toBe(before);
		// What is not structure stays open.
		expect(refusal(() => updateLane(doc, { id: lane.id, health: 'at-risk' }))).toBe('allowed');
		expect(
			refusal(() =>
				createCard(doc, { laneId: lane.id, periodId: readBoard(doc).periods[0]!.id, title: 'ok' })
			)
		).toBe('allowed');
	});

	it('one program: its record, lanes and cards; not the others', () => {
		const { doc, first, second } = board();
		writeLock(doc, {
			target: { kind: 'program', id: first.id },
			lock: { by: 'Ana', at: 1 },
			origin: 'relay'
		});
		const card = Object.values(first.lanes[0]!.cells)[0]![0]!;
		const name = `Program “${first.name}” locked by Ana`;
		expect(refusal(() => updateProgram(doc, { id: first.id, manager: 'x' }))).toBe(name);
		expect(refusal(() => updateCard(doc, { id: card.id, title: 'x' }))).toBe(name);
		expect(
			refusal(() => moveLane(doc, { id: second.lanes[0]!.id, programId: first.id, index: 0 }))
		).toBe(name);
		expect(refusal(() => updateProgram(doc, { id: second.id, manager: 'x' }))).toBe('allowed');
	});

	it('freeze: everything; a facilitator is exempt', () => {
		const { doc, first } = board();
		writeLock(doc, { target: { kind: 'freeze' }, lock: { by: 'Ana', at: 1 }, origin: 'relay' });
		expect(refusal(() => guardEdit(doc, { kind: 'board' }))).toBe('Board frozen by Ana');
		setLockExemption(doc, true);
		expect(refusal(() => updateProgram(doc, { id: first.id, name: 'Final' }))).toBe('allowed');
	});
});
