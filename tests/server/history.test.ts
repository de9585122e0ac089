/**
 * Replay and checkpoint housekeeping through the relay (server/http/history.ts,
 * server/http/checkpoints.ts, server/sync/history-retention.ts): the board at any moment of a
 * period, for any link; a clear refusal past the size bound; renaming and deleting checkpoints,
 * refused to viewers by the server; expired history folded without changing what replays.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { moveCard, readBoard, type BoardSnapshot } from '../../src/lib/model/index.ts';
import { createMemoryStore } from '../../server/storage/memory.ts';
import { MAX_REPLAY_BYTES } from '../../server/http/history.ts';
import { readConfig, type RelayLimits } from '../../server/config.ts';
import { connectClient } from '../helpers/clients.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const fn of cleanups.splice(0).reverse()) await fn();
});

const HOUR = 3_600_000;
const MORNING = Date.UTC(2026, 2, 2, 9, 0);

/** A relay whose clock (its store's too) is `clock.now`. */
async function relay(limits: Partial<RelayLimits> = {}) {
	const clock = { now: MORNING };
	const now = () => clock.now;
	const r = await startRelay({ store: createMemoryStore(now), now, limits });
	cleanups.push(() => r.close());
	return { r, clock };
}

async function client(r: TestRelay, id: string, token?: string) {
	const c = connectClient(r.syncUrl, id, new Y.Doc(), { token });
	cleanups.push(() => c.destroy());
	await c.synced;
	return c;
}

interface Replay {
	start: number;
	from: number;
	to: number;
	state: string;
	updates: { at: number; data: string }[];
}

async function replay(
	r: TestRelay,
	id: string,
	query: string,
	token: string | null = r.ownerToken(id)
) {
	return r.api(`/api/boards/${id}/history${query}`, { token });
}

/** The board at `at`, as a browser builds it from a replay answer. */
function boardAt(body: Replay, at: number): BoardSnapshot {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, Buffer.from(body.state, 'base64'));
	for (const u of body.updates) if (u.at <= at) Y.applyUpdate(doc, Buffer.from(u.data, 'base64'));
	return readBoard(doc);
}

function cellOf(board: BoardSnapshot, cardId: string): string | null {
	for (const program of board.programs) {
		for (const lane of program.lanes) {
			for (const [period, cards] of Object.entries(lane.cells)) {
				if (cards.some((c) => c.id === cardId)) return `${lane.id}/${period}`;
			}
		}
	}
	return null;
}

