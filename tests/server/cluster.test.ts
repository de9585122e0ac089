/**
 * Cluster mode with real processes: relays on one PostgreSQL and one Redis, clients on different
 * relays. The board's owner serves everyone; the others forward to it (server/cluster/).
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, type TestClient } from '../helpers/clients.ts';
import { startCluster, type TestCluster } from '../helpers/cluster.ts';
import { createBoardOver } from '../helpers/relay.ts';
import { within } from '../helpers/slowdown.ts';

let cluster: TestCluster | null = null;
const clients: TestClient[] = [];

afterEach(async () => {
	for (const client of clients.splice(0)) client.destroy();
	await cluster?.close();
	cluster = null;
});

function connect(relayIndex: number, boardId: string): TestClient {
	const relay = cluster!.relays[relayIndex]!;
	const client = connectClient(`ws://127.0.0.1:${relay.port}/sync`, boardId);
	clients.push(client);
	return client;
}

const keys = (doc: Y.Doc) => [...doc.getMap<number>('t').keys()].sort();

describe('cluster mode', () => {
	it('clients on three relays edit one board and converge; presence crosses relays', async () => {
		cluster = await startCluster({ relays: 3 });
		const boardId = await createBoardOver(cluster.relays[1]!.url);
		const [a, b, c] = [connect(0, boardId), connect(1, boardId), connect(2, boardId)];
		await Promise.all([a.synced, b.synced, c.synced]);
		// One owner, whichever relay the first client reached.
		const owner = await cluster.ownerOf(boardId);
		expect(owner).toBeGreaterThanOrEqual(0);
		a.doc.getMap('t').set('from-a', 1);
		b.doc.getMap('t').set('from-b', 2);
		c.doc.getMap('t').set('from-c', 3);
		for (const client of [a, b, c]) {
			await expect
				.poll(() => keys(client.doc), { timeout: within(5000) })
				.toEqual(['from-a', 'from-b', 'from-c']);
		}
		// The other two forwarded: only the owner ever loaded the board.
		const took = cluster.relays.map((r) => r.logs.filter((l) => l.msg === 'took ownership').length);
		expect(took).toEqual([0, 1, 2].map((i) => (i === owner ? 1 : 0)));
		// Durable in PostgreSQL, as it was sent.
		expect(keys(await cluster.stored(boardId))).toEqual(['from-a', 'from-b', 'from-c']);

		// Presence set on one relay reaches clients on the others.
		b.provider.awareness.setLocalStateField('user', { name: 'Bea' });
		for (const client of [a, c]) {
			await expect
				.poll(() => client.provider.awareness.getStates().get(b.doc.clientID)?.user?.name, {
					timeout: within(5000)
				})
				.toBe('Bea');
		}
	});
});
