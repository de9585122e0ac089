/**
 * The relay with real sockets and stock y-websocket clients.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import {
	createCard,
	createLane,
	moveLane,
	readBoard,
	updateLane
} from '../../src/lib/model/index.ts';
import { CloseCode } from '../../src/lib/protocol/close-codes.ts';
import { openSqliteStore } from '../../server/storage/sqlite.ts';
import {
	closed,
	connectClient,
	openRawSocket,
	upgradeStatus,
	type TestClient
} from '../helpers/clients.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function relay(opts?: Parameters<typeof startRelay>[0]): Promise<TestRelay> {
	const r = await startRelay(opts);
	cleanups.push(() => r.close());
	return r;
}

function client(r: TestRelay, id: string): TestClient {
	const c = connectClient(r.syncUrl, id);
	cleanups.push(() => c.destroy());
	return c;
}

/** Waits until every doc reads as the same board. */
async function converged(...docs: Y.Doc[]): Promise<void> {
	await expect
		.poll(() => {
			const [first, ...rest] = docs.map((d) => readBoard(d));
			return rest.every((board) => isDeepStrictEqual(board, first));
		})
		.toBe(true);
}

function firstLane(doc: Y.Doc) {
	const board = readBoard(doc);
	return { board, program: board.programs[0]!, lane: board.programs[0]!.lanes[0]! };
}

