/**
 * Access control as enforced by the relay, over real sockets: what a viewer's connection can and
 * cannot do, revocation and expiry of live connections, forged tokens, and the Origin check.
 * Links are minted through the API, as the Share dialog does. No timing assertions beyond
 * generous bounds: every wait is a poll.
 */
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { createCard, readBoard, updateLane } from '../../src/lib/model/index.ts';
import { VIEWER_FIELDS } from '../../src/lib/model/presence.ts';
import { signLinkToken } from '../../server/auth/tokens.ts';
import { CloseCode } from '../../src/lib/protocol/close-codes.ts';
import { readOrigins, type RelayLimits } from '../../server/config.ts';
import { encodeSyncStep1, encodeSyncStep2, encodeUpdate } from '../../server/protocol.ts';
import {
	closed,
	collect,
	connectClient,
	openRawSocket,
	upgradeStatus,
	type RawSocketOptions,
	type TestClient
} from '../helpers/clients.ts';
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

function client(r: TestRelay, id: string, token?: string): TestClient {
	const c = connectClient(r.syncUrl, id, new Y.Doc(), { token });
	cleanups.push(() => c.destroy());
	return c;
}

async function raw(r: TestRelay, id: string, opts?: RawSocketOptions): Promise<WebSocket> {
	const ws = await openRawSocket(r.syncUrl, id, opts);
	cleanups.push(() => ws.terminate());
	return ws;
}

function firstLaneAndPeriod(doc: Y.Doc): { laneId: string; periodId: string } {
	const board = readBoard(doc);
	return { laneId: board.programs[0]!.lanes[0]!.id, periodId: board.periods[0]!.id };
}

/** Sync frames of one kind: [0, 1, ...] is a step 2, [0, 2, ...] an update. */
const isStep2 = (frame: Buffer) => frame[0] === 0 && frame[1] === 1;
const isUpdate = (frame: Buffer) => frame[0] === 0 && frame[1] === 2;

function tamperPayload(token: string, patch: Record<string, unknown>): string {
	const [header, payload, signature] = token.split('.') as [string, string, string];
	const body = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), ...patch };
	return [header, Buffer.from(JSON.stringify(body)).toString('base64url'), signature].join('.');
}

describe('viewers', () => {
	it('cannot change the stored board, even with sync messages sent straight over the socket', async () => {
		const r = await relay();
		const id = await r.createBoard('sample');
		const { token } = await r.share(id, { role: 'viewer' });
		const editor = client(r, id);
		await editor.synced;
		const before = await r.stored(id);

		const ws = await raw(r, id, { token });
		const received = collect(ws);
		// Its sync step 1 is answered with the whole board.
		ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
		await expect.poll(() => received.some(isStep2)).toBe(true);

		// A hand-made edit of the real board, offered as a step 2 and as an update, and a
		// brand-new item from nowhere.
		const forged = new Y.Doc();
		Y.applyUpdate(forged, Y.encodeStateAsUpdate(editor.doc));
		const sv = Y.encodeStateVector(forged);
		updateLane(forged, { id: firstLaneAndPeriod(forged).laneId, name: 'Hijacked' });
		const edit = Y.encodeStateAsUpdate(forged, sv);
		ws.send(encodeSyncStep2(edit));
		ws.send(encodeUpdate(edit));
		const stray = new Y.Doc();
		stray.getText('title').insert(0, 'Owned');
		ws.send(encodeUpdate(Y.encodeStateAsUpdate(stray)));
		await expect.poll(() => r.metric('railyard_viewer_updates_dropped_total')).toBe(3);

		expect((await r.stored(id)).equals(before)).toBe(true);
		expect(ws.readyState).toBe(ws.OPEN);
		const late = client(r, id);
		await late.synced;
		expect(readBoard(late.doc)).toEqual(readBoard(editor.doc));
		expect(JSON.stringify(readBoard(late.doc))).not.toContain('Hijacked');

		// It still receives everyone else's live updates.
		const updatesBefore = received.filter(isUpdate).length;
		createCard(editor.doc, { ...firstLaneAndPeriod(editor.doc), title: 'Seen by the viewer' });
		await expect.poll(() => received.filter(isUpdate).length).toBeGreaterThan(updatesBefore);
	});

	it('a stock client on a viewer link syncs and follows live, its own edits go nowhere', async () => {
		const r = await relay();
		const id = await r.createBoard('sample');
		const { token } = await r.share(id, { role: 'viewer' });
		const editor = client(r, id);
		const viewer = client(r, id, token);
		await Promise.all([editor.synced, viewer.synced]);
		const before = await r.stored(id);

		updateLane(viewer.doc, { id: firstLaneAndPeriod(viewer.doc).laneId, name: 'Viewer was here' });
		await expect.poll(() => r.metric('railyard_viewer_updates_dropped_total')).toBeGreaterThan(0);
		expect((await r.stored(id)).equals(before)).toBe(true);

		createCard(editor.doc, { ...firstLaneAndPeriod(editor.doc), title: 'Live for viewers' });
		await expect
			.poll(() => JSON.stringify(readBoard(viewer.doc)).includes('Live for viewers'))
			.toBe(true);
		expect(JSON.stringify(readBoard(editor.doc))).not.toContain('Viewer was here');
		expect(viewer.provider.wsconnected).toBe(true);
	});

	it('publish only presence fields through awareness', async () => {
		const r = await relay();
		const id = await r.createBoard('sample');
		const { token } = await r.share(id, { role: 'viewer' });
		const observer = client(r, id);
		const viewer = client(r, id, token);
		await Promise.all([observer.synced, viewer.synced]);
		viewer.provider.awareness.setLocalState({
			user: { name: 'Exec', colour: '#123456' },
			cursor: { x: 1, y: 2 },
			selection: null,
			viewport: { left: 0, top: 0 },
			editing: { kind: 'card', id: 'c1' },
			dragging: { kind: 'lane', id: 'l1' },
			summon: { at: 1 },
			extra: 'anything'
		});
		const viewerId = viewer.doc.clientID;
		await expect
			.poll(() => observer.provider.awareness.getStates().get(viewerId)?.user?.name)
			.toBe('Exec');
		const seen = observer.provider.awareness.getStates().get(viewerId)!;
		expect(Object.keys(seen).sort()).toEqual([...VIEWER_FIELDS].sort());
		expect(seen.cursor).toEqual({ x: 1, y: 2 });
	});
});

