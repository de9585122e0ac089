/**
 * Checkpoints and authors through the relay (server/http/checkpoints.ts, server/sync/room-history.ts):
 * named checkpoints by editors, refused to viewers by the server; restore over the API as a new
 * change everyone sees; automatic checkpoints when the last person leaves a changed board and
 * while it keeps changing; who sent each edit; all of it gone with the board.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deleteProgram, readBoard, updateLane } from '../../src/lib/model/index.ts';
import { connectClient, type TestClient } from '../helpers/clients.ts';
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

/** A live client on the board, synced, showing `name` in its presence. */
async function client(r: TestRelay, id: string, opts: { token?: string; name?: string } = {}) {
	const c = connectClient(r.syncUrl, id, new Y.Doc(), { token: opts.token });
	if (opts.name)
		c.provider.awareness.setLocalStateField('user', { name: opts.name, colour: '#336699' });
	cleanups.push(() => c.destroy());
	await c.synced;
	return c;
}

const json = (body: unknown, token: string) => ({
	method: 'POST',
	token,
	body: JSON.stringify(body),
	headers: { 'content-type': 'application/json' }
});

interface Shown {
	id: string;
	kind: 'named' | 'auto';
	name: string;
	authorName: string;
	linkId: string | null;
	createdAt: number;
	bytes: number;
}

async function list(r: TestRelay, id: string, token = r.ownerToken(id)): Promise<Shown[]> {
	const res = await r.api(`/api/boards/${id}/checkpoints`, { token });
	expect(res.status).toBe(200);
	return ((await res.json()) as { checkpoints: Shown[] }).checkpoints;
}

async function save(r: TestRelay, id: string, token: string, name: string, authorName = 'Ana') {
	return r.api(`/api/boards/${id}/checkpoints`, json({ name, authorName }, token));
}

const firstProgram = (c: TestClient) => readBoard(c.doc).programs[0]!;

describe('named checkpoints', () => {
	it('an editor saves one: listed newest first with who and through which link, state included', async () => {
		const r = await relay();
		const id = await r.createBoard('sample', 'Plan');
		const editor = await r.share(id, { role: 'editor' });
		const ana = await client(r, id, { token: editor.token });
		const program = firstProgram(ana);
		const res = await save(r, id, editor.token, '  PI 7 committed  ');
		expect(res.status).toBe(201);
		const { checkpoint } = (await res.json()) as { checkpoint: Shown };
		expect(checkpoint).toMatchObject({
			kind: 'named',
			name: 'PI 7 committed',
			authorName: 'Ana',
			linkId: editor.link.id
		});
		deleteProgram(ana.doc, { id: program.id });
		await expect
			.poll(async () => (await r.api(`/api/boards/${id}/export`, { token: editor.token })).text())
			.not.toContain(program.name);
		expect((await save(r, id, editor.token, 'After')).status).toBe(201);
		expect((await list(r, id)).map((c) => c.name)).toEqual(['After', 'PI 7 committed']);

		const got = await r.api(`/api/boards/${id}/checkpoints/${checkpoint.id}`, {
			token: editor.token
		});
		expect(got.status).toBe(200);
		const body = (await got.json()) as { checkpoint: Shown; state: string };
		const then = new Y.Doc();
		Y.applyUpdate(then, Buffer.from(body.state, 'base64'));
		expect(readBoard(then).programs.map((p) => p.id)).toContain(program.id);
		expect(body.checkpoint.bytes).toBe(Buffer.from(body.state, 'base64').length);
	});

	it('is refused to viewers and to requests without a link; viewers may list and read', async () => {
		const r = await relay();
		const id = await r.createBoard('sample');
		const viewer = await r.share(id, { role: 'viewer' });
		expect((await save(r, id, viewer.token, 'x')).status).toBe(403);
		const anonymous = await r.api(`/api/boards/${id}/checkpoints`, { method: 'POST' });
		expect(anonymous.status).toBe(401);
		expect((await save(r, id, r.ownerToken(id), 'Owner’s')).status).toBe(201);
		const [saved] = await list(r, id, viewer.token);
		expect(saved?.name).toBe('Owner’s');
		const read = await r.api(`/api/boards/${id}/checkpoints/${saved!.id}`, { token: viewer.token });
		expect(read.status).toBe(200);
		const restore = await r.api(
			`/api/boards/${id}/checkpoints/${saved!.id}/restore`,
			json({ scope: { kind: 'board' } }, viewer.token)
		);
		expect(restore.status).toBe(403);
	});

	it('refuses an empty name, an unknown checkpoint and a bad scope, with the reason', async () => {
		const r = await relay();
		const id = await r.createBoard('sample');
		const token = r.ownerToken(id);
		const empty = await save(r, id, token, '   ');
		expect(empty.status).toBe(400);
		expect(await empty.json()).toEqual({ error: 'name: must not be empty' });
		expect((await r.api(`/api/boards/${id}/checkpoints/nope`, { token })).status).toBe(404);
		const saved = (await (await save(r, id, token, 'ok')).json()) as { checkpoint: Shown };
		const bad = await r.api(
			`/api/boards/${id}/checkpoints/${saved.checkpoint.id}/restore`,
			json({ scope: { kind: 'card', id: 'x' } }, token)
		);
		expect(bad.status).toBe(400);
		expect(await list(r, id)).toHaveLength(1);
	});
});

