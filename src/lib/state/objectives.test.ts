import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	createCard,
	createLane,
	createObjective,
	createPeriod,
	createProgram,
	linkObjective,
	predictability,
	readBoard
} from '$lib/model/index.ts';
import { objectivesBrief, predictabilityText, servedBy } from './objectives.ts';

describe('objectives in words', () => {
	it('say predictability with the numbers behind it, or why there is none yet', () => {
		const o = (commitment: 'committed' | 'stretch', planned: number, actual: number | null) => ({
			commitment,
			planned,
			actual
		});
		expect(predictabilityText(predictability([o('committed', 8, 8), o('committed', 5, 3)]))).toBe(
			'84.6 % (11 of 13)'
		);
		expect(predictabilityText(predictability([o('committed', 8, null)]))).toBe(
			'not yet scored (8 planned)'
		);
		expect(predictabilityText(predictability([o('stretch', 3, 3)]))).toBeNull();
		expect(objectivesBrief(predictability([o('committed', 8, 8), o('stretch', 3, null)]))).toBe(
			'2 objectives: 1 committed, 1 stretch, 8 planned'
		);
		expect(objectivesBrief(predictability([]))).toBe('No objectives yet');
	});

	it('tell which objectives a lane or card serves, in list order', () => {
		const doc = new Y.Doc();
		const programId = createProgram(doc, { name: 'P' });
		const periodId = createPeriod(doc, { name: 'Q1' });
		const laneId = createLane(doc, { programId, name: 'L' });
		const cardId = createCard(doc, { laneId, periodId, title: 'C' });
		const [first, second] = ['First', 'Second'].map((name) =>
			createObjective(doc, { programId, name })
		);
		linkObjective(doc, { id: second!, kind: 'lane', targetId: laneId, linked: true });
		linkObjective(doc, { id: first!, kind: 'lane', targetId: laneId, linked: true });
		linkObjective(doc, { id: first!, kind: 'card', targetId: cardId, linked: true });
		const snapshot = readBoard(doc);
		expect(servedBy(snapshot, 'lane', laneId).map((o) => o.name)).toEqual(['First', 'Second']);
		expect(servedBy(snapshot, 'card', cardId).map((o) => o.name)).toEqual(['First']);
		expect(servedBy(snapshot, 'card', 'other')).toEqual([]);
	});
});
