/**
 * One contract, every BoardStore. A new storage backend is done when it passes this suite.
 *
 * PostgreSQL runs here too, against RAILYARD_TEST_DATABASE_URL (default: the local server CI
 * starts, postgres://postgres@127.0.0.1:5432/test), each test in a schema of its own that is
 * dropped afterwards. An unreachable server fails this suite with the address it tried: it is
 * never skipped.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createMemoryStore } from '../../server/storage/memory.ts';
import { openPostgresStore, type PostgresStore } from '../../server/storage/postgres.ts';
import { openSqliteStore } from '../../server/storage/sqlite.ts';
import { StaleEpochError, type BoardStore } from '../../server/storage/types.ts';
import { ROLES, type Role } from '../../src/lib/protocol/roles.ts';

export const TEST_DATABASE_URL =
	process.env.RAILYARD_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

interface Backend {
	name: string;
	/** Opens a store; calling it again with the same handle reopens the same data. */
	open(handle: string, now?: () => number): Promise<BoardStore>;
	handle(): string;
	/** Whether data survives close + reopen. */
	durable: boolean;
	/** Turns a closed store's database back into one from before history (issue 14). */
	dropHistory?(handle: string): Promise<void>;
}

const memoryHandles = new Map<string, BoardStore>();
/** Schemas this run made, dropped at the end whatever happened. */
const schemas = new Set<string>();
afterAll(async () => {
	if (schemas.size === 0) return;
	const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
	await client.connect();
	try {
		for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
	} finally {
		await client.end();
	}
});

function newSchema(): string {
	const schema = `railyard_test_${crypto.randomBytes(6).toString('hex')}`;
	schemas.add(schema);
	return schema;
}

const backends: Backend[] = [
	{
		name: 'memory',
		durable: false,
		handle: () => Math.random().toString(36),
		async open(handle, now) {
			const store = memoryHandles.get(handle) ?? createMemoryStore(now);
			memoryHandles.set(handle, store);
			return store;
		}
	},
	{
		name: 'sqlite',
		durable: true,
		handle: () => fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-store-')),
		open: async (dir, now) => openSqliteStore({ dir, now }),
		async dropHistory(dir) {
			const db = new DatabaseSync(path.join(dir, 'railyard.db'));
			db.exec(
				'DROP TABLE checkpoints; DROP TABLE authors; DROP TABLE history; DROP TABLE history_bases;'
			);
			db.close();
		}
	},
	{
		name: 'postgres',
		durable: true,
		handle: newSchema,
		open: (schema, now) => openPostgresStore({ url: TEST_DATABASE_URL, schema, now }),
		async dropHistory(schema) {
			const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
			await client.connect();
			try {
				await client.query(
					`DROP TABLE ${schema}.checkpoints, ${schema}.authors, ${schema}.history, ${schema}.history_bases`
				);
			} finally {
				await client.end();
			}
		}
	}
];

function textUpdate(text: string, doc = new Y.Doc()): Uint8Array {
	const before = Y.encodeStateVector(doc);
	doc.getText('t').insert(doc.getText('t').length, text);
	return Y.encodeStateAsUpdate(doc, before);
}

function replay(updates: Uint8Array[]): string {
	const doc = new Y.Doc();
	for (const u of updates) Y.applyUpdate(doc, u);
	return doc.getText('t').toString();
}

