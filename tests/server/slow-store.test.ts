/**
 * With a store that takes its time (PostgreSQL over a network), nothing reaches a client before
 * it is stored: a joiner's sync answer waits for the appends it would include, and updates are
 * broadcast only once written.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../server/storage/memory.ts';
import type { BoardStore } from '../../server/storage/types.ts';
import { connectClient, type TestClient } from '../helpers/clients.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A memory store whose appends wait while the gate is shut. */
function gatedStore() {
	const inner = createMemoryStore();
	let open: Promise<void> = Promise.resolve();
	let release = () => {};
	const stored: string[] = [];
	const store: BoardStore = {
		...inner,
		async appendBatch(batch) {
			await open;
			const results = await inner.appendBatch(batch);
			for (const { id } of batch) stored.push(id);
			return results;
		}
	};
	return {
		store,
		stored,
		shut() {
			open = new Promise((resolve) => (release = resolve));
		},
		open: () => release()
	};
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function client(r: TestRelay, boardId: string): TestClient {
	const c = connectClient(r.syncUrl, boardId);
	cleanups.push(() => c.destroy());
	return c;
}

describe('a slow store', () => {
	it('holds a joiner’s sync answer until what it includes is stored', async () => {
		const gate = gatedStore();
		const r = await startRelay({ store: gate.store });
		cleanups.push(() => r.close());
		const id = await r.createBoard('empty');
		const writer = client(r, id);
		await writer.synced;

		gate.shut();
		writer.doc.getText('probe').insert(0, 'not yet stored');
		const room = r.relay.rooms.get(id)!;
		await expect.poll(() => room.doc.getText('probe').toString()).toBe('not yet stored');

		let synced = false;
		const joiner = client(r, id);
		void joiner.synced.then(() => (synced = true));
		await settle(300);
		expect(synced).toBe(false);
		expect(joiner.doc.getText('probe').toString()).toBe('');

		gate.open();
		await joiner.synced;
		expect(joiner.doc.getText('probe').toString()).toBe('not yet stored');
		expect(gate.stored).toContain(id);
	});

	it('delivers no update before it is stored, and every one once it is', async () => {
		const gate = gatedStore();
		const r = await startRelay({ store: gate.store });
		cleanups.push(() => r.close());
		const id = await r.createBoard('empty');
		const writer = client(r, id);
		const reader = client(r, id);
		await Promise.all([writer.synced, reader.synced]);
		const seen: string[] = [];
		reader.doc.getArray<string>('log').observe(() => {
			seen.splice(0, seen.length, ...reader.doc.getArray<string>('log').toArray());
		});

		gate.shut();
		for (let i = 0; i < 5; i++) {
			writer.doc.getArray<string>('log').push([`edit ${i}`]);
			await settle(20);
		}
		expect(seen).toEqual([]);
		gate.open();
		await expect.poll(() => seen.length).toBe(5);
		expect(seen).toEqual(['edit 0', 'edit 1', 'edit 2', 'edit 3', 'edit 4']);
		const stored = (await gate.store.load(id))!;
		expect(stored.lastSeq).toBeGreaterThanOrEqual(1);
	});
});
