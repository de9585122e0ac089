import { describe, expect, it } from 'vitest';
import { fork, smallBoard, sync } from '../../../tests/helpers/board.ts';
import {
	createCard,
	deleteProgram,
	diffBoards,
	moveCard,
	moveLane,
	readBoard,
	updateLane
} from '$lib/model/index.ts';
import { foldHistory, type CheckpointInfo } from './checkpoints.svelte.ts';
import { describeChange, markOf, namesOf } from './compare.ts';

describe('compare in words', () => {
	it('says each change, and marks what is on the board: ↑2, new, moved from Q1', () => {
		const doc = smallBoard();
		const before = readBoard(doc);
		const other = fork(doc, 2);
		moveLane(doc, { id: 'c', programId: 'growth', index: 0 });
		moveCard(doc, { id: 'a1', laneId: 'a', periodId: 'q3', index: 0 });
		moveCard(doc, { id: 'a3', laneId: 'b', periodId: 'q2', index: 0 });
		const added = createCard(doc, { laneId: 'd', periodId: 'q1', title: 'Fresh' });
		updateLane(doc, { id: 'd', health: 'at-risk' });
		deleteProgram(other, { id: 'platform' });
		const after = readBoard(doc);
		const names = namesOf(before, after);
		const changes = diffBoards(before, after).groups.flatMap((g) => g.changes);
		const said = Object.fromEntries(
			changes.map((c) => [`${c.type} ${c.id}`, [describeChange(c, names), markOf(c, names)]])
		);
		expect(said).toEqual({
			'lane c': ['Lane “Onboarding” priority 3 → 1', '↑2'],
			'card a1': ['Card “Card a1” moved from Checkout · Q1 to Checkout · Q3', 'moved from Q1'],
			'card a3': ['Card “Card a3” moved from Checkout · Q2 to Billing · Q2', 'moved from Checkout'],
			[`card ${added}`]: ['Card “Fresh” added', 'new'],
			'lane d': ['Lane “Observability”: health — → at-risk', 'health changed']
		});
		sync(doc, other);
		const gone = diffBoards(before, readBoard(doc)).groups.flatMap((g) => g.changes);
		const program = gone.find((c) => c.type === 'program')!;
		expect(describeChange(program, namesOf(before, readBoard(doc)))).toBe(
			'Program “Platform” removed'
		);
		expect(markOf(program, names)).toBeNull();
	});
});

describe('foldHistory', () => {
	const cp = (id: string, kind: 'named' | 'auto'): CheckpointInfo => ({
		id,
		kind,
		name: id,
		createdAt: 0,
		authorName: '',
		linkId: null,
		bytes: 1
	});

	it('folds each run of automatic checkpoints into one entry, keeping the order', () => {
		const entries = foldHistory([
			cp('a1', 'auto'),
			cp('a2', 'auto'),
			cp('n1', 'named'),
			cp('a3', 'auto'),
			cp('n2', 'named')
		]);
		expect(
			entries.map((e) =>
				e.kind === 'named' ? e.checkpoint.id : e.checkpoints.map((c) => c.id).join('+')
			)
		).toEqual(['a1+a2', 'n1', 'a3', 'n2']);
	});
});
