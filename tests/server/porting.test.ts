/**
 * Plans in and out over the API (server/porting.ts): export as JSON or CSV by any link, a board
 * file imported as a new board, CSV imported into a live board by editors only, all or nothing.
 */
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readBoard } from '../../src/lib/model/index.ts';
import { CSV_COLUMNS } from '../../src/lib/model/porting/index.ts';
import { connectClient } from '../helpers/clients.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function relay(opts: Parameters<typeof startRelay>[0] = {}): Promise<TestRelay> {
	const r = await startRelay(opts);
	cleanups.push(() => r.close());
	return r;
}

async function exportJson(r: TestRelay, id: string, token: string) {
	const res = await r.api(`/api/boards/${id}/export?format=json`, { token });
	expect(res.status).toBe(200);
	return (await res.json()) as Record<string, unknown>;
}

/** A live client on the board, synced. */
async function client(r: TestRelay, id: string, token?: string) {
	const c = connectClient(r.syncUrl, id, new Y.Doc(), { token });
	cleanups.push(() => c.destroy());
	await c.synced;
	return c;
}

const csvInit = (body: string, token: string) => ({
	method: 'POST',
	token,
	body,
	headers: { 'content-type': 'text/csv; charset=utf-8' }
});

describe('GET /api/boards/:id/export', () => {
	it('answers the board file to any link, viewers too, as an attachment', async () => {
		const r = await relay();
		const id = await r.createBoard('sample', 'Q3 plan');
		const { token } = await r.share(id, { role: 'viewer' });
		const res = await r.api(`/api/boards/${id}/export`, { token });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(res.headers.get('content-disposition')).toBe(
			"attachment; filename*=UTF-8''Q3%20plan.railyard.json"
		);
		const file = (await res.json()) as { format: string; board: { title: string } };
		expect(file).toMatchObject({
			format: 'railyard-board',
			version: 1,
			board: { title: 'Q3 plan' }
		});
	});

	it('answers CSV with a BOM that a CSV parser reads', async () => {
		const r = await relay();
		const id = await r.createBoard('sample');
		const res = await r.api(`/api/boards/${id}/export?format=csv`, { token: r.ownerToken(id) });
		expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
		const bytes = new Uint8Array(await res.arrayBuffer());
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const rows = Papa.parse<string[]>(new TextDecoder().decode(bytes), {
			skipEmptyLines: true
		}).data;
		expect(rows[0]).toEqual([...CSV_COLUMNS]);
		expect(rows.length).toBeGreaterThan(10);
	});

	it('includes what a client just wrote, and refuses no link, a bad format and GET of import', async () => {
		const r = await relay();
		const id = await r.createBoard('empty', 'Fresh');
		const c = await client(r, id);
		c.doc.getText('title').insert(0, 'Very ');
		await expect
			.poll(
				async () => ((await exportJson(r, id, r.ownerToken(id))).board as { title: string }).title
			)
			.toBe('Very Fresh');
		expect((await r.api(`/api/boards/${id}/export`)).status).toBe(401);
		const bad = await r.api(`/api/boards/${id}/export?format=xlsx`, { token: r.ownerToken(id) });
		expect(bad.status).toBe(400);
		expect((await r.api(`/api/boards/import`)).status).toBe(405);
	});
});

describe('POST /api/boards/import', () => {
	it('creates a new board from an export: same snapshot, a new owner link', async () => {
		const r = await relay();
		const id = await r.createBoard('sample', 'Original');
		const file = await exportJson(r, id, r.ownerToken(id));
		const res = await r.api('/api/boards/import', { method: 'POST', body: JSON.stringify(file) });
		expect(res.status).toBe(201);
		const created = (await res.json()) as { id: string; title: string; owner: { token: string } };
		expect(created.id).not.toBe(id);
		expect(created.title).toBe('Original');
		const [a, b] = [await client(r, id), await client(r, created.id, created.owner.token)];
		expect(readBoard(b.doc)).toEqual(readBoard(a.doc));
		expect(readBoard(b.doc).programs.length).toBeGreaterThan(0);
	});

	it('refuses a bad file with the path of the bad value, and creates nothing', async () => {
		const r = await relay();
		const id = await r.createBoard('sample');
		const file = (await exportJson(r, id, r.ownerToken(id))) as {
			records: { lanes: Record<string, unknown>[] };
		};
		file.records.lanes[1]!.progress = 250;
		const before = (await r.store.list()).length;
		const res = await r.api('/api/boards/import', { method: 'POST', body: JSON.stringify(file) });
		expect(res.status).toBe(400);
		const body = (await res.json()) as { error: string; issues: { path: string }[] };
		expect(body.error).toMatch(/^records\.lanes\.1\.progress: /);
		expect(body.issues[0]!.path).toBe('records.lanes.1.progress');
		expect((await r.store.list()).length).toBe(before);
	});
});

