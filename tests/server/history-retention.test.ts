/**
 * Replay's storage stays bounded (README "History", Retention): a week of planning on the sample
 * board, simulated with an injected clock against the SQLite store, through the relay's own
 * retention path (RoomHistory: an automatic checkpoint every hour of editing, each one folding
 * the updates older than HISTORY_DAYS into the history base). The database stays within the
 * bound the README documents, and what replays from the window's start is still the board.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { moveCard, readBoard, seedSampleBoard, updateLane } from '../../src/lib/model/index.ts';
import { openSqliteStore } from '../../server/storage/sqlite.ts';
import { AuthorLog } from '../../server/sync/author-log.ts';
import { RoomHistory } from '../../server/sync/room-history.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** README "History": what one kept update costs in SQLite (measured: 78), with room to spare. */
const BYTES_PER_KEPT_UPDATE = 100;

const dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Bytes each table takes in the database file (SQLite's dbstat), WAL folded in. */
function tableBytes(file: string): Record<string, number> {
	const db = new DatabaseSync(file);
	db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
	const rows = db.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name').all() as {
		name: string;
		bytes: number;
	}[];
	db.close();
	return Object.fromEntries(rows.map((r) => [r.name, Number(r.bytes)]));
}

describe('a week of history on the sample board', () => {
	it('stays within HISTORY_DAYS of updates plus the checkpoints, and replays exactly', async () => {
		const historyDays = 2;
		const perHour = 100;
		const workingHours = 8;
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-week-'));
		dirs.push(dir);
		let t = Date.UTC(2026, 2, 2, 8, 0);
		const store = openSqliteStore({ dir, now: () => t });
		const doc = new Y.Doc();
		seedSampleBoard(doc);
		await store.create({ id: 'b', title: 'Sample' }, Y.encodeStateAsUpdate(doc));
		const logger = pino({ level: 'silent' });
		const history = new RoomHistory({
			id: 'b',
			store,
			authors: new AuthorLog({ store, logger }),
			logger,
			everyMs: HOUR,
			retentionMs: 30 * DAY,
			historyMs: historyDays * DAY,
			now: () => t,
			state: () => Y.encodeStateAsUpdate(doc),
			nameOf: () => ''
		});
		const board = readBoard(doc);
		const lanes = board.programs.flatMap((p) => p.lanes);
		const cards = lanes.flatMap((lane) => Object.values(lane.cells).flat());
		const periods = board.periods.map((p) => p.id);
		let pending: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => pending.push(u));

		let appends = 0;
		let maxHistory = 0;
		const file = path.join(dir, 'railyard.db');
		for (let day = 0; day < 7; day++) {
			for (let hour = 0; hour < workingHours; hour++) {
				for (let i = 0; i < perHour; i++) {
					t = Date.UTC(2026, 2, 2 + day, 8 + hour, 0) + i * 30_000;
					const n = appends;
					const lane = lanes[n % lanes.length]!;
					if (n % 3 === 0) updateLane(doc, { id: lane.id, progress: n % 101 });
					else if (n % 3 === 1)
						updateLane(doc, { id: lane.id, health: n % 2 ? 'at-risk' : 'on-track' });
					else {
						moveCard(doc, {
							id: cards[n % cards.length]!.id,
							laneId: lanes[(n * 7) % lanes.length]!.id,
							periodId: periods[n % periods.length]!,
							index: 0
						});
					}
					const lastSeq = await store.append('b', pending);
					pending = [];
					appends += 1;
					history.noteCommitted();
					// The relay compacts its log every COMPACT_EVERY (500) appends.
					if (appends % 500 === 0) await store.compact('b', Y.encodeStateAsUpdate(doc), lastSeq);
				}
				await history.settle();
			}
			// Everyone leaves at the end of the day.
			t += HOUR;
			history.noteEmpty();
			await history.settle();
			maxHistory = Math.max(maxHistory, tableBytes(file).history ?? 0);
		}

		// What is kept: the updates of the last HISTORY_DAYS (plus the hour before the last fold).
		const kept = await store.history('b', { afterSeq: 0, until: Infinity, limit: 100_000 });
		const base = (await store.historyBase('b'))!;
		expect(base.at).toBeGreaterThanOrEqual(t - historyDays * DAY - 2 * HOUR);
		expect(kept.every((u) => u.at >= base.at)).toBe(true);
		const keptBound = (historyDays * workingHours + 1) * perHour;
		expect(kept.length).toBeLessThanOrEqual(keptBound);
		expect(kept.length).toBeLessThan(appends / 2);

		// The documented bound, table by table and for the whole file.
		const bytes = tableBytes(file);
		const historyBound = keptBound * BYTES_PER_KEPT_UPDATE;
		expect(maxHistory).toBeLessThanOrEqual(historyBound);
		const state = Y.encodeStateAsUpdate(doc).length;
		const checkpoints = await store.checkpoints('b');
		// Hourly while editing and one when everyone leaves: at most one per working hour and one a day.
		expect(checkpoints.length).toBeLessThanOrEqual(7 * (workingHours + 1));
		// A checkpoint is the board's state; its page rounding adds at most one page each.
		expect(bytes.checkpoints).toBeLessThanOrEqual(checkpoints.length * (state + 4096));
		// The base is one state; the log at most COMPACT_EVERY updates.
		expect(bytes.history_bases).toBeLessThanOrEqual(state + 2 * 4096);
		const total = fs.statSync(file).size;
		const bound =
			historyBound +
			checkpoints.length * (state + 4096) +
			500 * BYTES_PER_KEPT_UPDATE +
			3 * state +
			64 * 1024;
		expect(total).toBeLessThanOrEqual(bound);

		// Replaying from the window's start gives the board as it is.
		const replayed = new Y.Doc();
		Y.applyUpdate(replayed, base.state!);
		for (const u of kept) Y.applyUpdate(replayed, u.data);
		expect(readBoard(replayed)).toEqual(readBoard(doc));
		await store.close();
	}, 120_000);
});