describe('revoking and expiring links', () => {
	it('closes a revoked link’s connection with 4403 at once, and refuses its next upgrade with 403', async () => {
		const r = await relay({ limits: { accessCheckIntervalMs: 60_000 } });
		const id = await r.createBoard();
		const { link, token } = await r.share(id, { role: 'editor' });
		const editor = client(r, id);
		const stock = client(r, id, token);
		await Promise.all([editor.synced, stock.synced]);
		const stockClosed = new Promise<{ code: number; reason: string }>((resolve) =>
			stock.provider.once('closed', resolve)
		);
		const ws = await raw(r, id, { token });
		const wsClosed = closed(ws);

		const res = await r.api(`/api/boards/${id}/links/${link.id}`, {
			method: 'DELETE',
			token: r.ownerToken(id)
		});
		expect(res.status).toBe(200);
		// The sweep is a minute away: this close came from the API call itself.
		expect(await wsClosed).toEqual({
			code: CloseCode.LINK_REVOKED,
			reason: 'this link has been revoked'
		});
		// A stock client stops reconnecting and can say why.
		expect(await stockClosed).toEqual({
			code: CloseCode.LINK_REVOKED,
			reason: 'this link has been revoked'
		});
		expect(await upgradeStatus(r.syncUrl, id, { token })).toMatchObject({
			status: 403,
			error: 'this link has been revoked'
		});
		expect(stock.provider.shouldConnect).toBe(false);
		expect(editor.provider.wsconnected).toBe(true);
	});

	it('refuses, still at the upgrade, a link revoked while its board was loading', async () => {
		const r = await relay({ limits: { accessCheckIntervalMs: 60_000 } });
		const id = await r.createBoard();
		const { link, token } = await r.share(id, { role: 'editor' });
		// Hold the board's load open, as a cold board on a slow disk would.
		const rooms = r.relay.rooms;
		const open = rooms.open.bind(rooms);
		let loading = false;
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		rooms.open = async (boardId: string) => {
			loading = true;
			await gate;
			return open(boardId);
		};
		const answer = upgradeStatus(r.syncUrl, id, { token });
		await expect.poll(() => loading).toBe(true);
		const res = await r.api(`/api/boards/${id}/links/${link.id}`, {
			method: 'DELETE',
			token: r.ownerToken(id)
		});
		expect(res.status).toBe(200);
		release();
		expect(await answer).toMatchObject({ status: 403, error: 'this link has been revoked' });
	});

	it('closes a connection within the check interval when the link is revoked elsewhere (the CLI)', async () => {
		const r = await relay({ limits: { accessCheckIntervalMs: 200 } });
		const id = await r.createBoard();
		const { link, token } = await r.share(id, { role: 'viewer' });
		const ws = await raw(r, id, { token });
		const wsClosed = closed(ws);
		const started = Date.now();
		expect(await r.store.revokeLink(link.id)).toBe(true);
		expect((await wsClosed).code).toBe(CloseCode.LINK_REVOKED);
		expect(Date.now() - started).toBeLessThan(5000);
	});

	it('refuses an expired token at the upgrade with 401', async () => {
		const r = await relay();
		const id = await r.createBoard();
		const { token } = await r.share(id, { role: 'editor', expiresAt: Date.now() + 1000 });
		await expect
			.poll(async () => (await upgradeStatus(r.syncUrl, id, { token })).status, {
				timeout: 5000,
				interval: 250
			})
			.toBe(401);
		expect((await upgradeStatus(r.syncUrl, id, { token })).error).toBe('this link has expired');
	});

	it('closes a live connection whose link expires with 4401', async () => {
		let skew = 0;
		const limits: Partial<RelayLimits> = { accessCheckIntervalMs: 100 };
		const r = await relay({ limits, now: () => Date.now() + skew });
		const id = await r.createBoard();
		const { token } = await r.share(id, { role: 'editor', expiresAt: Date.now() + 60_000 });
		const ws = await raw(r, id, { token });
		const wsClosed = closed(ws);
		skew = 120_000;
		expect(await wsClosed).toEqual({
			code: CloseCode.LINK_EXPIRED,
			reason: 'this link has expired'
		});
	});
});

