/**
 * A PostgreSQL session that dies while the store holds it (the server ends a transaction left
 * idle past idle_in_transaction_session_timeout, as when a relay is paused mid-commit, or an
 * administrator terminates it) must fail that one write, never the relay: node-postgres reports
 * it as an 'error' event on the checked-out client, which kills the process when nothing listens.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openPostgresStore } from '../../server/storage/postgres.ts';

const URL = process.env.RAILYARD_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const schema = `railyard_test_${crypto.randomBytes(6).toString('hex')}`;

afterAll(async () => {
	const client = new pg.Client({ connectionString: URL });
	await client.connect();
	await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
	await client.end();
});

function update(text: string): Uint8Array {
	const doc = new Y.Doc();
	doc.getText('t').insert(0, text);
	return Y.encodeStateAsUpdate(doc);
}

describe('PostgreSQL session lost mid-transaction', () => {
	it('fails that write with an error, keeps the process alive, and the next write succeeds', async () => {
		const store = await openPostgresStore({ url: URL, schema });
		try {
			expect(await store.create({ id: 'b1', title: 'Board' }, update('start'))).toBe(true);
			// The session the store's next transaction runs on is ended by the server mid-way, as
			// idle_in_transaction_session_timeout or pg_terminate_backend would.
			const query = pg.Client.prototype.query;
			let killed = false;
			pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
				const text = typeof args[0] === 'string' ? args[0] : '';
				const result = (query as (...a: unknown[]) => unknown).apply(this, args);
				if (text === 'BEGIN' && !killed && result instanceof Promise) {
					killed = true;
					const pid = (this as unknown as { processID: number }).processID;
					return result.then(async (value: unknown) => {
						const admin = new pg.Client({ connectionString: URL });
						await admin.connect();
						await admin.query('SELECT pg_terminate_backend($1)', [pid]);
						await admin.end();
						// Let the termination reach this client before the transaction goes on.
						await new Promise((resolve) => setTimeout(resolve, 200));
						return value;
					});
				}
				return result;
			} as typeof query;
			// An append is one statement now; a compaction is still a transaction of several.
			const seq = await store.append('b1', [update('one')]);
			try {
				await expect(store.compact('b1', update('folded'), seq)).rejects.toThrow();
			} finally {
				pg.Client.prototype.query = query;
			}
			expect(killed).toBe(true);
			// The pool replaced the dead session; the board takes writes again.
			await expect(store.append('b1', [update('kept')])).resolves.toBeGreaterThan(0);
		} finally {
			await store.close();
		}
	});
});