describe('relay', () => {
	it('lets two stock clients converge on the same board', async () => {
		const r = await relay();
		const id = await r.createBoard('sample');
		const a = client(r, id);
		const b = client(r, id);
		await Promise.all([a.synced, b.synced]);
		const { board, program, lane } = firstLane(a.doc);
		createCard(a.doc, { laneId: lane.id, periodId: board.periods[1]!.id, title: 'From A' });
		const last = program.lanes.at(-1)!;
		moveLane(b.doc, { id: last.id, programId: program.id, index: 0 });
		await converged(a.doc, b.doc);
		const after = readBoard(a.doc);
		expect(after.programs[0]!.lanes[0]!.id).toBe(last.id);
		expect(
			after.programs[0]!.lanes.find((l) => l.id === lane.id)!.cells[board.periods[1]!.id]!.map(
				(c) => c.title
			)
		).toContain('From A');
	});

	it('gives a late joiner the full board, and keeps it across a restart', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-relay-'));
		const first = await startRelay({ store: openSqliteStore({ dir }) });
		const id = await first.createBoard('sample', 'Workshop');
		const a = connectClient(first.syncUrl, id);
		await a.synced;
		const { program } = firstLane(a.doc);
		for (let i = 0; i < 20; i++) createLane(a.doc, { programId: program.id, name: `Lane ${i}` });
		const late = client(first, id);
		await late.synced;
		await converged(a.doc, late.doc);
		const expected = readBoard(a.doc);
		a.destroy();
		await first.close();

		const second = await relay({ store: openSqliteStore({ dir }) });
		const again = client(second, id);
		await again.synced;
		expect(readBoard(again.doc)).toEqual(expected);
		expect(expected.title).toBe('Workshop');
		expect(expected.programs[0]!.lanes.length).toBeGreaterThan(20);
	});

	it('refuses a deleted board at the upgrade with 404, and an unknown one without a link with 401', async () => {
		const r = await relay();
		const id = await r.createBoard();
		const token = r.ownerToken(id);
		await r.store.delete(id);
		const res = await r.api(`/api/boards/${id}`, { token });
		expect(res.status).toBe(404);
		expect(await res.json()).toMatchObject({ error: 'this board no longer exists' });
		expect(await upgradeStatus(r.syncUrl, id, { token })).toMatchObject({
			status: 404,
			error: 'this board no longer exists'
		});
		expect((await upgradeStatus(r.syncUrl, 'doesNotExist', { token: null })).status).toBe(401);
	});

	it('closes only the socket that sent a malformed frame; the board and others are unaffected', async () => {
		const r = await relay();
		const id = await r.createBoard('sample');
		const good = client(r, id);
		await good.synced;
		const before = (await r.store.load(id))!.updates.length;
		const storedBefore = readBoard(good.doc);

		const bad = await openRawSocket(r.syncUrl, id);
		const badClosed = closed(bad);
		bad.send(Buffer.from([0x07, 0xff, 0xff])); // unknown message type
		expect((await badClosed).code).toBe(CloseCode.PROTOCOL_ERROR);

		const garbage = await openRawSocket(r.syncUrl, id);
		const garbageClosed = closed(garbage);
		const enc = encoding.createEncoder();
		encoding.writeVarUint(enc, 0); // sync
		encoding.writeVarUint(enc, 2); // update
		encoding.writeVarUint8Array(enc, Uint8Array.from([5, 200, 1, 3, 99, 99, 99]));
		garbage.send(encoding.toUint8Array(enc));
		expect((await garbageClosed).code).toBe(CloseCode.BAD_UPDATE);

		// The good client still edits and is still served.
		const { lane, board } = firstLane(good.doc);
		createCard(good.doc, { laneId: lane.id, periodId: board.periods[0]!.id, title: 'Still here' });
		const late = client(r, id);
		await late.synced;
		await converged(good.doc, late.doc);
		expect(readBoard(late.doc).programs).toHaveLength(storedBefore.programs.length);
		expect((await r.store.load(id))!.updates.length).toBe(before + 1);
	});

	it('removes a disconnected client from everyone’s presence', async () => {
		const r = await relay();
		const id = await r.createBoard();
		const a = client(r, id);
		const b = connectClient(r.syncUrl, id);
		await Promise.all([a.synced, b.synced]);
		b.provider.awareness.setLocalStateField('user', { name: 'Bea' });
		await expect
			.poll(() => [...a.provider.awareness.getStates().values()].map((s) => s.user?.name))
			.toContain('Bea');
		b.destroy();
		await expect
			.poll(() => [...a.provider.awareness.getStates().values()].map((s) => s.user?.name))
			.not.toContain('Bea');
	});

	it('unloads an idle room and reloads it intact on the next join', async () => {
		const r = await relay({ limits: { roomIdleMs: 50 } });
		const id = await r.createBoard('sample');
		const a = connectClient(r.syncUrl, id);
		await a.synced;
		updateLane(a.doc, { id: firstLane(a.doc).lane.id, name: 'Renamed before unload' });
		await expect.poll(async () => (await r.store.load(id))!.updates.length).toBeGreaterThan(1);
		const snapshot = readBoard(a.doc);
		a.destroy();
		await expect.poll(() => r.relay.rooms.size).toBe(0);
		const b = client(r, id);
		await b.synced;
		expect(readBoard(b.doc)).toEqual(snapshot);
	});

	it('answers health, readiness and the boards API', async () => {
		const r = await relay();
		expect((await fetch(`${r.url}/healthz`)).status).toBe(200);
		expect((await fetch(`${r.url}/readyz`)).status).toBe(200);
		const json = { 'content-type': 'application/json' };
		const bad = await fetch(`${r.url}/api/boards`, {
			method: 'POST',
			headers: json,
			body: '{nope'
		});
		expect(bad.status).toBe(400);
		expect(((await bad.json()) as { error: string }).error).toMatch(/JSON/);
		const badTemplate = await fetch(`${r.url}/api/boards`, {
			method: 'POST',
			headers: json,
			body: JSON.stringify({ template: 'everything' })
		});
		expect(badTemplate.status).toBe(400);
		expect(((await badTemplate.json()) as { error: string }).error).toMatch(/template/);
		const id = await r.createBoard('empty', 'Q3 planning');
		expect(
			await (await r.api(`/api/boards/${id}`, { token: r.ownerToken(id) })).json()
		).toMatchObject({ id, title: 'Q3 planning', role: 'owner' });
	});
});