describe.each(backends)('BoardStore contract: $name', (backend) => {
	const open: BoardStore[] = [];
	const make = async (handle = backend.handle(), now?: () => number) => {
		const store = await backend.open(handle, now);
		open.push(store);
		return { store, handle };
	};
	afterEach(async () => {
		for (const store of open.splice(0)) await store.close();
	});

	it('creates a board once and lists it with its title', async () => {
		const { store } = await make();
		expect(await store.create({ id: 'b1', title: 'Plan' })).toBe(true);
		expect(await store.create({ id: 'b1', title: 'Other' })).toBe(false);
		expect(await store.info('b1')).toMatchObject({ id: 'b1', title: 'Plan' });
		expect((await store.list()).map((b) => b.id)).toEqual(['b1']);
		expect(await store.info('nope')).toBeNull();
		expect(await store.load('nope')).toBeNull();
	});

	it('loads the initial snapshot followed by every appended update, in order', async () => {
		const { store } = await make();
		const doc = new Y.Doc();
		await store.create({ id: 'b', title: 't' }, textUpdate('a', doc));
		await store.append('b', [textUpdate('b', doc)]);
		const last = await store.append('b', [textUpdate('c', doc), textUpdate('d', doc)]);
		const loaded = (await store.load('b'))!;
		expect(loaded.lastSeq).toBe(last);
		expect(loaded.updates).toHaveLength(4);
		expect(replay(loaded.updates)).toBe('abcd');
	});

	it('compaction replaces the covered log with the snapshot and keeps later updates', async () => {
		const { store } = await make();
		const doc = new Y.Doc();
		await store.create({ id: 'b', title: 't' });
		await store.append('b', [textUpdate('x', doc)]);
		const upto = await store.append('b', [textUpdate('y', doc)]);
		const snapshot = Y.encodeStateAsUpdate(doc);
		await store.append('b', [textUpdate('z', doc)]);
		await store.compact('b', snapshot, upto, 'Renamed');
		const loaded = (await store.load('b'))!;
		expect(loaded.updates).toHaveLength(2);
		expect(replay(loaded.updates)).toBe('xyz');
		expect((await store.info('b'))?.title).toBe('Renamed');
		// Appends after compaction continue the sequence.
		expect(await store.append('b', [textUpdate('!', doc)])).toBeGreaterThan(loaded.lastSeq);
		expect(replay((await store.load('b'))!.updates)).toBe('xyz!');
	});

	it('appends to several boards in one batch; an unknown board fails alone', async () => {
		const { store } = await make();
		const a = new Y.Doc();
		const b = new Y.Doc();
		await store.create({ id: 'a', title: 'A' });
		await store.create({ id: 'b', title: 'B' });
		const first = await store.append('a', [textUpdate('1', a)]);
		const results = await store.appendBatch([
			{ id: 'a', updates: [textUpdate('2', a)] },
			{ id: 'ghost', updates: [textUpdate('x')] },
			{ id: 'b', updates: [textUpdate('p', b), textUpdate('q', b)] },
			{ id: 'a', updates: [textUpdate('3', a)] }
		]);
		expect(results[0]).toBeGreaterThan(first);
		expect(results[1]).toBeInstanceOf(Error);
		expect(results[3]).toBeGreaterThan(results[0] as number);
		expect(replay((await store.load('a'))!.updates)).toBe('123');
		expect(replay((await store.load('b'))!.updates)).toBe('pq');
		expect((await store.load('a'))!.lastSeq).toBe(results[3]);
		expect((await store.load('b'))!.lastSeq).toBe(results[2]);
		expect(await store.info('ghost')).toBeNull();
	});

	it('refuses to append to or compact an unknown board, changing nothing', async () => {
		const { store } = await make();
		await expect(store.append('ghost', [textUpdate('a')])).rejects.toThrow();
		await expect(store.compact('ghost', textUpdate('a'), 0)).rejects.toThrow();
		expect(await store.list()).toEqual([]);
	});

	it('lists the most recently updated board first', async () => {
		let t = 1000;
		const { store } = await make(undefined, () => t);
		await store.create({ id: 'old', title: 'Old' });
		t = 2000;
		await store.create({ id: 'new', title: 'New' });
		t = 3000;
		await store.append('old', [textUpdate('a')]);
		expect((await store.list()).map((b) => b.id)).toEqual(['old', 'new']);
		expect((await store.info('old'))?.updatedAt).toBe(3000);
	});

	it('deletes a board with its log', async () => {
		const { store } = await make();
		await store.create({ id: 'b', title: 't' });
		await store.append('b', [textUpdate('a')]);
		await store.delete('b');
		expect(await store.load('b')).toBeNull();
		expect(await store.list()).toEqual([]);
		await store.create({ id: 'b', title: 'again' });
		expect((await store.load('b'))?.updates).toEqual([]);
	});

	it('records share links per board, revokes them once, and drops them with the board', async () => {
		let t = 10;
		const { store } = await make(undefined, () => t++);
		await store.create({ id: 'b', title: 't' });
		await store.create({ id: 'c', title: 't' });
		const owner = await store.createLink({
			id: 'l1',
			boardId: 'b',
			role: 'owner',
			label: '',
			expiresAt: null
		});
		expect(owner).toMatchObject({ id: 'l1', role: 'owner', revokedAt: null, expiresAt: null });
		await store.createLink({
			id: 'l2',
			boardId: 'b',
			role: 'viewer',
			label: 'execs',
			expiresAt: 99_999
		});
		await store.createLink({ id: 'l3', boardId: 'c', role: 'editor', label: '', expiresAt: null });
		expect((await store.links('b')).map((l) => l.id)).toEqual(['l1', 'l2']);
		expect(await store.link('l2')).toMatchObject({
			boardId: 'b',
			role: 'viewer',
			label: 'execs',
			expiresAt: 99_999
		});
		expect(await store.revokeLink('l2')).toBe(true);
		expect(await store.revokeLink('l2')).toBe(false);
		expect(await store.revokeLink('nope')).toBe(false);
		expect((await store.link('l2'))?.revokedAt).toBeTypeOf('number');
		await expect(
			store.createLink({ id: 'l9', boardId: 'ghost', role: 'viewer', label: '', expiresAt: null })
		).rejects.toThrow();
		await store.delete('b');
		expect(await store.link('l1')).toBeNull();
		expect((await store.links('c')).map((l) => l.id)).toEqual(['l3']);
	});

	it('keeps votes per board, oldest first, replaces one by id, and drops them with the board', async () => {
		const { store } = await make();
		await store.create({ id: 'b', title: 't' });
		await store.create({ id: 'c', title: 't' });
		const vote = (id: string, openedAt: number, state: 'open' | 'closed', data: string) => ({
			boardId: 'b',
			id,
			openedAt,
			state,
			data
		});
		await store.putVote(vote('v2', 20, 'closed', '{"n":2}'));
		await store.putVote(vote('v1', 10, 'open', '{"n":1}'));
		await store.putVote({ ...vote('v3', 5, 'closed', '{}'), boardId: 'c' });
		expect(await store.votes('b')).toEqual([
			vote('v1', 10, 'open', '{"n":1}'),
			vote('v2', 20, 'closed', '{"n":2}')
		]);
		// Closing the open vote replaces its row.
		await store.putVote(vote('v1', 10, 'closed', '{"result":true}'));
		expect((await store.votes('b'))[0]).toEqual(vote('v1', 10, 'closed', '{"result":true}'));
		expect(await store.votes('b')).toHaveLength(2);
		await store.deleteVote('b', 'v2');
		expect((await store.votes('b')).map((v) => v.id)).toEqual(['v1']);
		await expect(
			store.putVote({ ...vote('x', 1, 'open', '{}'), boardId: 'ghost' })
		).rejects.toThrow();
		await store.delete('b');
		expect(await store.votes('b')).toEqual([]);
		await store.create({ id: 'b', title: 'again' });
		expect(await store.votes('b')).toEqual([]);
		expect((await store.votes('c')).map((v) => v.id)).toEqual(['v3']);
	});

	it('stores every role, the facilitator included, and refuses an unknown one', async () => {
		const { store } = await make();
		await store.create({ id: 'b', title: 't' });
		for (const role of ROLES) {
			await store.createLink({ id: `l-${role}`, boardId: 'b', role, label: '', expiresAt: null });
		}
		expect((await store.links('b')).map((l) => l.role).sort()).toEqual([...ROLES].sort());
		if (backend.durable) {
			await expect(
				store.createLink({
					id: 'x',
					boardId: 'b',
					role: 'admin' as Role,
					label: '',
					expiresAt: null
				})
			).rejects.toThrow();
		}
	});

	it('keeps checkpoints newest first, each with its state, and drops them with the board', async () => {
		let t = 100;
		const { store } = await make(undefined, () => t);
		await store.create({ id: 'b', title: 't' });
		await store.create({ id: 'c', title: 't' });
		const doc = new Y.Doc();
		const first = textUpdate('one', doc);
		const saved = await store.saveCheckpoint({
			id: 'k1',
			boardId: 'b',
			kind: 'named',
			name: 'PI 7 committed',
			authorName: 'Ana',
			linkId: 'l1',
			state: first
		});
		expect(saved).toEqual({
			id: 'k1',
			boardId: 'b',
			kind: 'named',
			name: 'PI 7 committed',
			authorName: 'Ana',
			linkId: 'l1',
			createdAt: 100,
			bytes: first.length
		});
		// Same millisecond: still newest first, in the order they were saved.
		textUpdate(' two', doc);
		const second = Y.encodeStateAsUpdate(doc);
		await store.saveCheckpoint({
			id: 'k2',
			boardId: 'b',
			kind: 'auto',
			name: 'Everyone left',
			authorName: 'Ana, Ben',
			linkId: null,
			state: second
		});
		t = 200;
		await store.saveCheckpoint({
			id: 'k3',
			boardId: 'b',
			kind: 'auto',
			name: 'Hourly',
			authorName: '',
			linkId: null,
			state: second
		});
		const list = await store.checkpoints('b');
		expect(list.map((c) => c.id)).toEqual(['k3', 'k2', 'k1']);
		expect(list[1]).toMatchObject({ kind: 'auto', linkId: null, bytes: second.length });
		expect(list[0]).not.toHaveProperty('state');
		const k2 = (await store.checkpoint('b', 'k2'))!;
		expect(replay([k2.state])).toBe('one two');
		expect(k2.authorName).toBe('Ana, Ben');
		expect(await store.checkpoint('c', 'k2')).toBeNull();
		expect(await store.checkpoint('b', 'nope')).toBeNull();
		expect(await store.checkpoints('c')).toEqual([]);
		await expect(
			store.saveCheckpoint({
				id: 'k9',
				boardId: 'ghost',
				kind: 'named',
				name: 'x',
				authorName: '',
				linkId: null,
				state: first
			})
		).rejects.toThrow();
		await store.delete('b');
		expect(await store.checkpoints('b')).toEqual([]);
		await store.create({ id: 'b', title: 'again' });
		expect(await store.checkpoint('b', 'k1')).toBeNull();
	});

	it('prunes automatic checkpoints made before a time, never named ones', async () => {
		let t = 100;
		const { store } = await make(undefined, () => t);
		await store.create({ id: 'b', title: 't' });
		await store.create({ id: 'c', title: 't' });
		const state = textUpdate('s');
		const save = (id: string, boardId: string, kind: 'named' | 'auto') =>
			store.saveCheckpoint({ id, boardId, kind, name: id, authorName: '', linkId: null, state });
		await save('old-auto', 'b', 'auto');
		await save('old-named', 'b', 'named');
		await save('other-board', 'c', 'auto');
		t = 200;
		await save('new-auto', 'b', 'auto');
		expect(await store.pruneCheckpoints('b', 200)).toBe(1);
		expect((await store.checkpoints('b')).map((c) => c.id)).toEqual(['new-auto', 'old-named']);
		expect((await store.checkpoints('c')).map((c) => c.id)).toEqual(['other-board']);
		expect(await store.pruneCheckpoints('ghost', 200)).toBe(0);
	});

	it('renames a checkpoint (an automatic one becomes named) and deletes one', async () => {
		const { store } = await make(undefined, () => 100);
		await store.create({ id: 'b', title: 't' });
		await store.create({ id: 'c', title: 't' });
		const state = textUpdate('s');
		await store.saveCheckpoint({
			id: 'k',
			boardId: 'b',
			kind: 'auto',
			name: 'Everyone left',
			authorName: 'Ana',
			linkId: null,
			state
		});
		expect(await store.renameCheckpoint('c', 'k', 'x')).toBeNull();
		expect(await store.renameCheckpoint('b', 'k', 'Kick-off')).toMatchObject({
			id: 'k',
			kind: 'named',
			name: 'Kick-off',
			authorName: 'Ana',
			createdAt: 100,
			bytes: state.length
		});
		// Named now: pruning automatic checkpoints keeps it.
		expect(await store.pruneCheckpoints('b', 1000)).toBe(0);
		expect(replay([(await store.checkpoint('b', 'k'))!.state])).toBe('s');
		expect(await store.deleteCheckpoint('c', 'k')).toBe(false);
		expect(await store.deleteCheckpoint('b', 'k')).toBe(true);
		expect(await store.deleteCheckpoint('b', 'k')).toBe(false);
		expect(await store.checkpoints('b')).toEqual([]);
		expect(await store.renameCheckpoint('b', 'k', 'again')).toBeNull();
	});

	it('keeps every appended update stamped for replay, through compaction, until folded', async () => {
		let t = 1000;
		const { store } = await make(undefined, () => t);
		const doc = new Y.Doc();
		await store.create({ id: 'b', title: 't' }, textUpdate('a', doc));
		await store.create({ id: 'c', title: 't' });
		expect(await store.historyBase('ghost')).toBeNull();
		const base = (await store.historyBase('b'))!;
		expect(base).toMatchObject({ at: 1000, uptoSeq: 0 });
		expect(replay([base.state!])).toBe('a');
		expect((await store.historyBase('c'))!.state).toBeNull();

		t = 2000;
		const s1 = await store.append('b', [textUpdate('b', doc), textUpdate('c', doc)]);
		// The clock went back (a relay's clock corrected): stamps do not.
		t = 1500;
		const [s2] = await store.appendBatch([
			{ id: 'b', updates: [textUpdate('d', doc)] },
			{ id: 'c', updates: [textUpdate('x')] }
		]);
		t = 3000;
		await store.compact('b', Y.encodeStateAsUpdate(doc), s2 as number);
		const s3 = await store.append('b', [textUpdate('e', doc)]);
		const all = await store.history('b', { afterSeq: 0, until: Infinity, limit: 100 });
		expect(all.map((u) => [u.seq, u.at])).toEqual([
			[s1 - 1, 2000],
			[s1, 2000],
			[s2, 2000],
			[s3, 3000]
		]);
		expect(replay([base.state!, ...all.map((u) => u.data)])).toBe('abcde');
		// A window: the board at 2000 is the base and every update stamped up to it.
		const upTo2000 = await store.history('b', { afterSeq: 0, until: 2000, limit: 100 });
		expect(replay([base.state!, ...upTo2000.map((u) => u.data)])).toBe('abcd');
		expect(
			(await store.history('b', { afterSeq: s1 - 1, until: 9999, limit: 2 })).map((u) => u.seq)
		).toEqual([s1, s2]);
		expect((await store.history('c', { afterSeq: 0, until: 9999, limit: 9 })).length).toBe(1);

		// Folding: the expired updates go into the base, in one write, once.
		const folded = Y.mergeUpdates([base.state!, ...upTo2000.map((u) => u.data)]);
		const fold = { state: folded, at: 2000, uptoSeq: s2 as number };
		expect(await store.foldHistory('b', fold, 0)).toBe(true);
		expect(await store.foldHistory('b', fold, 0)).toBe(false);
		const after = (await store.historyBase('b'))!;
		expect(after).toMatchObject({ at: 2000, uptoSeq: s2 });
		const rest = await store.history('b', { afterSeq: 0, until: Infinity, limit: 100 });
		expect(rest.map((u) => u.seq)).toEqual([s3]);
		expect(replay([after.state!, ...rest.map((u) => u.data)])).toBe('abcde');
		// The document log is not history's: the board loads as before.
		expect(replay((await store.load('b'))!.updates)).toBe('abcde');

		await store.delete('b');
		expect(await store.historyBase('b')).toBeNull();
		expect(await store.history('b', { afterSeq: 0, until: Infinity, limit: 9 })).toEqual([]);
	});

	it('records who sent edits per client id, keeping the first time and the last name', async () => {
		const { store } = await make();
		await store.create({ id: 'b', title: 't' });
		await store.create({ id: 'c', title: 't' });
		await store.recordAuthors([
			{ boardId: 'b', clientId: 7, linkId: 'l1', name: '', at: 10 },
			{ boardId: 'b', clientId: 2 ** 32 - 1, linkId: 'l2', name: 'Ben', at: 11 },
			{ boardId: 'ghost', clientId: 1, linkId: 'l', name: 'x', at: 1 },
			{ boardId: 'c', clientId: 7, linkId: 'l9', name: 'Cy', at: 12 }
		]);
		// The same client twice in one batch: a name arriving with its second edit.
		await store.recordAuthors([
			{ boardId: 'b', clientId: 7, linkId: 'l1', name: '', at: 18 },
			{ boardId: 'b', clientId: 7, linkId: 'l1', name: 'Ana', at: 20 }
		]);
		await store.recordAuthors([{ boardId: 'b', clientId: 7, linkId: 'l1', name: '', at: 15 }]);
		expect(await store.authors('c')).toEqual([
			{ clientId: 7, linkId: 'l9', name: 'Cy', firstAt: 12, lastAt: 12 }
		]);
		expect(await store.authors('b')).toEqual([
			{ clientId: 7, linkId: 'l1', name: 'Ana', firstAt: 10, lastAt: 20 },
			{ clientId: 2 ** 32 - 1, linkId: 'l2', name: 'Ben', firstAt: 11, lastAt: 11 }
		]);
		expect(await store.authors('ghost')).toEqual([]);
		await store.delete('b');
		await store.create({ id: 'b', title: 'again' });
		expect(await store.authors('b')).toEqual([]);
	});

	// Only durable backends promise this; the memory store is gone with its process.
	const itDurable = backend.durable ? it : () => {};
	itDurable('keeps everything across close and reopen', async () => {
		const first = await make();
		const doc = new Y.Doc();
		await first.store.create({ id: 'b', title: 'Kept' }, textUpdate('1', doc));
		await first.store.append('b', [textUpdate('2', doc)]);
		await first.store.putVote({ boardId: 'b', id: 'v', state: 'closed', openedAt: 1, data: '{}' });
		await first.store.close();
		const { store } = await make(first.handle);
		expect(replay((await store.load('b'))!.updates)).toBe('12');
		expect((await store.votes('b')).map((v) => v.id)).toEqual(['v']);
		expect((await store.info('b'))?.title).toBe('Kept');
		expect(await store.append('b', [textUpdate('3', doc)])).toBeGreaterThan(1);
		expect(replay((await store.load('b'))!.updates)).toBe('123');
	});

	itDurable(
		'opens a database from before history, keeping its boards and adding history',
		async () => {
			const first = await make();
			const doc = new Y.Doc();
			await first.store.create({ id: 'b', title: 'Old' }, textUpdate('kept', doc));
			await first.store.append('b', [textUpdate(' log', doc)]);
			await first.store.close();
			await backend.dropHistory!(first.handle);
			const { store } = await make(first.handle, () => 5000);
			expect(replay((await store.load('b'))!.updates)).toBe('kept log');
			// Its replay starts at the upgrade, from the board as it was stored.
			const base = (await store.historyBase('b'))!;
			expect(base.at).toBe(5000);
			const kept = await store.history('b', { afterSeq: 0, until: 5000, limit: 9 });
			expect(replay([base.state!, ...kept.map((u) => u.data)])).toBe('kept log');
			expect(await store.checkpoints('b')).toEqual([]);
			await store.saveCheckpoint({
				id: 'k',
				boardId: 'b',
				kind: 'named',
				name: 'First',
				authorName: 'Ana',
				linkId: null,
				state: Y.encodeStateAsUpdate(doc)
			});
			expect((await store.checkpoints('b')).map((c) => c.name)).toEqual(['First']);
		}
	);

	itDurable(
		'numbers updates on past a compacted log after a reopen (history keeps them)',
		async () => {
			const first = await make();
			const doc = new Y.Doc();
			await first.store.create({ id: 'b', title: 't' });
			const s2 = await first.store.append('b', [textUpdate('1', doc), textUpdate('2', doc)]);
			await first.store.compact('b', Y.encodeStateAsUpdate(doc), s2);
			await first.store.close();
			const { store } = await make(first.handle);
			expect((await store.load('b'))!.lastSeq).toBe(0);
			expect(await store.append('b', [textUpdate('3', doc)])).toBe(s2 + 1);
			const kept = await store.history('b', { afterSeq: 0, until: Infinity, limit: 9 });
			expect(kept.map((u) => u.seq)).toEqual([s2 - 1, s2, s2 + 1]);
			expect(replay(kept.map((u) => u.data))).toBe('123');
		}
	);

	itDurable('keeps checkpoints and authors across close and reopen', async () => {
		const first = await make();
		await first.store.create({ id: 'b', title: 'Kept' });
		const state = textUpdate('saved');
		await first.store.saveCheckpoint({
			id: 'k',
			boardId: 'b',
			kind: 'named',
			name: 'n',
			authorName: 'Ana',
			linkId: 'l',
			state
		});
		await first.store.recordAuthors([
			{ boardId: 'b', clientId: 3, linkId: 'l', name: 'Ana', at: 5 }
		]);
		await first.store.close();
		const { store } = await make(first.handle);
		expect(replay([(await store.checkpoint('b', 'k'))!.state])).toBe('saved');
		expect((await store.authors('b')).map((a) => a.name)).toEqual(['Ana']);
	});
});

