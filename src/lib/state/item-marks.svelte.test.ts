import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	createCard,
	createLane,
	createObjective,
	createPeriod,
	createProgram,
	createRisk,
	linkObjective,
	moveRisk,
	readBoard
} from '$lib/model/index.ts';
import { ItemMarks } from './item-marks.svelte.ts';

describe('item marks', () => {
	it('keep each item’s risk count and objectives, and leave unchanged entries as they were', () => {
		const doc = new Y.Doc();
		const programId = createProgram(doc, { name: 'P' });
		const periodId = createPeriod(doc, { name: 'Q1' });
		const laneId = createLane(doc, { programId, name: 'L' });
		const other = createLane(doc, { programId, name: 'M' });
		const cardId = createCard(doc, { laneId, periodId, title: 'C' });
		const objective = createObjective(doc, { programId, name: 'Grow' });
		linkObjective(doc, { id: objective, kind: 'lane', targetId: other, linked: true });
		const risk = createRisk(doc, { title: 'R', threatens: { kind: 'card', id: cardId } });
		const marks = new ItemMarks();
		marks.sync(readBoard(doc));
		expect(marks.get('card', cardId)).toEqual({ risks: 1, serves: [] });
		expect(marks.get('lane', laneId)).toEqual({ risks: 1, serves: [] });
		expect(marks.get('program', programId)).toEqual({ risks: 1, serves: [] });
		const served = marks.get('lane', other);
		expect(served).toEqual({ risks: 0, serves: ['Grow'] });

		moveRisk(doc, { id: risk, roam: 'accepted', index: 0 });
		marks.sync(readBoard(doc));
		expect(marks.get('card', cardId)).toBeUndefined();
		expect(marks.get('program', programId)).toBeUndefined();
		// Nothing changed for this lane: the very same entry, so nothing re-renders it.
		expect(marks.get('lane', other)).toBe(served);
	});
});
