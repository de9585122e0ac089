import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	cellIds,
	fork,
	laneIds,
	laneOf,
	modelError,
	programOf,
	smallBoard,
	sync,
	transactionsOf,
	visibleCardIds
} from '../../../tests/helpers/board.ts';
import {
	createCard,
	createLane,
	deleteLane,
	deletePeriod,
	deleteProgram,
	moveCard,
	moveLane,
	setBoardTitle,
	updateCard,
	updateLane
} from './operations.ts';
import { createDependency } from './operations-planning.ts';
import { restoreCheckpoint } from './restore.ts';
import { readBoard } from './snapshot.ts';

/** The board as a checkpoint holds it: a separate doc built from its encoded state. */
function checkpointOf(doc: Y.Doc): Y.Doc {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	return copy;
}

describe('restoreCheckpoint', () => {
	it('brings a deleted program back with its lanes and cards, in one restore transaction', () => {
		const doc = smallBoard();
		const saved = checkpointOf(doc);
		const before = readBoard(doc);
		deleteProgram(doc, { id: 'growth' });
		expect(readBoard(doc).programs.map((p) => p.id)).toEqual(['platform']);
		const txs = transactionsOf(doc, () =>
			restoreCheckpoint(doc, { from: saved, scope: { kind: 'program', id: 'growth' } })
		);
		expect(txs.map((t) => t.origin)).toEqual(['restore']);
		const after = readBoard(doc);
		expect(laneIds(after, 'growth')).toEqual(['a', 'b', 'c']);
		expect(cellIds(after, 'a', 'q1')).toEqual(['a1', 'a2']);
		expect(visibleCardIds(after)).toEqual(visibleCardIds(before));
		expect(after).toEqual(before);
	});

	it('keeps other people’s unrelated edits made since the checkpoint', () => {
		const ana = smallBoard(1);
		const saved = checkpointOf(ana);
		const ben = fork(ana, 2);
		// Ben, elsewhere: renames a Platform lane, adds a card to it, retitles the board.
		updateLane(ben, { id: 'd', name: 'Tracing' });
		const added = createCard(ben, { laneId: 'd', periodId: 'q3', title: 'New card' });
		setBoardTitle(ben, { title: 'Ben’s title' });
		// Ana, in Growth: reprioritises, moves a card, edits a card.
		moveLane(ana, { id: 'c', programId: 'growth', index: 0 });
		moveCard(ana, { id: 'a1', laneId: 'b', periodId: 'q2', index: 0 });
		updateCard(ana, { id: 'a2', title: 'Renamed' });
		sync(ana, ben);
		restoreCheckpoint(ana, { from: saved, scope: { kind: 'program', id: 'growth' } });
		sync(ana, ben);
		for (const doc of [ana, ben]) {
			const board = readBoard(doc);
			expect(laneIds(board, 'growth')).toEqual(['a', 'b', 'c']);
			expect(cellIds(board, 'a', 'q1')).toEqual(['a1', 'a2']);
			expect(cellIds(board, 'a', 'q1').length).toBe(2);
			expect(laneOf(board, 'a')?.cells.q1?.[1]?.title).toBe('Card a2');
			expect(laneOf(board, 'd')?.name).toBe('Tracing');
			expect(cellIds(board, 'd', 'q3')).toEqual([added]);
			expect(board.title).toBe('Ben’s title');
		}
	});

	it('restores one lane: its cards and order return, the rest of its program stays', () => {
		const doc = smallBoard();
		const saved = checkpointOf(doc);
		moveCard(doc, { id: 'a2', laneId: 'a', periodId: 'q1', index: 0 });
		moveCard(doc, { id: 'a3', laneId: 'b', periodId: 'q3', index: 0 });
		const fresh = createCard(doc, { laneId: 'a', periodId: 'q3', title: 'Since' });
		updateLane(doc, { id: 'b', name: 'Payments' });
		restoreCheckpoint(doc, { from: saved, scope: { kind: 'lane', id: 'a' } });
		const board = readBoard(doc);
		expect(cellIds(board, 'a', 'q1')).toEqual(['a1', 'a2']);
		expect(cellIds(board, 'a', 'q2')).toEqual(['a3']);
		expect(cellIds(board, 'a', 'q3')).toEqual([]);
		expect(visibleCardIds(board)).not.toContain(fresh);
		expect(laneOf(board, 'b')?.name).toBe('Payments');
	});

	it('brings back a deleted lane whose program and period are gone too', () => {
		const doc = smallBoard();
		const saved = checkpointOf(doc);
		deleteLane(doc, { id: 'a' });
		deletePeriod(doc, { id: 'q2' });
		deleteProgram(doc, { id: 'growth' });
		restoreCheckpoint(doc, { from: saved, scope: { kind: 'lane', id: 'a' } });
		const board = readBoard(doc);
		expect(laneIds(board, 'growth')).toEqual(['a']);
		expect(board.periods.map((p) => p.id)).toEqual(['q1', 'q2', 'q3']);
		expect(cellIds(board, 'a', 'q2')).toEqual(['a3']);
		expect(board.orphans.cards).toEqual([]);
	});

	it('restores the whole board: records made since go, title and every record return', () => {
		const doc = smallBoard();
		createDependency(doc, { from: 'a1', to: 'd1' });
		const saved = checkpointOf(doc);
		const before = readBoard(doc);
		createLane(doc, { programId: 'platform', name: 'Later' });
		deleteProgram(doc, { id: 'growth' });
		setBoardTitle(doc, { title: 'Changed' });
		restoreCheckpoint(doc, { from: saved, scope: { kind: 'board' } });
		expect(readBoard(doc)).toEqual(before);
	});

	it('writes only the fields that differ', () => {
		const doc = smallBoard();
		const saved = checkpointOf(doc);
		updateLane(doc, { id: 'b', health: 'at-risk' });
		const txs = transactionsOf(doc, () =>
			restoreCheckpoint(doc, { from: saved, scope: { kind: 'program', id: 'growth' } })
		);
		expect(txs[0]?.changed).toEqual(['lanes/b:health']);
		expect(programOf(readBoard(doc), 'growth').lanes[1]?.health).toBeNull();
	});

	it('is undone by its own origin alone, leaving later edits by others', () => {
		const doc = smallBoard();
		const saved = checkpointOf(doc);
		deleteProgram(doc, { id: 'growth' });
		const undo = new Y.UndoManager([doc.getMap('programs'), doc.getMap('lanes')], {
			trackedOrigins: new Set(['restore'])
		});
		restoreCheckpoint(doc, { from: saved, scope: { kind: 'program', id: 'growth' } });
		expect(laneIds(readBoard(doc), 'growth')).toEqual(['a', 'b', 'c']);
		undo.undo();
		expect(readBoard(doc).programs.map((p) => p.id)).toEqual(['platform']);
	});

	it('takes in what the checkpoint holds that this doc has not received, writing no text twice', () => {
		const ana = smallBoard(1);
		const ben = fork(ana, 2);
		updateLane(ben, { id: 'a', name: 'Checkout v2' });
		const saved = checkpointOf(ben);
		// Ana has not received Ben's rename yet when she restores the lane.
		restoreCheckpoint(ana, { from: saved, scope: { kind: 'lane', id: 'a' } });
		sync(ana, ben);
		for (const doc of [ana, ben]) expect(laneOf(readBoard(doc), 'a')?.name).toBe('Checkout v2');
	});

	it('never unplaces a record the checkpoint caught without its position', () => {
		const doc = smallBoard();
		const saved = checkpointOf(doc);
		(saved.getMap('lanes').get('c') as Y.Map<unknown>).delete('pos');
		deleteLane(doc, { id: 'c' });
		restoreCheckpoint(doc, { from: saved, scope: { kind: 'lane', id: 'c' } });
		const board = readBoard(doc);
		expect(laneIds(board, 'growth')).toEqual(['a', 'b']);
		expect(board.orphans.lanes).toEqual([]);
	});

	it('refuses a program that is in neither board, writing nothing', () => {
		const doc = smallBoard();
		const saved = checkpointOf(doc);
		const txs = transactionsOf(doc, () => {
			const error = modelError(() =>
				restoreCheckpoint(doc, { from: saved, scope: { kind: 'program', id: 'nope' } })
			);
			expect(error.code).toBe('not-found');
		});
		expect(txs).toEqual([]);
	});
});
