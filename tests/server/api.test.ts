/**
 * The boards API with access control: every endpoint's success and refusals, as a script (or the
 * Share dialog) calls it, plus the security headers of the production entry.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, upgradeStatus } from '../helpers/clients.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';
import { startRelayProcess } from '../helpers/relay-process.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function relay(opts: Parameters<typeof startRelay>[0] = {}): Promise<TestRelay> {
	const r = await startRelay(opts);
	cleanups.push(() => r.close());
	return r;
}

async function call(
	r: TestRelay,
	path: string,
	init: RequestInit & { token?: string | null } = {}
): Promise<{ status: number; body: Record<string, unknown> }> {
	const res = await r.api(path, init);
	return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const LINK_KEYS = ['createdAt', 'expiresAt', 'id', 'label', 'revokedAt', 'role'];

describe('POST /api/boards', () => {
	it('creates a board and answers its owner link and token', async () => {
		const r = await relay();
		const { status, body } = await call(r, '/api/boards', {
			method: 'POST',
			body: JSON.stringify({ title: '  Q3 plan ', template: 'sample' })
		});
		expect(status).toBe(201);
		expect(body).toMatchObject({ title: 'Q3 plan', owner: { token: expect.any(String) } });
		const owner = body.owner as { link: Record<string, unknown>; token: string };
		expect(Object.keys(owner.link).sort()).toEqual(LINK_KEYS);
		expect(owner.link).toMatchObject({ role: 'owner', expiresAt: null, revokedAt: null });
		const info = await call(r, `/api/boards/${body.id as string}`, { token: owner.token });
		expect(info.body).toMatchObject({ role: 'owner', linkId: owner.link.id, expiresAt: null });
	});
	it('refuses a body that is not JSON, as a form on another site would send it', async () => {
		const r = await relay();
		for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']) {
			const res = await r.api('/api/boards', {
				method: 'POST',
				headers: { 'content-type': type },
				body: 'title=spam'
			});
			expect(res.status).toBe(415);
			expect(await res.json()).toEqual({ error: 'send the request body as application/json' });
		}
		expect(await r.store.list()).toEqual([]);
	});
});

describe('GET /api/boards (every board)', () => {
	it('is turned off unless RAILYARD_ADMIN_TOKEN is set', async () => {
		const r = await relay();
		await r.createBoard();
		const off = { status: 403, body: { error: 'listing all boards is turned off on this server' } };
		expect(await call(r, '/api/boards')).toEqual(off);
		expect(await call(r, '/api/boards', { token: 'anything' })).toEqual(off);
	});

	it('answers the admin token, refuses a wrong one with 401', async () => {
		const r = await relay({ adminToken: 'admin-secret-token' });
		const id = await r.createBoard('empty', 'Listed');
		const listed = await call(r, '/api/boards', { token: 'admin-secret-token' });
		expect(listed.status).toBe(200);
		expect(listed.body.boards).toEqual([expect.objectContaining({ id, title: 'Listed' })]);
		expect((await call(r, '/api/boards', { token: 'admin-secret-tokem' })).status).toBe(401);
		expect((await call(r, '/api/boards', { token: r.ownerToken(id) })).status).toBe(401);
		expect((await call(r, '/api/boards')).status).toBe(403);
	});
});

describe('GET /api/boards/:id', () => {
	it('answers the board and what the link grants', async () => {
		const r = await relay();
		const id = await r.createBoard('empty', 'Roadmap');
		const { link, token } = await r.share(id, { role: 'viewer', label: 'execs' });
		const { status, body } = await call(r, `/api/boards/${id}`, { token });
		expect(status).toBe(200);
		expect(body).toEqual({
			id,
			title: 'Roadmap',
			createdAt: expect.any(Number),
			updatedAt: expect.any(Number),
			role: 'viewer',
			linkId: link.id,
			expiresAt: null
		});
	});

	it('refuses a missing, revoked, expired or foreign token with its reason', async () => {
		const r = await relay();
		const id = await r.createBoard();
		const other = await r.createBoard();
		expect(await call(r, `/api/boards/${id}`)).toEqual({
			status: 401,
			body: { error: 'a link token is required', reason: 'missing' }
		});
		const revoked = await r.share(id, { role: 'editor' });
		await r.store.revokeLink(revoked.link.id);
		expect(await call(r, `/api/boards/${id}`, { token: revoked.token })).toEqual({
			status: 403,
			body: { error: 'this link has been revoked', reason: 'revoked' }
		});
		expect(await call(r, `/api/boards/${other}`, { token: r.ownerToken(id) })).toEqual({
			status: 403,
			body: { error: 'this link is for a different board', reason: 'wrong-board' }
		});
		const expiring = await r.share(id, { role: 'viewer', expiresAt: Date.now() + 1000 });
		await expect
			.poll(async () => (await call(r, `/api/boards/${id}`, { token: expiring.token })).body, {
				timeout: 5000,
				interval: 250
			})
			.toEqual({ error: 'this link has expired', reason: 'expired' });
		const token = r.ownerToken(id);
		await r.store.delete(id);
		expect(await call(r, `/api/boards/${id}`, { token })).toEqual({
			status: 404,
			body: { error: 'this board no longer exists', reason: 'no-board' }
		});
	});
});

describe('share links', () => {
	it('an owner lists, creates, re-copies and revokes them; tokens are never listed', async () => {
		const r = await relay();
		const id = await r.createBoard();
		const owner = r.ownerToken(id);
		const expiresAt = Date.now() + 7 * 86_400_000;
		const created = await call(r, `/api/boards/${id}/links`, {
			method: 'POST',
			token: owner,
			body: JSON.stringify({ role: 'viewer', label: '  Steering group  ', expiresAt })
		});
		expect(created.status).toBe(201);
		const link = created.body.link as Record<string, unknown>;
		expect(Object.keys(link).sort()).toEqual(LINK_KEYS);
		expect(link).toMatchObject({ role: 'viewer', label: 'Steering group', revokedAt: null });
		expect(link.expiresAt).toBe(expiresAt);
		const viewerToken = created.body.token as string;
		expect((await call(r, `/api/boards/${id}`, { token: viewerToken })).body.role).toBe('viewer');

		const listed = await call(r, `/api/boards/${id}/links`, { token: owner });
		expect(listed.status).toBe(200);
		const links = listed.body.links as Record<string, unknown>[];
		expect(links.map((l) => l.role)).toEqual(['owner', 'viewer']);
		for (const l of links) expect(Object.keys(l).sort()).toEqual(LINK_KEYS);
		expect(JSON.stringify(listed.body)).not.toContain(viewerToken.split('.')[2]);

		const facilitator = await call(r, `/api/boards/${id}/links`, {
			method: 'POST',
			token: owner,
			body: JSON.stringify({ role: 'facilitator' })
		});
		expect(facilitator.status).toBe(201);
		const opened = await call(r, `/api/boards/${id}`, { token: facilitator.body.token as string });
		expect(opened.body.role).toBe('facilitator');

		const again = await call(r, `/api/boards/${id}/links/${link.id as string}/token`, {
			method: 'POST',
			token: owner
		});
		expect(again.status).toBe(200);
		const copied = await call(r, `/api/boards/${id}`, { token: again.body.token as string });
		expect(copied.body).toMatchObject({ role: 'viewer', linkId: link.id });

		const revoked = await call(r, `/api/boards/${id}/links/${link.id as string}`, {
			method: 'DELETE',
			token: owner
		});
		expect(revoked.status).toBe(200);
		expect((revoked.body.link as { revokedAt: unknown }).revokedAt).toEqual(expect.any(Number));
		// Every copy of the link ends with it.
		for (const token of [viewerToken, again.body.token as string]) {
			expect((await call(r, `/api/boards/${id}`, { token })).status).toBe(403);
		}
		expect(
			await call(r, `/api/boards/${id}/links/${link.id as string}/token`, {
				method: 'POST',
				token: owner
			})
		).toEqual({ status: 409, body: { error: 'this link has been revoked' } });
	});

	it('only an owner may manage links', async () => {
		const r = await relay();
		const id = await r.createBoard();
		const editor = await r.share(id, { role: 'editor' });
		const viewer = await r.share(id, { role: 'viewer' });
		const forbidden = { status: 403, body: { error: 'only the board owner can manage links' } };
		for (const { token } of [editor, viewer]) {
			expect(await call(r, `/api/boards/${id}/links`, { token })).toEqual(forbidden);
			const body = JSON.stringify({ role: 'editor' });
			expect(await call(r, `/api/boards/${id}/links`, { method: 'POST', token, body })).toEqual(
				forbidden
			);
			const path = `/api/boards/${id}/links/${viewer.link.id}`;
			expect(await call(r, `${path}/token`, { method: 'POST', token })).toEqual(forbidden);
			expect(await call(r, path, { method: 'DELETE', token })).toEqual(forbidden);
		}
		expect((await call(r, `/api/boards/${id}/links`)).status).toBe(401);
	});

	it('explains a bad link request with 400', async () => {
		const r = await relay();
		const id = await r.createBoard();
		const token = r.ownerToken(id);
		const post = async (body: unknown) =>
			call(r, `/api/boards/${id}/links`, { method: 'POST', token, body: JSON.stringify(body) });
		const bad: [unknown, RegExp][] = [
			[{}, /^role: /],
			[{ role: 'owner' }, /^role: must be one of "facilitator", "editor", "viewer"/],
			[{ role: 'viewer', label: 'x'.repeat(81) }, /^label: must be at most 80/],
			[{ role: 'viewer', label: 7 }, /^label: /],
			[{ role: 'viewer', expiresAt: Date.now() - 1000 }, /^expiresAt: must be in the future/],
			[{ role: 'viewer', expiresAt: 'tomorrow' }, /^expiresAt: /],
			[{ role: 'viewer', expiresAt: Date.now() + 20 * 365 * 86_400_000 }, /^expiresAt: /]
		];
		for (const [body, message] of bad) {
			const res = await post(body);
			expect(res.status, JSON.stringify(body)).toBe(400);
			expect(res.body.error).toMatch(message);
		}
		const trimmed = await post({ role: 'editor', label: ' '.repeat(3) + 'x'.repeat(80) + ' ' });
		expect(trimmed.status).toBe(201);
		expect((trimmed.body.link as { expiresAt: unknown }).expiresAt).toBeNull();
	});

	it('refuses revoking the caller’s own link, an owner link, or an unknown one', async () => {
		const r = await relay();
		const id = await r.createBoard();
		const other = await r.createBoard();
		const token = r.ownerToken(id);
		const mine = (await call(r, `/api/boards/${id}`, { token })).body.linkId as string;
		const del = (linkId: string) =>
			call(r, `/api/boards/${id}/links/${linkId}`, { method: 'DELETE', token });
		expect(await del(mine)).toEqual({
			status: 409,
			body: { error: 'you cannot revoke the link you are using' }
		});
		// A second owner link, as the CLI mints one.
		const { link: coOwner } = await r.relay.access.mint({ boardId: id, role: 'owner' });
		expect((await del(coOwner.id)).status).toBe(403);
		expect((await del('nosuchlink')).status).toBe(404);
		const foreign = (await call(r, `/api/boards/${other}`, { token: r.ownerToken(other) })).body
			.linkId as string;
		expect((await del(foreign)).status).toBe(404);
		expect(
			(await call(r, `/api/boards/${id}/links/nosuchlink/token`, { method: 'POST', token })).status
		).toBe(404);
		expect((await r.store.link(mine))?.revokedAt).toBeNull();
	});
});

describe('DELETE /api/boards/:id', () => {
	it('lets only the owner delete a board; its open connections end with 4404; others carry on', async () => {
		const r = await relay();
		const id = await r.createBoard('sample');
		const other = await r.createBoard('sample');
		const editor = await r.share(id, { role: 'editor' });
		const del = (token: string) => call(r, `/api/boards/${id}`, { method: 'DELETE', token });

		expect(await del(editor.token)).toEqual({
			status: 403,
			body: { error: 'only the board owner can delete it' }
		});
		const open = connectClient(r.syncUrl, id, new Y.Doc(), { token: editor.token });
		const bystander = connectClient(r.syncUrl, other);
		cleanups.push(
			() => open.destroy(),
			() => bystander.destroy()
		);
		await Promise.all([open.synced, bystander.synced]);
		const ended = new Promise<{ code: number; reason: string }>((resolve) =>
			open.provider.once('closed', resolve)
		);

		expect(await del(r.ownerToken(id))).toEqual({ status: 200, body: { deleted: id } });
		expect(await ended).toEqual({ code: 4404, reason: 'this board no longer exists' });
		expect(await r.store.info(id)).toBeNull();
		expect(await r.store.links(id)).toEqual([]);
		expect((await call(r, `/api/boards/${id}`, { token: r.ownerToken(id) })).status).toBe(404);
		expect(await upgradeStatus(r.syncUrl, id, { token: r.ownerToken(id) })).toMatchObject({
			status: 404
		});
		// Nothing of it comes back when its room would have been written out.
		await expect.poll(() => r.relay.rooms.get(id)).toBeUndefined();
		expect(await r.store.info(id)).toBeNull();
		expect(bystander.provider.wsconnected).toBe(true);
		expect(await r.store.info(other)).not.toBeNull();
	});
});

describe('the production entry', () => {
	it('sends security headers on every response', async () => {
		const proc = await startRelayProcess();
		cleanups.push(() => proc.kill());
		for (const path of ['/healthz', '/api/boards', '/no-such-page']) {
			const res = await fetch(`${proc.url}${path}`);
			expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
			expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
			expect(res.headers.get('x-frame-options'), path).toBe('DENY');
			expect(res.headers.get('content-security-policy'), path).toMatch(/frame-ancestors 'none'/);
			await res.body?.cancel();
		}
	});
});