describe('restore over the API', () => {
	it('brings a deleted program back as a new change every client sees', async () => {
		const r = await relay();
		const id = await r.createBoard('sample');
		const ana = await client(r, id);
		const ben = await client(r, id);
		const program = firstProgram(ana);
		const before = readBoard(ana.doc);
		const saved = (await (await save(r, id, r.ownerToken(id), 'before')).json()) as {
			checkpoint: Shown;
		};
		deleteProgram(ana.doc, { id: program.id });
		await expect.poll(() => readBoard(ben.doc).programs.length).toBe(before.programs.length - 1);
		const res = await r.api(
			`/api/boards/${id}/checkpoints/${saved.checkpoint.id}/restore`,
			json({ scope: { kind: 'program', id: program.id } }, r.ownerToken(id))
		);
		expect(res.status).toBe(200);
		const { restored } = (await res.json()) as { restored: { recreated: number } };
		expect(restored.recreated).toBeGreaterThan(program.lanes.length);
		for (const c of [ana, ben]) await expect.poll(() => readBoard(c.doc)).toEqual(before);
	});
});

describe('automatic checkpoints', () => {
	it('are taken when the last person leaves a board that changed, naming who edited', async () => {
		const r = await relay();
		const id = await r.createBoard('sample');
		const quiet = await client(r, id, { name: 'Nobody' });
		quiet.destroy();
		// The relay has seen the leave (a state, not a pause), and took no checkpoint for it.
		await expect.poll(() => r.metric('railyard_connections')).toBe(0);
		expect(await r.store.checkpoints(id)).toEqual([]);

		const ana = await client(r, id, { name: 'Ana' });
		const ben = await client(r, id, { name: 'Ben' });
		const lane = firstProgram(ana).lanes[0]!;
		updateLane(ana.doc, { id: lane.id, health: 'off-track' });
		await expect.poll(() => readBoard(ben.doc).programs[0]?.lanes[0]?.health).toBe('off-track');
		ana.destroy();
		await expect.poll(() => r.metric('railyard_connections')).toBe(1);
		expect(await r.store.checkpoints(id)).toEqual([]);
		ben.destroy();
		await expect.poll(async () => (await r.store.checkpoints(id)).length).toBe(1);
		const [auto] = await r.store.checkpoints(id);
		expect(auto).toMatchObject({ kind: 'auto', name: 'Everyone left', authorName: 'Ana' });
		const stored = (await r.store.checkpoint(id, auto!.id))!;
		const then = new Y.Doc();
		Y.applyUpdate(then, stored.state);
		expect(readBoard(then).programs[0]?.lanes[0]?.health).toBe('off-track');
	});

	it('are taken at most every CHECKPOINT_EVERY_MS while the board keeps changing', async () => {
		let now = 1_000_000;
		const realNow = Date.now;
		Date.now = () => now;
		cleanups.push(() => (Date.now = realNow));
		const r = await relay({ limits: { checkpointEveryMs: 60_000 } });
		const id = await r.createBoard('sample');
		const ana = await client(r, id, { name: 'Ana' });
		const lane = firstProgram(ana).lanes[0]!;
		const edit = async (progress: number) => {
			updateLane(ana.doc, { id: lane.id, progress });
			await expect
				.poll(async () =>
					(await r.api(`/api/boards/${id}/export`, { token: r.ownerToken(id) })).text()
				)
				.toContain(`"progress": ${progress}`);
		};
		await edit(11);
		now += 30_000;
		await edit(12);
		expect(await r.store.checkpoints(id)).toEqual([]);
		now += 30_000;
		await edit(13);
		await expect.poll(async () => (await r.store.checkpoints(id)).length).toBe(1);
		now += 10_000;
		await edit(14);
		expect((await r.store.checkpoints(id)).map((c) => c.name)).toEqual(['While editing']);
	});
});

