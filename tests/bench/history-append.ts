/**
 * `BEFORE=<an older checkout> node tests/bench/history-append.ts`: what a store append (the
 * write the commit queue waits for before it broadcasts) costs in this checkout's SQLite store
 * and in the older one's, in one process, alternating five times, medians. README "History"
 * compares the code before replay's history rows with the code after. Make the older checkout
 * with `git archive <commit> | tar -x -C <dir>` and link this checkout's node_modules into it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import { moveCard, readBoard, seedSampleBoard, updateLane } from '../../src/lib/model/index.ts';
import { openSqliteStore as after } from '../../server/storage/sqlite.ts';

const beforeDir = process.env.BEFORE;
if (!beforeDir) throw new Error('set BEFORE to the directory of an older checkout');
const before = (
	(await import(pathToFileURL(path.resolve(beforeDir, 'server/storage/sqlite.ts')).href)) as {
		openSqliteStore: typeof after;
	}
).openSqliteStore;

const doc = new Y.Doc();
seedSampleBoard(doc);
const initial = Y.encodeStateAsUpdate(doc);
const board = readBoard(doc);
const lanes = board.programs.flatMap((p) => p.lanes);
const cards = lanes.flatMap((l) => Object.values(l.cells).flat());
const updates: Uint8Array[] = [];
doc.on('update', (u: Uint8Array) => updates.push(u));
for (let i = 0; i < 500; i++) {
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
async function run(open: typeof after, batch: number): Promise<number> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'append-bench-'));
	const store = open({ dir });
	const ids = Array.from({ length: batch }, (_, i) => `b${i}`);
	for (const id of ids) await store.create({ id, title: 't' }, initial);
	const started = performance.now();
	for (const u of updates) await store.appendBatch(ids.map((id) => ({ id, updates: [u] })));
	const ms = (performance.now() - started) / updates.length;
	await store.close();
	fs.rmSync(dir, { recursive: true, force: true });
	return ms;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const batch of [1, 10]) {
	const b: number[] = [];
	const a: number[] = [];
	for (let r = 0; r < 5; r++) {
		b.push(await run(before, batch));
		a.push(await run(after, batch));
	}
	console.log(
		`${batch} board(s) per append: before ${median(b).toFixed(3)} ms, after ${median(a).toFixed(3)} ms per append, ratio ${(median(a) / median(b)).toFixed(2)}× (runs before ${b.map((x) => x.toFixed(2)).join(' ')}, after ${a.map((x) => x.toFixed(2)).join(' ')})`
	);
}
