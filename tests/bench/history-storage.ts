/**
 * `node tests/bench/history-storage.ts`: what history costs on disk (README "History"). On the
 * sample board: the update log and the replay history per 1,000 updates (edits as a planning
 * session makes them: progress, health and card moves, one append each), in SQLite and — when
 * RAILYARD_TEST_DATABASE_URL (or the local test server) is reachable — PostgreSQL; a checkpoint;
 * author rows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import * as Y from 'yjs';
import { moveCard, readBoard, seedSampleBoard, updateLane } from '../../src/lib/model/index.ts';
import pg from 'pg';
import { openPostgresStore } from '../../server/storage/postgres.ts';
import { openSqliteStore } from '../../server/storage/sqlite.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-history-'));
const file = path.join(dir, 'railyard.db');

/** The database's size once its WAL is folded in. */
function size(): number {
	const db = new DatabaseSync(file);
	db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
	db.close();
	return fs.statSync(file).size;
}

const doc = new Y.Doc();
seedSampleBoard(doc);
const initialState = Y.encodeStateAsUpdate(doc).length;
let store = openSqliteStore({ dir });
await store.create({ id: 'b', title: 'Sample' }, Y.encodeStateAsUpdate(doc));
await store.close();
const empty = size();

store = openSqliteStore({ dir });
const board = readBoard(doc);
const lanes = board.programs.flatMap((p) => p.lanes);
const cards = lanes.flatMap((lane) => Object.values(lane.cells).flat());
const periods = board.periods.map((p) => p.id);
const UPDATES = 1000;
const updates: Uint8Array[] = [];
doc.on('update', (u: Uint8Array) => updates.push(u));
for (let i = 0; i < UPDATES; i++) {
	const lane = lanes[i % lanes.length]!;
	if (i % 3 === 0) updateLane(doc, { id: lane.id, progress: i % 101 });
	else if (i % 3 === 1) updateLane(doc, { id: lane.id, health: i % 2 ? 'at-risk' : 'on-track' });
	else {
		const card = cards[i % cards.length]!;
		moveCard(doc, {
			id: card.id,
			laneId: lanes[(i * 7) % lanes.length]!.id,
			periodId: periods[i % periods.length]!,
			index: 0
		});
	}
}
for (const u of updates) await store.append('b', [u]);
await store.close();
const logged = size();
/** Bytes of pages each table and index takes (SQLite's dbstat). */
function tables(): Record<string, number> {
	const db = new DatabaseSync(file);
	const rows = db.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name').all() as {
		name: string;
		bytes: number;
	}[];
	db.close();
	return Object.fromEntries(rows.map((r) => [r.name, Number(r.bytes)]));
}
const perTable = tables();
const historyBytes = perTable.history ?? 0;
const logBytes = perTable.updates ?? 0;

store = openSqliteStore({ dir });
const state = Y.encodeStateAsUpdate(doc);
await store.compact('b', state, Number.MAX_SAFE_INTEGER);
await store.close();
// SQLite keeps the freed log pages for reuse: measure what follows from here.
const compacted = size();

store = openSqliteStore({ dir });
const CHECKPOINTS = 100;
for (let i = 0; i < CHECKPOINTS; i++) {
	await store.saveCheckpoint({
		id: `k${i}`,
		boardId: 'b',
		kind: 'auto',
		name: 'While editing',
		authorName: 'Ana, Ben',
		linkId: null,
		state
	});
}
await store.close();
const checkpointed = size();

store = openSqliteStore({ dir });
const AUTHORS = 1000;
await store.recordAuthors(
	Array.from({ length: AUTHORS }, (_, i) => ({
		boardId: 'b',
		clientId: 1_000_000 + i,
		linkId: 'k2m4x8q1w9e3r5t7',
		name: 'Ana Martins',
		at: Date.now()
	}))
);
await store.close();
const authored = size();
fs.rmSync(dir, { recursive: true, force: true });

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
console.log(
	`sample board state: ${kib(initialState)}, ${kib(state.length)} after ${UPDATES} updates`
);
console.log(
	`SQLite: ${kib(logged - empty)} per ${UPDATES} updates in all: update log ${kib(logBytes)} (until compacted), replay history ${kib(historyBytes)} (kept HISTORY_DAYS), ${(historyBytes / UPDATES).toFixed(0)} bytes an update`
);
const raw = updates.reduce((sum, u) => sum + u.length, 0);
console.log(`the updates themselves: ${kib(raw)}, ${(raw / UPDATES).toFixed(0)} bytes each`);

// PostgreSQL: the same appends into a schema of their own, measured by relation sizes.
const url = process.env.RAILYARD_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const schema = `railyard_bench_${process.pid}`;
try {
	const pgStore = await openPostgresStore({ url, schema });
	const seed = new Y.Doc();
	seedSampleBoard(seed);
	await pgStore.create({ id: 'b', title: 'Sample' }, Y.encodeStateAsUpdate(seed));
	for (const u of updates) await pgStore.append('b', [u]);
	await pgStore.close();
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		await client.query(`VACUUM ANALYZE ${schema}.history`);
		await client.query(`VACUUM ANALYZE ${schema}.updates`);
		const sizeOf = async (table: string) =>
			Number(
				(await client.query(`SELECT pg_total_relation_size('${schema}.${table}') AS n`)).rows[0].n
			);
		const h = await sizeOf('history');
		const l = await sizeOf('updates');
		console.log(
			`PostgreSQL: update log ${kib(l)} (until compacted), replay history ${kib(h)} per ${UPDATES} updates, ${(h / UPDATES).toFixed(0)} bytes an update (table, TOAST and index)`
		);
	} finally {
		await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
		await client.end();
	}
} catch (err) {
	console.log(`PostgreSQL: not measured (${(err as Error).message})`);
}
console.log(
	`checkpoint: ${kib((checkpointed - compacted) / CHECKPOINTS)} each (${CHECKPOINTS} stored)`
);
console.log(
	`author rows: ${((authored - checkpointed) / AUTHORS).toFixed(0)} bytes each (${AUTHORS} stored)`
);
