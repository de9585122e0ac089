/**
 * `BEFORE=<an older checkout> node tests/bench/history-append.ts`: what a store append (the
 * write the commit queue waits for before it broadcasts) costs in this checkout's SQLite and
 * PostgreSQL stores and in the older one's, in one process, alternating five times, medians.
 * README "History" compares the code before replay's history rows with the code after; README
 * "Running several relays" the PostgreSQL append before and after it became one statement. Make
 * the older checkout with `git archive <commit> | tar -x -C <dir>` and link this checkout's
 * node_modules into it. `STORES=postgres` (or `sqlite`) measures one store only; `APPENDS=<n>`
 * sets the appends per run (500), `RUNS=<n>` the runs of each (5).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import { moveCard, readBoard, seedSampleBoard, updateLane } from '../../src/lib/model/index.ts';
import pg from 'pg';
import { openPostgresStore } from '../../server/storage/postgres.ts';
import { openSqliteStore as after } from '../../server/storage/sqlite.ts';
import type { BoardStore } from '../../server/storage/types.ts';

const beforeDir = process.env.BEFORE;
if (!beforeDir) throw new Error('set BEFORE to the directory of an older checkout');
const older = (file: string) => import(pathToFileURL(path.resolve(beforeDir, file)).href);
const before = ((await older('server/storage/sqlite.ts')) as { openSqliteStore: typeof after })
	.openSqliteStore;
const beforePg = (
	(await older('server/storage/postgres.ts')) as { openPostgresStore: typeof openPostgresStore }
).openPostgresStore;
const url = process.env.RAILYARD_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

const doc = new Y.Doc();
seedSampleBoard(doc);
const initial = Y.encodeStateAsUpdate(doc);
const board = readBoard(doc);
const lanes = board.programs.flatMap((p) => p.lanes);
const cards = lanes.flatMap((l) => Object.values(l.cells).flat());
const updates: Uint8Array[] = [];
doc.on('update', (u: Uint8Array) => updates.push(u));
for (let i = 0; i < Number(process.env.APPENDS || 500); i++) {
	const lane = lanes[i % lanes.length]!;
	if (i % 2) updateLane(doc, { id: lane.id, progress: i % 101 });
	else
		moveCard(doc, {
			id: cards[i % cards.length]!.id,
			laneId: lanes[(i * 7) % lanes.length]!.id,
			periodId: board.periods[i % board.periods.length]!.id,
			index: 0
		});
}
/** A store in a fresh place, and how to throw it away. */
type Opener = () => Promise<{ store: BoardStore; dispose: () => Promise<void> }>;
const sqlite =
	(open: typeof after): Opener =>
	async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'append-bench-'));
		return { store: open({ dir }), dispose: async () => fs.rmSync(dir, { recursive: true }) };
	};
let schemas = 0;
const postgres =
	(open: typeof openPostgresStore): Opener =>
	async () => {
		const schema = `railyard_append_${process.pid}_${schemas++}`;
		const store = await open({ url, schema });
		return {
			store,
			async dispose() {
				const client = new pg.Client({ connectionString: url });
				await client.connect();
				await client.query(`DROP SCHEMA ${schema} CASCADE`);
				await client.end();
			}
		};
	};

async function run(open: Opener, batch: number): Promise<number> {
	const { store, dispose } = await open();
	const ids = Array.from({ length: batch }, (_, i) => `b${i}`);
	for (const id of ids) await store.create({ id, title: 't' }, initial);
	const started = performance.now();
	for (const u of updates) await store.appendBatch(ids.map((id) => ({ id, updates: [u] })));
	const ms = (performance.now() - started) / updates.length;
	await store.close();
	await dispose();
	return ms;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [name, was, is] of [
	['SQLite', sqlite(before), sqlite(after)],
	['PostgreSQL', postgres(beforePg), postgres(openPostgresStore)]
] as const) {
	if (process.env.STORES && !name.toLowerCase().startsWith(process.env.STORES)) continue;
	for (const batch of [1, 10]) {
		const b: number[] = [];
		const a: number[] = [];
		for (let r = 0; r < Number(process.env.RUNS || 5); r++) {
			b.push(await run(was, batch));
			a.push(await run(is, batch));
		}
		console.log(
			`${name}, ${batch} board(s) per append: before ${median(b).toFixed(3)} ms, after ${median(a).toFixed(3)} ms per append, ratio ${(median(a) / median(b)).toFixed(2)}× (runs before ${b.map((x) => x.toFixed(2)).join(' ')}, after ${a.map((x) => x.toFixed(2)).join(' ')})`
		);
	}
}
