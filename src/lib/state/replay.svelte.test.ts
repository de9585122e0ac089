import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { readBoard, seedSampleBoard, updateLane } from '$lib/model/index.ts';
import type { CheckpointsClient, ReplayData } from '$lib/sync/checkpoints-api.ts';
import { ApiError } from '$lib/sync/boards-api.ts';
import { countUpTo, periodStart, ReplayState } from './replay.svelte.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 2, 9, 0);

/** A sample board, then `count` progress changes to one lane, one a minute from T0 + 1 min. */
function history(count: number) {
	const doc = new Y.Doc();
	seedSampleBoard(doc);
	const state = Y.encodeStateAsUpdate(doc);
	const lane = readBoard(doc).programs[0]!.lanes[0]!;
	const updates: ReplayData['updates'] = [];
	doc.on('update', (data: Uint8Array) =>
		updates.push({ at: T0 + (updates.length + 1) * 60_000, data })
	);
	for (let i = 1; i <= count; i++) updateLane(doc, { id: lane.id, progress: i % 101 });
	const to = T0 + (count + 1) * 60_000;
	const data: ReplayData = { start: T0, from: T0, to, state, updates };
	const client = {
		historyRange: async () => ({ start: T0, now: to }),
		replay: vi.fn(async () => data)
	} as unknown as CheckpointsClient;
	/** The lane's progress after the first `n` changes. */
	const progressAfter = (n: number) => (n === 0 ? lane.progress : n % 101);
	return { client, data, laneId: lane.id, progressAfter };
}

const progressOf = (replay: ReplayState, laneId: string) =>
	replay.board!.snapshot.programs.flatMap((p) => p.lanes).find((l) => l.id === laneId)!.progress;
const settle = () => new Promise<void>((resolve) => queueMicrotask(resolve));

afterEach(() => {
	vi.useRealTimers();
});

describe('replay', () => {
	it('finds the period a choice means, within the history kept', () => {
		const now = T0 + 5 * HOUR;
		expect(periodStart('hour', now, 0)).toBe(now - HOUR);
		expect(periodStart('week', now, now - 2 * 24 * HOUR)).toBe(now - 2 * 24 * HOUR);
		expect(periodStart('all', now, T0)).toBe(T0);
		expect(periodStart('today', now, 0)).toBe(new Date(now).setHours(0, 0, 0, 0));
		expect(periodStart('hour', now, now + 1)).toBe(now);
		const at = [{ at: 1 }, { at: 2 }, { at: 2 }, { at: 5 }];
		expect([0, 1, 2, 4, 5, 9].map((t) => countUpTo(at, t))).toEqual([0, 1, 3, 3, 4, 4]);
	});

	it('shows the board at any moment, forward and back across keyframes, read-only', async () => {
		const fixture = history(650);
		const { client, laneId, progressAfter } = fixture;
		const replay = new ReplayState({ client });
		await replay.start('today');
		expect(replay.open).toBe(true);
		expect(replay.board?.readOnly).toBe(true);
		expect([replay.time, replay.shown, replay.changes]).toEqual([T0, 0, 650]);
		expect(progressOf(replay, laneId)).toBe(progressAfter(0));
		// Forward, back past keyframes, forward again, ends: always the board after that many changes.
		const { data } = fixture;
		/** The document after the first `n` changes, as its state vector: no change may be missing. */
		const vectorAfter = (n: number) => {
			const doc = new Y.Doc();
			Y.applyUpdate(doc, data.state);
			for (const u of data.updates.slice(0, n)) Y.applyUpdate(doc, u.data);
			return Y.encodeStateVector(doc);
		};
		for (const n of [5, 420, 650, 420, 611, 250, 199, 200, 1, 0, 333, 401, 400]) {
			replay.seek(T0 + n * 60_000 + 30_000);
			await settle();
			expect([replay.shown, progressOf(replay, laneId)]).toEqual([n, progressAfter(n)]);
			expect(replay.board!.read((doc) => Y.encodeStateVector(doc))).toEqual(vectorAfter(n));
		}
		replay.seek(0);
		expect(replay.time).toBe(T0);
		replay.step(1);
		await settle();
		expect([replay.time, replay.shown]).toEqual([T0 + 60_000, 1]);
		replay.step(1);
		replay.step(-1);
		await settle();
		expect([replay.shown, progressOf(replay, laneId)]).toEqual([1, progressAfter(1)]);
		const board = replay.board!;
		replay.close();
		expect([replay.open, replay.board]).toEqual([false, null]);
		expect(board.snapshot).toBeDefined();
	});

	it('plays forward at speed, shortening quiet stretches, and stops at the end', async () => {
		vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
		const { client } = history(3);
		const replay = new ReplayState({ client });
		await replay.start('today');
		replay.speed = 60;
		replay.play();
		expect(replay.playing).toBe(true);
		// A minute between changes at 60×: a second each.
		vi.advanceTimersByTime(1000);
		expect(replay.shown).toBe(1);
		vi.advanceTimersByTime(3500);
		expect(replay.shown).toBe(3);
		expect(replay.playing).toBe(false);
		expect(replay.time).toBe(replay.to);

		// Slowly (6×, a minute is ten seconds): each quiet minute is shortened to 1.5 s.
		replay.speed = 6;
		replay.play();
		expect(replay.shown).toBe(0);
		vi.advanceTimersByTime(1600);
		expect(replay.shown).toBe(1);
		vi.advanceTimersByTime(1600);
		expect(replay.shown).toBe(2);
		replay.pause();
		vi.advanceTimersByTime(5000);
		expect(replay.shown).toBe(2);
		replay.close();
	});
});

