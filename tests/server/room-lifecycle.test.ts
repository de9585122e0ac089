/**
 * One room lifecycle: whichever way a room fails (the store refuses an append, the stored board
 * cannot be read), every cleanup runs — the doc and the awareness (with its interval timer) are
 * destroyed, the room's own timers cleared, its sockets closed with a named code — and the relay
 * keeps serving every other board.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { CloseCode } from '../../src/lib/protocol/close-codes.ts';
import { encodeUpdate } from '../../server/protocol.ts';
import type { Room } from '../../server/room.ts';
import { createMemoryStore } from '../../server/storage/memory.ts';
import type { BoardStore } from '../../server/storage/types.ts';
import { closed, connectClient, openRawSocket, type TestClient } from '../helpers/clients.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A memory store whose log fails for the boards in `failing`, as a full disk would. */
function failingStore(): { store: BoardStore; failing: Set<string>; unreadable: Set<string> } {
	const inner = createMemoryStore();
	const failing = new Set<string>();
	const unreadable = new Set<string>();
	const refuse = (id: string) => new Error(`disk full (board ${id})`);
	const store: BoardStore = {
		...inner,
		async load(id) {
			if (unreadable.has(id)) throw refuse(id);
			return inner.load(id);
		},
		async append(id, updates) {
			if (failing.has(id)) throw refuse(id);
			return inner.append(id, updates);
		},
		async appendBatch(batch) {
			const results: (number | Error)[] = [];
			for (const { id, updates } of batch) {
				if (failing.has(id)) results.push(refuse(id));
				else results.push(await inner.append(id, updates).catch((err: Error) => err));
			}
			return results;
		}
	};
	return { store, failing, unreadable };
}

/** Watches what a room frees, by the events Yjs itself emits. */
function watch(room: Room) {
	const freed = { doc: false, awareness: false };
	room.doc.on('destroy', () => (freed.doc = true));
	room.awareness.on('destroy', () => (freed.awareness = true));
	return freed;
}

function textUpdate(text: string): Uint8Array {
	const doc = new Y.Doc();
	doc.getText('t').insert(0, text);
	return Y.encodeStateAsUpdate(doc);
}

async function relayWith(store: BoardStore): Promise<TestRelay> {
	const r = await startRelay({ store });
	cleanups.push(() => r.close());
	return r;
}

function client(r: TestRelay, boardId: string): TestClient {
	const c = connectClient(r.syncUrl, boardId);
	cleanups.push(() => c.destroy());
	return c;
}

async function socket(r: TestRelay, boardId: string): Promise<WebSocket> {
	const ws = await openRawSocket(r.syncUrl, boardId);
	cleanups.push(() => ws.terminate());
	return ws;
}

/** Another board still syncs edits between two people. */
async function stillServes(r: TestRelay, boardId: string): Promise<void> {
	const a = client(r, boardId);
	const b = client(r, boardId);
	await Promise.all([a.synced, b.synced]);
	a.doc.getText('probe').insert(0, 'alive');
	await expect.poll(() => b.doc.getText('probe').toString()).toBe('alive');
}

describe('a room that fails is closed through one path', () => {
	it('when the store refuses an append: doc, awareness and timers freed, sockets closed with INTERNAL_ERROR', async () => {
		const { store, failing } = failingStore();
		const r = await relayWith(store);
		const broken = await r.createBoard('sample');
		const healthy = await r.createBoard('sample');
		const ws = await socket(r, broken);
		const watcher = await socket(r, broken);
		const room = r.relay.rooms.get(broken)!;
		expect(room).toBeDefined();
		const freed = watch(room);

		failing.add(broken);
		const closes = [closed(ws), closed(watcher)];
		ws.send(encodeUpdate(textUpdate('lost to a full disk')));

		for (const close of await Promise.all(closes))
			expect(close.code).toBe(CloseCode.INTERNAL_ERROR);
		expect(freed).toEqual({ doc: true, awareness: true });
		expect(room.closedBecause).toBe('storage');
		expect(room.timersPending).toBe(0);
		expect(r.relay.rooms.get(broken)).toBeUndefined();

		await stillServes(r, healthy);
		// And the broken board itself, once its store works again, is loaded afresh.
		failing.delete(broken);
		await stillServes(r, broken);
		expect(r.relay.rooms.get(broken)).not.toBe(room);
	});

	it('when the stored board cannot be read: refused with 500, nothing kept, other boards served', async () => {
		const { store, unreadable } = failingStore();
		const r = await relayWith(store);
		const broken = await r.createBoard('sample');
		const healthy = await r.createBoard('sample');
		unreadable.add(broken);
		await expect(openRawSocket(r.syncUrl, broken)).rejects.toThrow(/500/);
		expect(r.relay.rooms.get(broken)).toBeUndefined();
		await stillServes(r, healthy);
	});

	it('when a lazily loaded snapshot fails to replay: the joiner is closed and the room freed', async () => {
		const { store } = failingStore();
		const r = await relayWith(store);
		const healthy = await r.createBoard('sample');
		// A snapshot that passes the store's checks but that Yjs cannot apply.
		await store.create(
			{ id: 'garbled', title: 'Garbled' },
			new Uint8Array([1, 1, 200, 200, 200, 3])
		);
		const { token } = await r.relay.access.mint({ boardId: 'garbled', role: 'editor' });
		const ws = await openRawSocket(r.syncUrl, 'garbled', { token });
		cleanups.push(() => ws.terminate());
		const room = r.relay.rooms.get('garbled')!;
		const freed = watch(room);
		// A sync step 1 with a non-empty state vector needs the doc: it is built now, and fails.
		const closing = closed(ws);
		const sv = Y.encodeStateVector(
			(() => {
				const d = new Y.Doc();
				d.getText('t').insert(0, 'x');
				return d;
			})()
		);
		ws.send(new Uint8Array([0, 0, ...encodeLength(sv.length), ...sv]));
		expect((await closing).code).toBe(CloseCode.INTERNAL_ERROR);
		expect(freed).toEqual({ doc: true, awareness: true });
		expect(room.closedBecause).toBe('load');
		expect(room.timersPending).toBe(0);
		expect(r.relay.rooms.get('garbled')).toBeUndefined();
		await stillServes(r, healthy);
	});
});

function encodeLength(n: number): number[] {
	const out: number[] = [];
	while (n > 0x7f) {
		out.push(0x80 | (n & 0x7f));
		n >>>= 7;
	}
	out.push(n);
	return out;
}
