/**
 * One contract, every BoardStore. A new storage backend is done when it passes this suite.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createMemoryStore } from '../../server/storage/memory.ts';
import { openSqliteStore } from '../../server/storage/sqlite.ts';
import type { BoardStore } from '../../server/storage/types.ts';

interface Backend {
	name: string;
	/** Opens a store; calling it again with the same handle reopens the same data. */
	open(handle: string, now?: () => number): BoardStore;
	handle(): string;
	/** Whether data survives close + reopen. */
	durable: boolean;
}

const memoryHandles = new Map<string, BoardStore>();
const backends: Backend[] = [
	{
		name: 'memory',
		durable: false,
		handle: () => Math.random().toString(36),
		open(handle, now) {
			const store = memoryHandles.get(handle) ?? createMemoryStore(now);
			memoryHandles.set(handle, store);
			return store;
		}
	},
	{
		name: 'sqlite',
		durable: true,
		handle: () => fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-store-')),
		open: (dir, now) => openSqliteStore({ dir, now })
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
	const make = (handle = backend.handle(), now?: () => number) => {
		const store = backend.open(handle, now);
		open.push(store);
		return { store, handle };
	};
	afterEach(() => {
		for (const store of open.splice(0)) store.close();
	});

	it('creates a board once and lists it with its title', () => {
		const { store } = make();
		expect(store.create({ id: 'b1', title: 'Plan' })).toBe(true);
		expect(store.create({ id: 'b1', title: 'Other' })).toBe(false);
		expect(store.info('b1')).toMatchObject({ id: 'b1', title: 'Plan' });
		expect(store.list().map((b) => b.id)).toEqual(['b1']);
		expect(store.info('nope')).toBeNull();
		expect(store.load('nope')).toBeNull();
	});

	it('loads the initial snapshot followed by every appended update, in order', () => {
		const { store } = make();
		const doc = new Y.Doc();
		store.create({ id: 'b', title: 't' }, textUpdate('a', doc));
		store.append('b', [textUpdate('b', doc)]);
		const last = store.append('b', [textUpdate('c', doc), textUpdate('d', doc)]);
		const loaded = store.load('b')!;
		expect(loaded.lastSeq).toBe(last);
		expect(loaded.updates).toHaveLength(4);
		expect(replay(loaded.updates)).toBe('abcd');
	});

	it('compaction replaces the covered log with the snapshot and keeps later updates', () => {
		const { store } = make();
		const doc = new Y.Doc();
		store.create({ id: 'b', title: 't' });
		store.append('b', [textUpdate('x', doc)]);
		const upto = store.append('b', [textUpdate('y', doc)]);
		const snapshot = Y.encodeStateAsUpdate(doc);
		store.append('b', [textUpdate('z', doc)]);
		store.compact('b', snapshot, upto, 'Renamed');
		const loaded = store.load('b')!;
		expect(loaded.updates).toHaveLength(2);
		expect(replay(loaded.updates)).toBe('xyz');
		expect(store.info('b')?.title).toBe('Renamed');
		// Appends after compaction continue the sequence.
		expect(store.append('b', [textUpdate('!', doc)])).toBeGreaterThan(loaded.lastSeq);
		expect(replay(store.load('b')!.updates)).toBe('xyz!');
	});

	it('appends to several boards in one batch; an unknown board fails alone', () => {
		const { store } = make();
		const a = new Y.Doc();
		const b = new Y.Doc();
		store.create({ id: 'a', title: 'A' });
		store.create({ id: 'b', title: 'B' });
		const first = store.append('a', [textUpdate('1', a)]);
		const results = store.appendBatch([
			{ id: 'a', updates: [textUpdate('2', a)] },
			{ id: 'ghost', updates: [textUpdate('x')] },
			{ id: 'b', updates: [textUpdate('p', b), textUpdate('q', b)] },
			{ id: 'a', updates: [textUpdate('3', a)] }
		]);
		expect(results[0]).toBeGreaterThan(first);
		expect(results[1]).toBeInstanceOf(Error);
		expect(results[3]).toBeGreaterThan(results[0] as number);
		expect(replay(store.load('a')!.updates)).toBe('123');
		expect(replay(store.load('b')!.updates)).toBe('pq');
		expect(store.load('a')!.lastSeq).toBe(results[3]);
		expect(store.load('b')!.lastSeq).toBe(results[2]);
		expect(store.info('ghost')).toBeNull();
	});

	it('refuses to append to or compact an unknown board, changing nothing', () => {
		const { store } = make();
		expect(() => store.append('ghost', [textUpdate('a')])).toThrow();
		expect(() => store.compact('ghost', textUpdate('a'), 0)).toThrow();
		expect(store.list()).toEqual([]);
	});

	it('lists the most recently updated board first', () => {
		let t = 1000;
		const { store } = make(undefined, () => t);
		store.create({ id: 'old', title: 'Old' });
		t = 2000;
		store.create({ id: 'new', title: 'New' });
		t = 3000;
		store.append('old', [textUpdate('a')]);
		expect(store.list().map((b) => b.id)).toEqual(['old', 'new']);
		expect(store.info('old')?.updatedAt).toBe(3000);
	});

	it('deletes a board with its log', () => {
		const { store } = make();
		store.create({ id: 'b', title: 't' });
		store.append('b', [textUpdate('a')]);
		store.delete('b');
		expect(store.load('b')).toBeNull();
		expect(store.list()).toEqual([]);
		store.create({ id: 'b', title: 'again' });
		expect(store.load('b')?.updates).toEqual([]);
	});

	it('records share links per board, revokes them once, and drops them with the board', () => {
		let t = 10;
		const { store } = make(undefined, () => t++);
		store.create({ id: 'b', title: 't' });
		store.create({ id: 'c', title: 't' });
		const owner = store.createLink({
			id: 'l1',
			boardId: 'b',
			role: 'owner',
			label: '',
			expiresAt: null
		});
		expect(owner).toMatchObject({ id: 'l1', role: 'owner', revokedAt: null, expiresAt: null });
		store.createLink({ id: 'l2', boardId: 'b', role: 'viewer', label: 'execs', expiresAt: 99_999 });
		store.createLink({ id: 'l3', boardId: 'c', role: 'editor', label: '', expiresAt: null });
		expect(store.links('b').map((l) => l.id)).toEqual(['l1', 'l2']);
		expect(store.link('l2')).toMatchObject({
			boardId: 'b',
			role: 'viewer',
			label: 'execs',
			expiresAt: 99_999
		});
		expect(store.revokeLink('l2')).toBe(true);
		expect(store.revokeLink('l2')).toBe(false);
		expect(store.revokeLink('nope')).toBe(false);
		expect(store.link('l2')?.revokedAt).toBeTypeOf('number');
		expect(() =>
			store.createLink({ id: 'l9', boardId: 'ghost', role: 'viewer', label: '', expiresAt: null })
		).toThrow();
		store.delete('b');
		expect(store.link('l1')).toBeNull();
		expect(store.links('c').map((l) => l.id)).toEqual(['l3']);
	});

	// Only durable backends promise this; the memory store is gone with its process.
	const itDurable = backend.durable ? it : () => {};
	itDurable('keeps everything across close and reopen', () => {
		const first = make();
		const doc = new Y.Doc();
		first.store.create({ id: 'b', title: 'Kept' }, textUpdate('1', doc));
		first.store.append('b', [textUpdate('2', doc)]);
		first.store.close();
		const { store } = make(first.handle);
		expect(replay(store.load('b')!.updates)).toBe('12');
		expect(store.info('b')?.title).toBe('Kept');
		expect(store.append('b', [textUpdate('3', doc)])).toBeGreaterThan(1);
		expect(replay(store.load('b')!.updates)).toBe('123');
	});
});