describe('a period that cannot be loaded', () => {
	it('says why, and shows no board from another period under its name', async () => {
		const { client } = history(3);
		const replay = new ReplayState({ client });
		await replay.start('today');
		expect(replay.board).not.toBeNull();
		vi.mocked(client.replay).mockRejectedValueOnce(
			new Error('the board changed more than 20000 times in that period: choose a shorter period')
		);
		await replay.load('week');
		expect(replay.error).toBe(
			'The history could not be loaded: the board changed more than 20000 times in that period: choose a shorter period'
		);
		expect([replay.board, replay.period, replay.open]).toEqual([null, 'week', true]);
		await replay.load('hour');
		expect([replay.error, replay.board !== null]).toEqual([null, true]);
		replay.close();
	});
});

describe('a period too big to replay', () => {
	it('shows its most recent part that fits instead, and says so', async () => {
		const { client, data } = history(30);
		const replay = new ReplayState({ client });
		const asked: number[] = [];
		// The relay answers 413 for anything longer than 5 minutes.
		vi.mocked(client.replay).mockImplementation(async ({ from, to }) => {
			asked.push(to - from);
			if (to - from > 5 * 60_000) {
				throw new ApiError(
					413,
					'the board changed more than 20000 times in that period, more than one replay shows: choose a shorter period',
					null
				);
			}
			const updates = data.updates.filter((u) => u.at > from && u.at <= to);
			return { ...data, from, to, updates };
		});
		await replay.start('week');
		expect(replay.error).toBe(null);
		expect(replay.period).toBe('week');
		expect(replay.board).not.toBe(null);
		// Halved until it fits: 31 min, 15.5, 7.75, 3.875.
		expect(asked.map((ms) => Math.round(ms / 1000))).toEqual([1860, 930, 465, 233]);
		expect(replay.to - replay.from).toBe(asked.at(-1));
		expect(replay.changes).toBe(3);
		expect(replay.notice).toMatch(/most recent 4 minutes.*Choose a shorter period/);
		// A period that fits says nothing more.
		vi.mocked(client.replay).mockImplementation(async () => data);
		await replay.load('hour');
		expect(replay.notice).toBe(null);
		replay.close();
	});

	it('still says why when no part of it fits, or it failed for another reason', async () => {
		const { client } = history(3);
		const replay = new ReplayState({ client });
		vi.mocked(client.replay).mockRejectedValue(new ApiError(413, 'too many', null));
		await replay.start('week');
		expect(replay.error).toBe('The history could not be loaded: too many');
		expect(vi.mocked(client.replay).mock.calls.length).toBeLessThanOrEqual(11);
		vi.mocked(client.replay).mockClear();
		vi.mocked(client.replay).mockRejectedValue(new ApiError(503, 'busy', null));
		await replay.load('week');
		expect(vi.mocked(client.replay).mock.calls.length).toBe(1);
		expect(replay.error).toBe('The history could not be loaded: busy');
		replay.close();
	});
});

describe('keyframes', () => {
	it('stay within their byte budget on a long period, and every moment still shows right', async () => {
		const fixture = history(2000);
		const { client, data, laneId, progressAfter } = fixture;
		const board = data.state.length;
		// Room for about five boards: 10 keyframes at the first spacing would not fit.
		const budget = board * 5.5;
		const replay = new ReplayState({ client, keyframeBudget: budget });
		await replay.start('today');
		replay.seek(replay.to);
		await settle();
		expect(replay.shown).toBe(2000);
		expect(replay.keyframeBytes).toBeLessThanOrEqual(budget);
		expect(replay.keyframeCount).toBeGreaterThanOrEqual(2);
		expect(replay.keyframeCount).toBeLessThanOrEqual(5);
		const vectorAfter = (n: number) => {
			const doc = new Y.Doc();
			Y.applyUpdate(doc, data.state);
			for (const u of data.updates.slice(0, n)) Y.applyUpdate(doc, u.data);
			return Y.encodeStateVector(doc);
		};
		for (const n of [1999, 10, 1600, 799, 801, 0, 1234]) {
			replay.seek(T0 + n * 60_000 + 30_000);
			await settle();
			expect([replay.shown, progressOf(replay, laneId)]).toEqual([n, progressAfter(n)]);
			expect(replay.board!.read((doc) => Y.encodeStateVector(doc))).toEqual(vectorAfter(n));
		}
		// With the default budget (32 MB) a small board keeps one every 200 changes.
		const roomy = new ReplayState({ client });
		await roomy.start('today');
		roomy.seek(roomy.to);
		expect(roomy.keyframeCount).toBe(11);
		replay.close();
		roomy.close();
	});
});