describe('retention', () => {
	it('prunes automatic checkpoints older than CHECKPOINT_RETENTION_DAYS, keeping named ones', async () => {
		let now = 1_000_000;
		const realNow = Date.now;
		Date.now = () => now;
		cleanups.push(() => (Date.now = realNow));
		const day = 86_400_000;
		const r = await relay({ limits: { checkpointRetentionMs: 2 * day } });
		const id = await r.createBoard('sample');
		const session = async (progress: number) => {
			const c = await client(r, id, { name: 'Ana' });
			updateLane(c.doc, { id: firstProgram(c).lanes[0]!.id, progress });
			await expect
				.poll(async () =>
					(await r.api(`/api/boards/${id}/export`, { token: r.ownerToken(id) })).text()
				)
				.toContain(`"progress": ${progress}`);
			c.destroy();
			await expect.poll(async () => (await r.store.checkpoints(id))[0]?.createdAt).toBe(now);
		};
		await session(11);
		expect((await save(r, id, r.ownerToken(id), 'Named, day 0')).status).toBe(201);
		now += 1.5 * day;
		await session(12);
		now += 1.5 * day;
		await session(13);
		// Day 3: the automatic one of day 0 is older than two days; the named one stays.
		await expect
			.poll(async () => (await r.store.checkpoints(id)).map((c) => c.createdAt - 1_000_000))
			.toEqual([3 * day, 1.5 * day, 0]);
		expect((await r.store.checkpoints(id)).map((c) => c.kind)).toEqual(['auto', 'auto', 'named']);
	});
});

describe('authors', () => {
	it('records the link and display name each client id edited through', async () => {
		const r = await relay();
		const id = await r.createBoard('sample');
		const editor = await r.share(id, { role: 'editor' });
		const ana = await client(r, id, { token: editor.token, name: 'Ana' });
		updateLane(ana.doc, { id: firstProgram(ana).lanes[0]!.id, progress: 42 });
		await expect
			.poll(async () => {
				const res = await r.api(`/api/boards/${id}/authors`, { token: editor.token });
				return ((await res.json()) as { authors: unknown[] }).authors;
			})
			.toEqual([
				expect.objectContaining({ clientId: ana.doc.clientID, linkId: editor.link.id, name: 'Ana' })
			]);
	});

	it('answers with every edit the relay has accepted, not only what was written a second ago', async () => {
		const r = await relay();
		const id = await r.createBoard('sample');
		const editor = await r.share(id, { role: 'editor' });
		const ana = await client(r, id, { token: editor.token, name: 'Ana' });
		const laneId = firstProgram(ana).lanes[0]!.id;
		updateLane(ana.doc, { id: laneId, progress: 42 });
		// Once the edit is stored, one read names Ana: no waiting for the batched write.
		await expect
			.poll(async () => {
				const doc = new Y.Doc();
				for (const update of (await r.store.load(id))!.updates) Y.applyUpdate(doc, update);
				return readBoard(doc).programs[0]!.lanes[0]!.progress;
			})
			.toBe(42);
		const res = await r.api(`/api/boards/${id}/authors`, { token: editor.token });
		expect(((await res.json()) as { authors: { name: string }[] }).authors).toEqual([
			expect.objectContaining({ clientId: ana.doc.clientID, name: 'Ana' })
		]);
	});
});

describe('deleting the board', () => {
	it('deletes its checkpoints and authors with it', async () => {
		const r = await relay();
		const id = await r.createBoard('sample');
		const ana = await client(r, id, { name: 'Ana' });
		updateLane(ana.doc, { id: firstProgram(ana).lanes[0]!.id, progress: 7 });
		await expect.poll(async () => (await r.store.authors(id)).length).toBe(1);
		expect((await save(r, id, r.ownerToken(id), 'kept?')).status).toBe(201);
		const res = await r.api(`/api/boards/${id}`, { method: 'DELETE', token: r.ownerToken(id) });
		expect(res.status).toBe(200);
		expect(await r.store.checkpoints(id)).toEqual([]);
		expect(await r.store.authors(id)).toEqual([]);
	});
});
