import { describe, expect, it } from 'vitest';
import { fork, smallBoard, sync } from '../../../tests/helpers/board.ts';
import { positionWriterOf, writerOf } from './attribution.ts';
import { diffBoards } from './diff.ts';
import {
	createCard,
	deleteLane,
	moveCard,
	moveLane,
	updateCard,
	updateLane
} from './operations.ts';
import { readBoard } from './snapshot.ts';

describe('writerOf', () => {
	it('names the client that moved, added, renamed or changed each item; nobody for a removal', () => {
		const ana = smallBoard(1);
		const before = readBoard(ana);
		const ben = fork(ana, 2);
		moveLane(ben, { id: 'c', programId: 'growth', index: 0 });
		moveCard(ana, { id: 'a1', laneId: 'a', periodId: 'q3', index: 0 });
		const added = createCard(ben, { laneId: 'd', periodId: 'q1', title: 'New' });
		updateLane(ana, { id: 'd', name: 'Tracing' });
		updateCard(ben, { id: 'b1', done: true });
		deleteLane(ben, { id: 'b' });
		sync(ana, ben);
		const diff = diffBoards(before, readBoard(ana));
		const by = Object.fromEntries(
			diff.groups
				.flatMap((g) => g.changes)
				.map((c) => [`${c.kind} ${c.type} ${c.id}`, writerOf(ana, c)])
		);
		expect(by).toMatchObject({
			'reprioritised lane c': 2,
			'moved card a1': 1,
			[`added card ${added}`]: 2,
			'renamed lane d': 1,
			'removed lane b': null
		});
	});
});

describe('positionWriterOf', () => {
	it('names the client that last moved a record, however it was moved; null for none', () => {
		const ana = smallBoard(1);
		const ben = fork(ana, 2);
		moveLane(ben, { id: 'c', programId: 'growth', index: 0 });
		sync(ana, ben);
		expect(positionWriterOf(ana, 'lane', 'c')).toBe(2);
		moveLane(ana, { id: 'c', programId: 'growth', index: 1 });
		expect(positionWriterOf(ana, 'lane', 'c')).toBe(1);
		moveCard(ben, { id: 'a1', laneId: 'a', periodId: 'q3', index: 0 });
		sync(ana, ben);
		expect(positionWriterOf(ana, 'card', 'a1')).toBe(2);
		expect(positionWriterOf(ana, 'card', 'nope')).toBeNull();
	});
});