describe('replay', () => {
	it('gives any link the board at every moment of a period: a card in its morning cell in the morning', async () => {
		const { r, clock } = await relay();
		const id = await r.createBoard('sample', 'Plan');
		const viewer = await r.share(id, { role: 'viewer' });
		const ana = await client(r, id);
		const board = readBoard(ana.doc);
		const lanes = board.programs.flatMap((p) => p.lanes);
		const card = Object.values(lanes[0]!.cells).flat()[0]!;
		const morningCell = cellOf(board, card.id);

		// At 11:00 Ana moves the card to another lane and period.
		clock.now = MORNING + 2 * HOUR;
		const target = { laneId: lanes[1]!.id, periodId: board.periods.at(-1)!.id };
		moveCard(ana.doc, { id: card.id, ...target, index: 0 });
		const afternoonCell = `${target.laneId}/${target.periodId}`;
		await expect
			.poll(
				async () => (await r.store.history(id, { afterSeq: 0, until: Infinity, limit: 9 })).length
			)
			.toBe(1);
		clock.now = MORNING + 3 * HOUR;

		const range = await replay(r, id, '', viewer.token);
		expect(range.status).toBe(200);
		expect(await range.json()).toEqual({ start: MORNING, now: MORNING + 3 * HOUR });

		// A viewer asks for the whole day so far (from before the board existed: moved to its start).
		const res = await replay(r, id, `?from=${MORNING - 9 * HOUR}`, viewer.token);
		expect(res.status).toBe(200);
		const body = (await res.json()) as Replay;
		expect(body).toMatchObject({ start: MORNING, from: MORNING, to: MORNING + 3 * HOUR });
		expect(body.updates.map((u) => u.at)).toEqual([MORNING + 2 * HOUR]);
		expect(cellOf(boardAt(body, MORNING + HOUR), card.id)).toBe(morningCell);
		expect(cellOf(boardAt(body, MORNING + 2 * HOUR), card.id)).toBe(afternoonCell);

		// A period starting after the move: the board at its start already has it.
		const later = (await (await replay(r, id, `?from=${MORNING + 2.5 * HOUR}`)).json()) as Replay;
		expect(later.updates).toEqual([]);
		expect(cellOf(boardAt(later, later.from), card.id)).toBe(afternoonCell);
		// A period ending before it: no updates, the morning board.
		const early = (await (
			await replay(r, id, `?from=${MORNING}&to=${MORNING + HOUR}`)
		).json()) as Replay;
		expect(early.updates).toEqual([]);
		expect(cellOf(boardAt(early, MORNING + HOUR), card.id)).toBe(morningCell);
	});

	it('refuses bad periods, strangers and a period too big to replay, saying why', async () => {
		const { r, clock } = await relay();
		const id = await r.createBoard('empty');
		expect((await replay(r, id, '?from=soon')).status).toBe(400);
		const backwards = await replay(r, id, `?from=${MORNING}&to=${MORNING - 1}`);
		expect(backwards.status).toBe(400);
		expect(((await backwards.json()) as { error: string }).error).toContain('from');
		expect((await replay(r, id, '', null)).status).toBe(401);
		// Another board's link opens nothing here.
		const other = await r.createBoard('empty');
		expect((await replay(r, id, '', r.ownerToken(other))).status).toBe(403);
		const post = await r.api(`/api/boards/${id}/history`, {
			method: 'POST',
			token: r.ownerToken(id)
		});
		expect(post.status).toBe(405);

		// More than MAX_REPLAY_BYTES of changes in the period: refused as a whole, with the way out.
		clock.now = MORNING + HOUR;
		const doc = new Y.Doc();
		const chunk = 'x'.repeat(1024 * 1024);
		for (let i = 0; i <= MAX_REPLAY_BYTES / chunk.length; i++) {
			const before = Y.encodeStateVector(doc);
			doc.getText('big').insert(0, chunk);
			await r.store.append(id, [Y.encodeStateAsUpdate(doc, before)]);
		}
		const big = await replay(r, id, `?from=${MORNING}`);
		expect(big.status).toBe(413);
		expect(((await big.json()) as { error: string }).error).toMatch(/choose a shorter period/);
	});

	it('folds expired history into the base as checkpoints are taken, replaying the same board', async () => {
		const { r, clock } = await relay({
			historyRetentionMs: 24 * HOUR,
			checkpointEveryMs: HOUR
		});
		const id = await r.createBoard('sample');
		const ana = await client(r, id);
		const board = readBoard(ana.doc);
		const lanes = board.programs.flatMap((p) => p.lanes);
		const cards = lanes.flatMap((l) => Object.values(l.cells).flat());
		const stored = () => r.store.history(id, { afterSeq: 0, until: Infinity, limit: 999 });
		// One move an hour for two days.
		for (let hour = 1; hour <= 48; hour++) {
			clock.now = MORNING + hour * HOUR;
			moveCard(ana.doc, {
				id: cards[hour % cards.length]!.id,
				laneId: lanes[hour % lanes.length]!.id,
				periodId: board.periods[hour % board.periods.length]!.id,
				index: 0
			});
			await expect.poll(async () => (await stored()).at(-1)?.at).toBe(clock.now);
		}
		// The hourly checkpoints folded what is older than a day.
		await expect
			.poll(async () => (await r.store.historyBase(id))!.at)
			.toBeGreaterThan(MORNING + 23 * HOUR);
		const base = (await r.store.historyBase(id))!;
		expect((await stored()).every((u) => u.at >= base.at)).toBe(true);
		expect((await stored()).length).toBeLessThanOrEqual(26);
		// What replays from the base is the board as it is.
		const body = (await (await replay(r, id, `?from=0`)).json()) as Replay;
		expect(body.from).toBe(base.at);
		const replayed = boardAt(body, Infinity);
		expect(cards.map((c) => cellOf(replayed, c.id))).toEqual(
			cards.map((c) => cellOf(readBoard(ana.doc), c.id))
		);
	});
});