describe('POST /api/boards/:id/import (CSV)', () => {
	const csv = (rows: string[]) => ['Program,Lane,Period,Card,Kind', ...rows].join('\r\n');

	it('previews with dryRun, then applies to the live board for everyone', async () => {
		const r = await relay();
		const id = await r.createBoard('sample');
		const { token } = await r.share(id, { role: 'editor' });
		const watcher = await client(r, id);
		const program = readBoard(watcher.doc).programs[0]!.name;
		const file = csv([`${program},Imported lane,Q1 2027,From the API,milestone`]);

		const preview = await r.api(`/api/boards/${id}/import?dryRun=1`, csvInit(file, token));
		expect(preview.status).toBe(200);
		expect(await preview.json()).toMatchObject({
			dryRun: true,
			rows: 1,
			programs: [],
			lanes: [{ program, name: 'Imported lane' }],
			cards: [{ title: 'From the API', kind: 'milestone', row: 2 }]
		});
		expect(readBoard(watcher.doc).programs[0]!.lanes.map((l) => l.name)).not.toContain(
			'Imported lane'
		);

		const applied = await r.api(`/api/boards/${id}/import`, csvInit(file, token));
		expect(applied.status).toBe(200);
		await expect
			.poll(() => readBoard(watcher.doc).programs[0]!.lanes.at(-1)?.name)
			.toBe('Imported lane');
		// Durable: the export (read from the store) has it too.
		const exported = await r.api(`/api/boards/${id}/export?format=csv`, { token });
		expect(await exported.text()).toContain('From the API');
	});

	it('refuses a file with a bad row as a whole, naming the row', async () => {
		const r = await relay();
		const id = await r.createBoard('sample');
		const watcher = await client(r, id);
		const before = readBoard(watcher.doc);
		const program = before.programs[0]!.name;
		const file = csv([
			`${program},Good lane,Q1 2027,Fine,`,
			`${program},Bad lane,Q1 2027,Oops,epic`
		]);
		const res = await r.api(`/api/boards/${id}/import`, csvInit(file, r.ownerToken(id)));
		expect(res.status).toBe(422);
		expect(await res.json()).toEqual({
			error: 'row 3: Kind "epic" is not one of deliverable, milestone',
			rows: [{ row: 3, message: 'Kind "epic" is not one of deliverable, milestone' }]
		});
		const after = await client(r, id);
		expect(readBoard(after.doc)).toEqual(before);
	});

	it('is for editors and owners: a viewer gets 403; only text/csv is taken', async () => {
		const r = await relay();
		const id = await r.createBoard('sample');
		const { token } = await r.share(id, { role: 'viewer' });
		const file = csv(['Payments,Sneaky,Q1 2027,No,']);
		const res = await r.api(`/api/boards/${id}/import`, csvInit(file, token));
		expect(res.status).toBe(403);
		expect(await res.json()).toEqual({ error: 'a view-only link cannot import' });
		const plain = await r.api(`/api/boards/${id}/import`, {
			method: 'POST',
			token: r.ownerToken(id),
			body: file,
			headers: { 'content-type': 'text/plain' }
		});
		expect(plain.status).toBe(415);
	});

	it('answers 413 and changes nothing when the import would grow the board past MAX_BOARD_BYTES', async () => {
		const r = await relay({ limits: { maxBoardBytes: 12_000 } });
		const id = await r.createBoard('sample');
		const rows = Array.from({ length: 40 }, (_, i) => `Big,Lane ${i},Q1 2027,${'x'.repeat(200)},`);
		const res = await r.api(`/api/boards/${id}/import`, csvInit(csv(rows), r.ownerToken(id)));
		expect(res.status).toBe(413);
		expect(((await res.json()) as { error: string }).error).toMatch(/would grow past 12000 bytes/);
		const exported = await r.api(`/api/boards/${id}/export?format=csv`, {
			token: r.ownerToken(id)
		});
		expect(await exported.text()).not.toContain('Lane 39');
	});
});
