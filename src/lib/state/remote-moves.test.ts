import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { moveCard, moveLane, readBoard, seedSampleBoard, updateLane } from '$lib/model/index.ts';
import { localConnection } from '../../../tests/helpers/local-connection.ts';
import { BoardState } from './board.svelte.ts';
import { ANNOUNCE_GRACE_MS, MoveAnnouncer, movedItems } from './remote-moves.ts';

function sample() {
	const doc = new Y.Doc();
	seedSampleBoard(doc);
	return doc;
}

const laneNamed = (doc: Y.Doc, name: string) =>
	readBoard(doc)
		.programs.flatMap((p) => p.lanes)
		.find((l) => l.name === name)!;

describe('movedItems', () => {
	it('lists the moved item only, not the siblings it pushed', () => {
		const doc = sample();
		const before = readBoard(doc);
		const lane = laneNamed(doc, 'Onboarding journey');
		moveLane(doc, { id: lane.id, programId: lane.pos.program, index: 0 });
		expect(movedItems(before, readBoard(doc))).toEqual([{ kind: 'lane', id: lane.id }]);
	});

	it('sees a card moved to another cell, and nothing for an edit in place', () => {
		const doc = sample();
		const before = readBoard(doc);
		const lane = laneNamed(doc, 'Partner API');
		const card = Object.values(lane.cells)[0]![0]!;
		const period = readBoard(doc).periods[0]!;
		moveCard(doc, { id: card.id, laneId: lane.id, periodId: period.id, index: 0 });
		const after = readBoard(doc);
		expect(movedItems(before, after)).toEqual([{ kind: 'card', id: card.id }]);
		updateLane(doc, { id: lane.id, progress: 90 });
		expect(movedItems(after, readBoard(doc))).toEqual([]);
	});
});

describe('MoveAnnouncer', () => {
	beforeEach(() => {
		vi.useFakeTimers();
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('says who moved what, at most once per interval, summing up a busy stretch', () => {
		const doc = sample();
		const said: string[] = [];
		const announcer = new MoveAnnouncer({
			announce: (message) => said.push(message),
			movedBy: (item) => (item.kind === 'lane' ? 'Ana' : null),
			interval: 2000
		});
		const lane = laneNamed(doc, 'Onboarding journey');
		moveLane(doc, { id: lane.id, programId: lane.pos.program, index: 0 });
		announcer.add(readBoard(doc), [{ kind: 'lane', id: lane.id }]);
		expect(said).toEqual([]);
		vi.advanceTimersByTime(ANNOUNCE_GRACE_MS);
		expect(said).toEqual(['Ana moved Onboarding journey to priority 1 of 5 in Self-serve growth']);

		// Three more moves within the interval: one summary at its end.
		for (const name of ['Partner API', 'Revenue analytics', 'Billing platform migration']) {
			const other = laneNamed(doc, name);
			announcer.add(readBoard(doc), [{ kind: 'lane', id: other.id }]);
		}
		expect(said).toHaveLength(1);
		vi.advanceTimersByTime(2000);
		expect(said[1]).toBe('Ana moved 3 items');

		const card = Object.values(laneNamed(doc, 'Partner API').cells)[0]![0]!;
		vi.advanceTimersByTime(2000);
		announcer.add(readBoard(doc), [{ kind: 'card', id: card.id }]);
		vi.advanceTimersByTime(ANNOUNCE_GRACE_MS);
		expect(said[2]).toMatch(/^Someone moved .+ to position 1 of \d+ in Partner API/);
		announcer.add(readBoard(doc), [{ kind: 'card', id: card.id }]);
		announcer.add(readBoard(doc), [{ kind: 'lane', id: lane.id }]);
		vi.advanceTimersByTime(2000);
		expect(said[3]).toBe('2 items were moved');
		announcer.destroy();
	});
});

describe('BoardState and remote moves', () => {
	function board(doc: Y.Doc, awareness = new Awareness(doc)) {
		const { connection } = localConnection(doc, awareness);
		return new BoardState(connection);
	}

	it('reports and announces a move that came from someone else, not my own', async () => {
		const doc = sample();
		const state = board(doc);
		const reported: string[] = [];
		const stop = state.onRemoteMoves((moved) => reported.push(...moved.map((m) => m.id)));

		const lane = laneNamed(doc, 'Onboarding journey');
		state.move({ kind: 'lane', id: lane.id, programId: lane.pos.program, index: 0 });
		expect(reported).toEqual([]);
		expect(state.announcement).toMatch(/^Onboarding journey moved to priority 1/);

		const remote = new Y.Doc();
		Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
		const other = laneNamed(remote, 'Partner API');
		moveLane(remote, { id: other.id, programId: other.pos.program, index: 0 });
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote), 'remote');
		await new Promise<void>((resolve) => queueMicrotask(resolve));
		expect(reported).toEqual([other.id]);
		await new Promise((resolve) => setTimeout(resolve, ANNOUNCE_GRACE_MS + 20));
		expect(state.announcement).toMatch(/^Someone moved Partner API to priority 1 of \d+/);
		stop();
		state.destroy();
	});

	it('does not take my own undo or redo of a move for someone else’s', async () => {
		const doc = sample();
		const state = board(doc);
		const reported: string[] = [];
		const stop = state.onRemoteMoves((moved) => reported.push(...moved.map((m) => m.id)));
		const lane = laneNamed(doc, 'Onboarding journey');
		state.move({ kind: 'lane', id: lane.id, programId: lane.pos.program, index: 0 });
		const settle = () => new Promise<void>((resolve) => queueMicrotask(resolve));
		await settle();
		state.undo();
		await settle();
		expect(laneNamed(doc, 'Onboarding journey').pos.rank).toBe(lane.pos.rank);
		state.redo();
		await settle();
		expect(reported).toEqual([]);
		expect(state.announcement).not.toMatch(/Someone/);
		stop();
		state.destroy();
	});

	it('credits a move made from the menu to its mover, even when the move arrives before their presence', async () => {
		vi.useFakeTimers();
		try {
			const docA = sample();
			const docB = new Y.Doc();
			Y.applyUpdate(docB, Y.encodeStateAsUpdate(docA));
			const awarenessA = new Awareness(docA);
			const awarenessB = new Awareness(docB);
			const a = board(docA, awarenessA);
			const b = board(docB, awarenessB);
			const presenceOfA = () =>
				applyAwarenessUpdate(
					awarenessB,
					encodeAwarenessUpdate(awarenessA, [docA.clientID]),
					'wire'
				);
			presenceOfA();

			// A moves Partner API from its menu: no drag, no lift.
			const lane = laneNamed(docA, 'Partner API');
			a.move({ kind: 'lane', id: lane.id, programId: lane.pos.program, index: 0 });
			// The document update overtakes A's presence (the relay batches presence every 50 ms).
			Y.applyUpdate(docB, Y.encodeStateAsUpdate(docA), 'remote');
			await vi.advanceTimersByTimeAsync(60);
			presenceOfA();
			await vi.advanceTimersByTimeAsync(2_000);
			expect(b.announcement).toMatch(
				new RegExp(`^${a.presence.displayName} moved Partner API to priority 1 of \\d+`)
			);
			a.destroy();
			b.destroy();
		} finally {
			vi.useRealTimers();
		}
	});
});