/** The links table as Railyard made it before the facilitator role. */
const LEGACY_LINKS = `
CREATE TABLE boards (id TEXT PRIMARY KEY, title TEXT NOT NULL, created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL, snapshot BYTEA, snapshot_sha256 BYTEA);
CREATE TABLE links (
	id TEXT PRIMARY KEY,
	board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
	role TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
	label TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	expires_at BIGINT,
	revoked_at BIGINT
);
CREATE INDEX links_by_board ON links (board_id, created_at);
INSERT INTO boards VALUES ('b', 'Old', 1, 1, NULL, NULL);
INSERT INTO links VALUES ('old-owner', 'b', 'owner', '', 1, NULL, NULL);
INSERT INTO links VALUES ('old-viewer', 'b', 'viewer', 'execs', 2, NULL, 3);
`;

describe('A database made before the facilitator role', () => {
	async function keepsLinksAndTakesFacilitators(store: BoardStore, id = 'new'): Promise<void> {
		try {
			expect((await store.links('b')).slice(0, 2)).toMatchObject([
				{ id: 'old-owner', role: 'owner', revokedAt: null },
				{ id: 'old-viewer', role: 'viewer', label: 'execs', revokedAt: 3 }
			]);
			await store.createLink({
				id,
				boardId: 'b',
				role: 'facilitator',
				label: '',
				expiresAt: null
			});
			expect((await store.link(id))?.role).toBe('facilitator');
		} finally {
			await store.close();
		}
	}

	it('SQLite: rebuilt with the new roles, its links kept, its index too', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-legacy-'));
		const db = new DatabaseSync(path.join(dir, 'railyard.db'));
		db.exec(LEGACY_LINKS.replaceAll('BIGINT', 'INTEGER').replaceAll('BYTEA', 'BLOB'));
		db.close();
		await keepsLinksAndTakesFacilitators(openSqliteStore({ dir }));
		const after = new DatabaseSync(path.join(dir, 'railyard.db'));
		const index = after.prepare("SELECT tbl_name FROM sqlite_master WHERE name = 'links_by_board'");
		expect(index.get()).toEqual({ tbl_name: 'links' });
		after.close();
		// Opening again changes nothing more.
		await keepsLinksAndTakesFacilitators(openSqliteStore({ dir }), 'again');
	});

	it('PostgreSQL: the role check is replaced, its links kept', async () => {
		const schema = newSchema();
		const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
		await client.connect();
		try {
			await client.query(`CREATE SCHEMA ${schema}; SET search_path = ${schema}; ${LEGACY_LINKS}`);
		} finally {
			await client.end();
		}
		await keepsLinksAndTakesFacilitators(
			await openPostgresStore({ url: TEST_DATABASE_URL, schema })
		);
	});
});

