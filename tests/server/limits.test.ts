/**
 * Each configurable limit, against a live relay: what it refuses, with which answer, and that
 * nobody else is affected. No timing assertions: every wait is a poll.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { CloseCode } from '../../src/lib/protocol/close-codes.ts';
import type { RelayLimits } from '../../server/config.ts';
import { encodeUpdate, MESSAGE_QUERY_AWARENESS } from '../../server/protocol.ts';
import { createMemoryStore } from '../../server/storage/memory.ts';
import {
	closed,
	connectClient,
	openRawSocket,
	openStalledSocket,
	upgradeStatus,
	type TestClient
} from '../helpers/clients.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function relay(limits: Partial<RelayLimits>, trustProxy = false): Promise<TestRelay> {
	const r = await startRelay({ limits, trustProxy });
	cleanups.push(() => r.close());
	return r;
}

function client(r: TestRelay, id: string): TestClient {
	const c = connectClient(r.syncUrl, id);
	cleanups.push(() => c.destroy());
	return c;
}

async function raw(r: TestRelay, id: string, opts?: Parameters<typeof openRawSocket>[2]) {
	const ws = await openRawSocket(r.syncUrl, id, opts);
	cleanups.push(() => ws.terminate());
	return ws;
}

function track(ws: WebSocket | null): WebSocket | null {
	if (ws) cleanups.push(() => ws.terminate());
	return ws;
}

describe('connection limits', () => {
	it('refuses the connection over MAX_CONNECTIONS_PER_ROOM at the upgrade with 503', async () => {
		const r = await relay({ maxConnectionsPerRoom: 2 });
		const id = await r.createBoard();
		const other = await r.createBoard();
		const first = await raw(r, id);
		await raw(r, id);
		expect((await upgradeStatus(r.syncUrl, id)).status).toBe(503);
		expect(await r.metric('railyard_upgrades_refused_total', { reason: 'room_full' })).toBe(1);
		// Another board is not affected.
		expect(track((await upgradeStatus(r.syncUrl, other)).ws)).not.toBeNull();
		// A freed slot can be taken again.
		first.close();
		await expect
			.poll(async () => {
				const { status, ws } = await upgradeStatus(r.syncUrl, id);
				track(ws);
				return status;
			})
			.toBe(101);
	});

	it('refuses the connection over MAX_CONNECTIONS_PER_IP with 429, other addresses unaffected', async () => {
		const r = await relay({ maxConnectionsPerIp: 2 });
		const a = await r.createBoard();
		const b = await r.createBoard();
		await raw(r, a);
		await raw(r, b);
		expect((await upgradeStatus(r.syncUrl, b)).status).toBe(429);
		expect(await r.metric('railyard_upgrades_refused_total', { reason: 'ip_limit' })).toBe(1);
		const elsewhere = await upgradeStatus(r.syncUrl, b, { localAddress: '127.0.0.2' });
		expect(track(elsewhere.ws)).not.toBeNull();
	});

	it('counts X-Forwarded-For addresses separately when TRUST_PROXY is on', async () => {
		const r = await relay({ maxConnectionsPerIp: 1 }, true);
		const id = await r.createBoard();
		const via = (ip: string) => ({ headers: { 'x-forwarded-for': `203.0.113.9, ${ip}` } });
		await raw(r, id, via('10.0.0.1'));
		expect((await upgradeStatus(r.syncUrl, id, via('10.0.0.1'))).status).toBe(429);
		expect(track((await upgradeStatus(r.syncUrl, id, via('10.0.0.2'))).ws)).not.toBeNull();
	});

	it('closes a connection that exceeds the message rate with RATE_LIMITED', async () => {
		const r = await relay({ rateLimitPerSecond: 1, rateLimitBurst: 5 });
		const id = await r.createBoard('sample');
		const good = client(r, id);
		await good.synced;
		const flooder = await raw(r, id);
		const flooderClosed = closed(flooder);
		for (let i = 0; i < 20; i++) flooder.send(Uint8Array.from([MESSAGE_QUERY_AWARENESS]));
		expect((await flooderClosed).code).toBe(CloseCode.RATE_LIMITED);
		expect(good.provider.wsconnected).toBe(true);
	});
});

describe('board size limit', () => {
	it('refuses an update that would push the board past MAX_BOARD_BYTES, keeping the stored board', async () => {
		const r = await relay({ maxBoardBytes: 16 * 1024 });
		const id = await r.createBoard();
		const base = (await r.stored(id)).length;
		const writer = new Y.Doc();
		const text = writer.getText('notes');
		const ws = await raw(r, id);
		let before = Y.encodeStateVector(writer);
		const push = (socket: WebSocket) => {
			socket.send(encodeUpdate(Y.encodeStateAsUpdate(writer, before)));
			before = Y.encodeStateVector(writer);
		};

		text.insert(0, 'a'.repeat(16 * 1024 - base - 200));
		push(ws);
		await expect.poll(async () => (await r.stored(id)).length).toBeGreaterThan(base + 1000);
		const full = await r.stored(id);

		const wsClosed = closed(ws);
		text.insert(0, 'b'.repeat(1000));
		push(ws);
		expect((await wsClosed).code).toBe(CloseCode.BOARD_TOO_BIG);
		expect((await r.stored(id)).equals(full)).toBe(true);
	});

	it('still accepts deletions on a board at its cap', async () => {
		const doc = new Y.Doc();
		doc.getText('notes').insert(0, 'x'.repeat(4000));
		const board = Y.encodeStateAsUpdate(doc);
		const store = createMemoryStore();
		await store.create({ id: 'full', title: 'Full' }, board);
		// Any update of more than 4 bytes crosses the cap, unless it only deletes.
		const r = await startRelay({ store, limits: { maxBoardBytes: board.length + 4 } });
		cleanups.push(() => r.close());
		// A board stored by hand has no creator: mint its link as the admin CLI would.
		const { token } = await r.relay.access.mint({ boardId: 'full', role: 'editor' });
		const ws = await raw(r, 'full', { token });
		const sv = Y.encodeStateVector(doc);
		doc.getText('notes').delete(0, 2000);
		ws.send(encodeUpdate(Y.encodeStateAsUpdate(doc, sv)));
		await expect.poll(async () => (await r.stored('full')).equals(board)).toBe(false);
		expect(ws.readyState).toBe(ws.OPEN);

		const wsClosed = closed(ws);
		const sv2 = Y.encodeStateVector(doc);
		doc.getText('notes').insert(0, 'y'.repeat(2100));
		ws.send(encodeUpdate(Y.encodeStateAsUpdate(doc, sv2)));
		expect((await wsClosed).code).toBe(CloseCode.BOARD_TOO_BIG);
	});
});

describe('heartbeat', () => {
	it('closes a half-open connection that stops answering pings; live clients stay', async () => {
		// Wide enough that a busy CI box never delays the live client's pong past a whole interval.
		const r = await relay({ pingIntervalMs: 500 });
		const id = await r.createBoard();
		const good = client(r, id);
		await good.synced;
		const stalled = await openStalledSocket(r.syncUrl, id);
		cleanups.push(() => stalled.destroy());
		await expect
			.poll(
				() => r.metric('railyard_closes_total', { reason: 'PING_TIMEOUT', initiator: 'relay' }),
				{
					timeout: 10_000
				}
			)
			.toBe(1);
		expect(await r.metric('railyard_connections')).toBe(1);
		expect(good.provider.wsconnected).toBe(true);
	});

	it('does not drop anyone for pongs the relay itself was too busy to read', async () => {
		const r = await relay({ pingIntervalMs: 300 });
		const id = await r.createBoard();
		const good = client(r, id);
		await good.synced;
		// The client has answered a ping; then the whole process (relay included) is stuck for
		// a second, as a relay loading a huge board would be, before the relay reads the pong.
		const socket = good.provider.ws as unknown as WebSocket;
		await new Promise<void>((resolve) =>
			socket.once('ping', () => {
				const until = Date.now() + 1_000;
				while (Date.now() < until) {
					// busy: no timer, no socket read
				}
				resolve();
			})
		);
		// Two more intervals after the stall: a live client is still there.
		await new Promise((resolve) => setTimeout(resolve, 800));
		expect(
			await r.metric('railyard_closes_total', { reason: 'PING_TIMEOUT', initiator: 'relay' })
		).toBe(0);
		expect(good.provider.wsconnected).toBe(true);
	});
});
