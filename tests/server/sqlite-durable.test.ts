/**
 * The SQLite store's writes resolve only once the WAL is synced (server/storage/sqlite-durable.ts):
 * the relay acknowledges an edit when its append resolves, so an append that resolved before its
 * sync would acknowledge edits a power cut could lose. The sync here is the test's own, so it can
 * be held back or made to fail.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/storage/sqlite.ts';
import type { BoardStore } from '../../server/storage/types.ts';

/** A sync the test releases (or fails) by hand; counts the calls. */
function heldSync() {
	const waiting: { resolve: () => void; reject: (err: Error) => void }[] = [];
	return {
		calls: 0,
		sync(this: { calls: number }, _fd: number): Promise<void> {
			this.calls += 1;
			return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
		},
		release() {
			for (const w of waiting.splice(0)) w.resolve();
		},
		fail(err: Error) {
			for (const w of waiting.splice(0)) w.reject(err);
		},
		get pending() {
			return waiting.length;
		}
	};
}

const flushed = () => new Promise((resolve) => setImmediate(resolve));

let stores: BoardStore[] = [];
let disks: ReturnType<typeof heldSync>[] = [];
afterEach(async () => {
	// Closing waits for the syncs under way: let every held one through.
	const closed = Promise.allSettled(stores.map((s) => s.close()));
	for (let i = 0; i < 10; i++) {
		for (const disk of disks) disk.release();
		await flushed();
	}
	await closed;
	stores = [];
	disks = [];
});

async function open(sync: ReturnType<typeof heldSync>) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-durable-'));
	const store = openSqliteStore({ dir, sync: sync.sync.bind(sync) });
	stores.push(store);
	disks.push(sync);
	return store;
}

describe('SQLite writes wait for the disk', () => {
	it('resolves an append only after the WAL is synced, and reads never wait', async () => {
		const disk = heldSync();
		const store = await open(disk);
		const created = store.create({ id: 'b', title: 'B' });
		await flushed();
		expect(disk.pending).toBe(1);
		disk.release();
		expect(await created).toBe(true);

		let appended = false;
		const append = store.append('b', [new Uint8Array([1, 2, 3])]).then((seq) => {
			appended = true;
			return seq;
		});
		await flushed();
		expect(appended).toBe(false);
		// Committed, so a reader sees it (the relay never reads a board it is writing).
		expect((await store.load('b'))?.updates).toHaveLength(1);
		disk.release();
		expect(await append).toBe(1);
	});

	it('gives writes made while a sync runs one sync after it (group commit)', async () => {
		const disk = heldSync();
		const store = await open(disk);
		const created = store.create({ id: 'b', title: 'B' });
		await flushed();
		disk.release();
		await created;
		const callsBefore = disk.calls;
		const first = store.append('b', [new Uint8Array([1])]);
		await flushed();
		// Three more while the first sync runs: they must not ride on it (it may have started
		// before they were written), and they need no more than one more between them.
		const more = [2, 3, 4].map((n) => store.append('b', [new Uint8Array([n])]));
		await flushed();
		expect(disk.calls - callsBefore).toBe(1);
		disk.release();
		expect(await first).toBe(1);
		await flushed();
		expect(disk.calls - callsBefore).toBe(2);
		disk.release();
		expect(await Promise.all(more)).toEqual([2, 3, 4]);
	});

	it('fails the write whose sync failed, and every write after it', async () => {
		const disk = heldSync();
		const store = await open(disk);
		const created = store.create({ id: 'b', title: 'B' });
		await flushed();
		disk.release();
		await created;
		const append = store.append('b', [new Uint8Array([1])]);
		await flushed();
		disk.fail(new Error('EIO: i/o error'));
		await expect(append).rejects.toThrow(/could not sync the database to disk/);
		await expect(store.append('b', [new Uint8Array([2])])).rejects.toThrow(/could not sync/);
		// Reading still works.
		expect((await store.info('b'))?.title).toBe('B');
	});
});