describe('renaming and deleting checkpoints', () => {
	const send = (r: TestRelay, path: string, method: string, token: string, body?: unknown) =>
		r.api(path, {
			method,
			token,
			...(body !== undefined && {
				body: JSON.stringify(body),
				headers: { 'content-type': 'application/json' }
			})
		});

	it('editors and owners rename (an automatic one becomes named) and delete; viewers are refused', async () => {
		const { r } = await relay();
		const id = await r.createBoard('sample');
		const editor = await r.share(id, { role: 'editor' });
		const viewer = await r.share(id, { role: 'viewer' });
		const base = `/api/boards/${id}/checkpoints`;
		const saved = await send(r, base, 'POST', editor.token, {
			name: 'committed',
			authorName: 'Ana'
		});
		const { checkpoint } = (await saved.json()) as { checkpoint: { id: string } };
		const one = `${base}/${checkpoint.id}`;

		const refusedRename = await send(r, one, 'PATCH', viewer.token, { name: 'mine now' });
		expect(refusedRename.status).toBe(403);
		expect(((await refusedRename.json()) as { error: string }).error).toBe(
			'a view-only link cannot rename checkpoints'
		);
		expect((await send(r, one, 'DELETE', viewer.token)).status).toBe(403);
		const list = async () =>
			(
				(await (await r.api(base, { token: viewer.token })).json()) as {
					checkpoints: { id: string; name: string; kind: string }[];
				}
			).checkpoints;
		expect((await list()).map((c) => c.name)).toEqual(['committed']);

		expect((await send(r, one, 'PATCH', editor.token, { name: '  ' })).status).toBe(400);
		expect((await send(r, `${base}/nope`, 'PATCH', editor.token, { name: 'x' })).status).toBe(404);
		const renamed = await send(r, one, 'PATCH', editor.token, { name: ' PI 7 committed ' });
		expect(renamed.status).toBe(200);
		expect(await renamed.json()).toMatchObject({
			checkpoint: { id: checkpoint.id, name: 'PI 7 committed', kind: 'named' }
		});
		expect((await list()).map((c) => c.name)).toEqual(['PI 7 committed']);

		expect((await send(r, one, 'DELETE', r.ownerToken(id))).status).toBe(200);
		expect(await list()).toEqual([]);
		expect((await send(r, one, 'DELETE', editor.token)).status).toBe(404);
	});
});

describe('configuration', () => {
	it('keeps HISTORY_DAYS of history (14 by default, at least 1) and allows the test clock only in tests', () => {
		expect(readConfig({}).limits.historyRetentionMs).toBe(14 * 24 * HOUR);
		expect(readConfig({ HISTORY_DAYS: '3' }).limits.historyRetentionMs).toBe(3 * 24 * HOUR);
		expect(() => readConfig({ HISTORY_DAYS: '0' })).toThrow('HISTORY_DAYS must be an integer >= 1');
		expect(readConfig({}).testClock).toBe(false);
		expect(readConfig({ RAILYARD_TEST_CLOCK: '1', NODE_ENV: 'test' }).testClock).toBe(true);
		for (const NODE_ENV of ['production', 'development', undefined]) {
			expect(() => readConfig({ RAILYARD_TEST_CLOCK: '1', NODE_ENV })).toThrow(
				'RAILYARD_TEST_CLOCK is for tests only'
			);
		}
	});
});