describe('PostgreSQL: the epoch fence', () => {
	const open: PostgresStore[] = [];
	afterEach(async () => {
		for (const store of open.splice(0)) await store.close();
	});
	const two = async () => {
		const schema = newSchema();
		const a = await openPostgresStore({ url: TEST_DATABASE_URL, schema });
		const b = await openPostgresStore({ url: TEST_DATABASE_URL, schema });
		open.push(a, b);
		return { a, b };
	};

	it('refuses every durable write of a former owner once another claims the board', async () => {
		const { a, b } = await two();
		const doc = new Y.Doc();
		await a.create({ id: 'b', title: 't' });
		// `a` owns the board by what it read; `b` then takes it over (a failover).
		await a.load('b');
		await a.append('b', [textUpdate('1', doc)]);
		const epoch = await b.claim('b');
		expect(epoch).toBe((await a.epoch('b')) + 1);

		// The paused former owner wakes up: its append and its compaction write nothing.
		await expect(a.append('b', [textUpdate('lost', new Y.Doc())])).rejects.toBeInstanceOf(
			StaleEpochError
		);
		const [result] = await a.appendBatch([{ id: 'b', updates: [textUpdate('x', new Y.Doc())] }]);
		expect(result).toBeInstanceOf(StaleEpochError);
		await expect(a.compact('b', textUpdate('gone', new Y.Doc()), 99)).rejects.toBeInstanceOf(
			StaleEpochError
		);
		expect(replay((await b.load('b'))!.updates)).toBe('1');
		// Nor does its history: replay never shows a refused write.
		const kept = await b.history('b', { afterSeq: 0, until: Infinity, limit: 9 });
		expect(replay(kept.map((u) => u.data))).toBe('1');

		// The new owner writes on.
		await b.append('b', [textUpdate('2', doc)]);
		expect(replay((await b.load('b'))!.updates)).toBe('12');
	});

	it('stamps every logged update with the epoch that wrote it', async () => {
		const { a, b } = await two();
		await a.create({ id: 'b', title: 't' });
		const doc = new Y.Doc();
		await a.append('b', [textUpdate('1', doc)]);
		await b.claim('b');
		await b.append('b', [textUpdate('2', doc)]);
		const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
		await client.connect();
		try {
			const schema = [...schemas].at(-1);
			const { rows } = await client.query(
				`SELECT seq, epoch FROM ${schema}.updates WHERE board_id = 'b' ORDER BY seq`
			);
			expect(rows.map((r) => [Number(r.seq), Number(r.epoch)])).toEqual([
				[1, 0],
				[2, 1]
			]);
		} finally {
			await client.end();
		}
	});

	it('numbers concurrent appends of two stores to one board gap-free, stamps never going back', async () => {
		const schema = newSchema();
		// `b`'s clock is a second behind `a`'s: stamps still never go back within the board.
		let t = 1_000_000;
		const a = await openPostgresStore({ url: TEST_DATABASE_URL, schema, now: () => (t += 1) });
		const b = await openPostgresStore({ url: TEST_DATABASE_URL, schema, now: () => t - 1000 });
		open.push(a, b);
		await a.create({ id: 'b', title: 't' });
		await a.create({ id: 'c', title: 't' });
		const doc = new Y.Doc();
		const text = doc.getText('t');
		const updates: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => updates.push(u));
		for (let i = 0; i < 120; i++) text.insert(text.length, String(i % 10));
		// Single appends and batches (with another board) from both stores, all in flight at once.
		const results = await Promise.all(
			updates.map((u, i) =>
				i % 3 === 0
					? (i % 2 ? a : b).append('b', [u])
					: (i % 2 ? a : b)
							.appendBatch([
								{ id: 'c', updates: [u] },
								{ id: 'b', updates: [u] }
							])
							.then((r) => {
								if (r[1] instanceof Error) throw r[1];
								return r[1]!;
							})
			)
		);
		expect([...results].sort((x, y) => x - y)).toEqual(updates.map((_, i) => i + 1));
		const kept = await a.history('b', { afterSeq: 0, until: Infinity, limit: 500 });
		expect(kept.map((h) => h.seq)).toEqual(updates.map((_, i) => i + 1));
		for (let i = 1; i < kept.length; i++)
			expect(kept[i]!.at).toBeGreaterThanOrEqual(kept[i - 1]!.at);
		// Every update is there once, whatever order the writers took (Yjs merges them).
		const loaded = new Y.Doc();
		for (const u of (await b.load('b'))!.updates) Y.applyUpdate(loaded, u);
		expect(loaded.getText('t').toString()).toBe(text.toString());
		expect((await b.load('c'))!.lastSeq).toBe(80);
	});

	it('refuses a stale board in a batch alone, and numbers repeated boards in entry order', async () => {
		const { a, b } = await two();
		for (const id of ['x', 'y']) await a.create({ id, title: 't' });
		await a.load('x');
		await a.load('y');
		await b.claim('y');
		const doc = new Y.Doc();
		const [one, two_, three] = [textUpdate('1', doc), textUpdate('2', doc), textUpdate('3', doc)];
		const results = await a.appendBatch([
			{ id: 'x', updates: [one] },
			{ id: 'y', updates: [textUpdate('lost', new Y.Doc())] },
			{ id: 'nope', updates: [one] },
			{ id: 'x', updates: [two_, three] }
		]);
		expect(results[0]).toBe(1);
		expect(results[1]).toBeInstanceOf(StaleEpochError);
		expect(results[2]).toBeInstanceOf(Error);
		expect(results[2]).not.toBeInstanceOf(StaleEpochError);
		expect(results[3]).toBe(3);
		expect(replay((await b.load('x'))!.updates)).toBe('123');
		expect((await b.load('y'))!.updates).toEqual([]);
		expect(await b.history('y', { afterSeq: 0, until: Infinity, limit: 9 })).toEqual([]);
	});

	it('continues the numbers of a board from before the append counters, or ahead of them', async () => {
		const schema = newSchema();
		const a = await openPostgresStore({ url: TEST_DATABASE_URL, schema });
		open.push(a);
		const doc = new Y.Doc();
		for (const id of ['old', 'older']) {
			await a.create({ id, title: 't' });
			await a.append(id, [textUpdate('1', doc), textUpdate('2', doc), textUpdate('3', doc)]);
		}
		await a.compact('old', Y.encodeStateAsUpdate(doc), 3);
		// As a database from before them holds them: not at all.
		const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
		await client.connect();
		try {
			await client.query(`UPDATE ${schema}.boards SET last_seq = NULL, last_at = NULL`);
			// And one that a relay of that version appended to since (its rows ahead of the counter).
			await client.query(`UPDATE ${schema}.boards SET last_seq = 1 WHERE id = 'older'`);
		} finally {
			await client.end();
		}
		expect(await a.append('old', [textUpdate('4', doc)])).toBe(4);
		const reopened = await openPostgresStore({ url: TEST_DATABASE_URL, schema });
		open.push(reopened);
		expect(await reopened.append('older', [textUpdate('4', doc)])).toBe(4);
		const kept = await reopened.history('old', { afterSeq: 0, until: Infinity, limit: 9 });
		expect(kept.map((h) => h.seq)).toEqual([1, 2, 3, 4]);
		expect(kept[3]!.at).toBeGreaterThanOrEqual(kept[2]!.at);
	});

	it('fails loudly, naming the server, when PostgreSQL cannot be reached', async () => {
		await expect(
			openPostgresStore({ url: 'postgres://postgres:secret@127.0.0.1:1/none' })
		).rejects.toThrow(
			/PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/none is not reachable/
		);
	});
});
