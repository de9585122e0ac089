import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAccess } from '../../server/auth/access.ts';
import { loadSecret } from '../../server/auth/secret.ts';
import { runCli } from '../../server/cli.ts';
import { openSqliteStore } from '../../server/storage/sqlite.ts';

function tokenOf(url: string): string {
	return decodeURIComponent(new URL(url).hash.slice('#token='.length));
}

describe('admin CLI', () => {
	it('creates a board, shares it, lists and revokes links, and deletes it', async () => {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-cli-'));
		const env = { DATA_DIR: dataDir, PUBLIC_URL: 'https://plan.example.org/' };
		const cli = async (...args: string[]) => JSON.parse(await runCli([...args, '--json'], env));

		const created = await cli('create', '--title', 'Ops review', '--sample');
		expect(created.title).toBe('Ops review');
		expect(created.url).toMatch(/^https:\/\/plan\.example\.org\/b\/[A-Za-z0-9]{21}#token=/);
		expect((await cli('boards')).map((b: { id: string }) => b.id)).toEqual([created.id]);

		const viewer = await cli(
			'share',
			created.id,
			'--role',
			'viewer',
			'--days',
			'7',
			'--label',
			'execs'
		);
		expect(viewer).toMatchObject({ role: 'viewer', label: 'execs' });
		expect(viewer.expiresAt).toBeGreaterThan(Date.now() + 6 * 86_400_000);

		const store = openSqliteStore({ dir: dataDir });
		const access = createAccess({ store, secret: loadSecret({ dataDir }) });
		const grant = await access.authorize({ boardId: created.id, token: tokenOf(viewer.url) });
		expect(grant.role).toBe('viewer');
		const facilitator = await cli('share', created.id, '--role', 'facilitator');
		expect(facilitator.role).toBe('facilitator');
		const facilitating = await access.authorize({
			boardId: created.id,
			token: tokenOf(facilitator.url)
		});
		expect(facilitating.role).toBe('facilitator');
		expect((await cli('links', created.id)).map((l: { role: string }) => l.role)).toEqual([
			'owner',
			'viewer',
			'facilitator'
		]);

		expect(await cli('revoke', created.id, viewer.id)).toEqual({ revoked: true });
		await expect(
			access.authorize({ boardId: created.id, token: tokenOf(viewer.url) })
		).rejects.toMatchObject({ status: 403, reason: 'revoked' });

		await cli('delete', created.id);
		expect(await cli('boards')).toEqual([]);
		await store.close();
	});

	it('explains a bad call instead of guessing', async () => {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-cli-'));
		await expect(
			runCli(['share', 'nope', '--role', 'viewer'], { DATA_DIR: dataDir })
		).rejects.toThrow(/no board nope/);
		await expect(runCli(['frobnicate'], { DATA_DIR: dataDir })).rejects.toThrow(/unknown command/);
		expect(await runCli([], { DATA_DIR: dataDir })).toMatch(/Usage: npm run railyard/);
	});
});
