import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSecret } from '../../server/auth/secret.ts';
import { signLinkToken, verifyLinkToken, type LinkClaims } from '../../server/auth/tokens.ts';

const secret = new TextEncoder().encode('x'.repeat(32));
const claims: LinkClaims = { boardId: 'board1', linkId: 'link1', role: 'viewer', expiresAt: null };

function tamper(token: string, patch: Record<string, unknown>): string {
	const [header, payload, signature] = token.split('.') as [string, string, string];
	const body = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), ...patch };
	return [header, Buffer.from(JSON.stringify(body)).toString('base64url'), signature].join('.');
}

describe('link tokens', () => {
	it('round-trips the board, link and role', async () => {
		const token = await signLinkToken(secret, claims);
		expect(await verifyLinkToken(secret, token)).toEqual(claims);
	});

	it('refuses a token signed with another secret', async () => {
		const token = await signLinkToken(new TextEncoder().encode('y'.repeat(32)), claims);
		await expect(verifyLinkToken(secret, token)).rejects.toMatchObject({ reason: 'invalid' });
	});

	it('refuses a tampered role or board', async () => {
		const token = await signLinkToken(secret, claims);
		await expect(verifyLinkToken(secret, tamper(token, { role: 'owner' }))).rejects.toMatchObject({
			reason: 'invalid'
		});
		await expect(verifyLinkToken(secret, tamper(token, { sub: 'other' }))).rejects.toMatchObject({
			reason: 'invalid'
		});
	});

	it('refuses an unsigned (alg none) token and garbage', async () => {
		const none = [
			Buffer.from('{"alg":"none"}').toString('base64url'),
			Buffer.from(
				JSON.stringify({ sub: 'board1', lid: 'l', role: 'owner', iss: 'railyard' })
			).toString('base64url'),
			''
		].join('.');
		await expect(verifyLinkToken(secret, none)).rejects.toMatchObject({ reason: 'invalid' });
		await expect(verifyLinkToken(secret, 'not-a-token')).rejects.toMatchObject({
			reason: 'invalid'
		});
		await expect(verifyLinkToken(secret, '')).rejects.toMatchObject({ reason: 'missing' });
	});

	it('refuses an expired token as expired', async () => {
		const token = await signLinkToken(secret, { ...claims, expiresAt: Date.now() - 60_000 });
		await expect(verifyLinkToken(secret, token)).rejects.toMatchObject({ reason: 'expired' });
	});
});

describe('signing secret', () => {
	it('is generated once into the data dir and kept', () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-secret-'));
		const first = loadSecret({ dataDir: dir });
		expect(first.length).toBeGreaterThanOrEqual(32);
		expect(loadSecret({ dataDir: dir })).toEqual(first);
		expect(fs.statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
	});

	it('comes from RAILYARD_SECRET when set, and a short one is refused', () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-secret-'));
		expect(loadSecret({ env: 'z'.repeat(40), dataDir: dir })).toEqual(
			new TextEncoder().encode('z'.repeat(40))
		);
		expect(() => loadSecret({ env: 'short', dataDir: dir })).toThrow(/at least 32/);
	});
});
