/**
 * A board damaged on disk: the relay refuses that board with a message, serves every other board,
 * and never overwrites what is stored.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { readBoard } from '../../src/lib/model/index.ts';
import { openSqliteStore } from '../../server/storage/sqlite.ts';
import { connectClient, syncUrlFor, type TestClient } from '../helpers/clients.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const fn of cleanups.splice(0).reverse()) await fn();
});

function upgradeStatus(url: string): Promise<{ status: number; body: string }> {
	return new Promise((resolve) => {
		const ws = new WebSocket(url);
		ws.on('unexpected-response', (_req, res) => {
			let body = '';
			res.on('data', (chunk) => (body += chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
		});
		ws.on('open', () => {
			ws.close();
			resolve({ status: 101, body: '' });
		});
	});
}

describe('a board damaged on disk', () => {
	it.each([
		[
			'a flipped byte in the snapshot',
			(s: Uint8Array) => s.map((b, i) => (i === 40 ? b ^ 0xff : b))
		],
		['a truncated snapshot', (s: Uint8Array) => s.slice(0, Math.floor(s.length / 2))]
	])(
		'%s is refused with a message; other boards are served; nothing is overwritten',
		async (_, damage) => {
			const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-corrupt-'));
			const first: TestRelay = await startRelay({ store: openSqliteStore({ dir }) });
			const damaged = await first.createBoard('sample', 'Damaged');
			const healthy = await first.createBoard('sample', 'Healthy');
			await first.close();

			const db = new DatabaseSync(path.join(dir, 'railyard.db'));
			const row = db.prepare('SELECT snapshot FROM boards WHERE id = ?').get(damaged) as {
				snapshot: Uint8Array;
			};
			const broken = damage(row.snapshot);
			db.prepare('UPDATE boards SET snapshot = ? WHERE id = ?').run(broken, damaged);
			db.close();

			const relay = await startRelay({ store: openSqliteStore({ dir }) });
			cleanups.push(() => relay.close());
			const refused = await upgradeStatus(syncUrlFor(relay.syncUrl, damaged));
			expect(refused.status).toBe(500);
			expect(JSON.parse(refused.body).error).toMatch(/could not be loaded/);

			const client: TestClient = connectClient(relay.syncUrl, healthy);
			cleanups.push(() => client.destroy());
			await client.synced;
			expect(readBoard(client.doc).title).toBe('Healthy');

			// The damaged bytes are still there for an operator to inspect or restore.
			const stored = new DatabaseSync(path.join(dir, 'railyard.db'))
				.prepare('SELECT snapshot FROM boards WHERE id = ?')
				.get(damaged) as { snapshot: Uint8Array };
			expect(Buffer.compare(stored.snapshot, broken)).toBe(0);
		}
	);
});