describe('forged tokens', () => {
	it('are refused at the upgrade', async () => {
		const r = await relay();
		const id = await r.createBoard();
		const other = await r.createBoard();
		const { link, token: viewerToken } = await r.share(id, { role: 'viewer' });

		const wrongKey = await signLinkToken(new Uint8Array(crypto.randomBytes(32)), {
			boardId: id,
			linkId: link.id,
			role: 'owner',
			expiresAt: null
		});
		const promoted = tamperPayload(viewerToken, { role: 'editor' });
		const none = [
			Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url'),
			Buffer.from(
				JSON.stringify({ sub: id, lid: link.id, role: 'owner', iss: 'railyard' })
			).toString('base64url'),
			''
		].join('.');

		for (const token of [wrongKey, promoted, none, 'garbage', viewerToken.slice(0, -2)]) {
			expect(await upgradeStatus(r.syncUrl, id, { token })).toMatchObject({
				status: 401,
				error: 'this link is not valid'
			});
		}
		expect(await upgradeStatus(r.syncUrl, id, { token: null })).toMatchObject({ status: 401 });
		// A genuine token, for another board.
		expect(await upgradeStatus(r.syncUrl, other, { token: viewerToken })).toMatchObject({
			status: 403,
			error: 'this link is for a different board'
		});
		expect(await r.metric('railyard_connections')).toBe(0);
		// The promoted token cannot manage links either.
		const res = await r.api(`/api/boards/${id}/links`, { token: promoted });
		expect(res.status).toBe(401);
	});
});

describe('Origin check', () => {
	it('by default admits pages from the request’s own host and clients with no Origin', async () => {
		const r = await relay();
		const id = await r.createBoard();
		const host = new URL(r.url).host;
		const ok = await upgradeStatus(r.syncUrl, id, { headers: { origin: `http://${host}` } });
		expect(ok.status).toBe(101);
		ok.ws?.terminate();
		const bare = await upgradeStatus(r.syncUrl, id);
		expect(bare.status).toBe(101);
		bare.ws?.terminate();
		for (const origin of ['https://evil.example', 'null', `http://${host}.evil.example`]) {
			expect(await upgradeStatus(r.syncUrl, id, { headers: { origin } })).toMatchObject({
				status: 403,
				error: 'origin not allowed'
			});
		}
		expect(await r.metric('railyard_upgrades_refused_total', { reason: 'origin' })).toBe(3);
	});

	it('with RAILYARD_ALLOWED_ORIGINS admits exactly the listed origins', async () => {
		const allowedOrigins = readOrigins(' https://plan.example.org , http://localhost:5173/ ')!;
		expect(allowedOrigins).toEqual(['https://plan.example.org', 'http://localhost:5173']);
		const r = await relay({ allowedOrigins });
		const id = await r.createBoard();
		for (const origin of allowedOrigins) {
			const ok = await upgradeStatus(r.syncUrl, id, { headers: { origin } });
			expect(ok.status).toBe(101);
			ok.ws?.terminate();
		}
		const sameHost = `http://${new URL(r.url).host}`;
		for (const origin of [sameHost, 'https://plan.example.org:8443', 'http://plan.example.org']) {
			expect((await upgradeStatus(r.syncUrl, id, { headers: { origin } })).status).toBe(403);
		}
		expect(() => readOrigins('plan.example.org')).toThrow(/RAILYARD_ALLOWED_ORIGINS/);
	});
});
