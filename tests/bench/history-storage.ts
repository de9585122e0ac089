/**
 * `node tests/bench/history-storage.ts`: what history costs on disk in SQLite (README "History").
 * On the sample board: the update log per 1,000 updates (edits as a planning session makes them:
 * progress, health and card moves, one append each), a checkpoint, and author rows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import * as Y from 'yjs';
import { moveCard, readBoard, seedSampleBoard, updateLane } from '../../src/lib/model/index.ts';
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
console.log(`update log: ${kib(logged - empty)} per ${UPDATES} updates (until compacted)`);
console.log(
	`checkpoint: ${kib((checkpointed - compacted) / CHECKPOINTS)} each (${CHECKPOINTS} stored)`
);
console.log(
	`author rows: ${((authored - checkpointed) / AUTHORS).toFixed(0)} bytes each (${AUTHORS} stored)`
);
