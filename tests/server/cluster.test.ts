/**
 * Cluster mode with real processes: relays on one PostgreSQL and one Redis, clients on different
 * relays. The board's owner serves everyone; the others forward to it (server/cluster/). The
 * failures (a killed owner, a killed relay, a paused owner, a Redis restart) are one sequence on
 * one board in cluster-chaos.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { connectClient, type TestClient } from '../helpers/clients.ts';
import { startCluster, type TestCluster } from '../helpers/cluster.ts';
import { readBoard } from '../../src/lib/model/index.ts';
import { CloseCode } from '../../src/lib/protocol/close-codes.ts';
import { apiFetch, createBoardOver, metricValue, ownerToken } from '../helpers/relay.ts';
import { within } from '../helpers/slowdown.ts';
import { startHaproxy, type Haproxy } from '../helpers/haproxy.ts';

let cluster: TestCluster | null = null;
let balancer: Haproxy | null = null;
const clients: TestClient[] = [];

afterEach(async () => {
	for (const client of clients.splice(0)) client.destroy();
	await balancer?.close();
	balancer = null;
	await cluster?.close();
	cluster = null;
});

function connect(relayIndex: number | Haproxy, boardId: string, token?: string): TestClient {
	const url =
		typeof relayIndex === 'number'
			? `ws://127.0.0.1:${cluster!.relays[relayIndex]!.port}/sync`
			: relayIndex.syncUrl;
	const client = connectClient(url, boardId, undefined, { token });
	clients.push(client);
	return client;
}

const keys = (doc: Y.Doc) => [...doc.getMap<number>('t').keys()].sort();

/**
 * A steady stream of edits: every writer sets a new key every 25 ms. An edit another client has
 * seen was broadcast by the owner, which it only does after COMMIT: it was acknowledged, and must
 * survive whatever the test does next.
 */
function editStream(boardId: string, writers: TestClient[]) {
	const acked = new Set<string>();
	writers.forEach((w, i) =>
		w.doc.getMap('t').observe((event) => {
			for (const key of event.keysChanged) if (!key.startsWith(`${i}-`)) acked.add(key);
		})
	);
	const written: string[] = [];
	let round = 0;
	const timer = setInterval(() => {
		round += 1;
		writers.forEach((w, i) => {
			w.doc.getMap('t').set(`${i}-${round}`, round);
			written.push(`${i}-${round}`);
		});
	}, 25);
	return {
		/** Resolves once `count` edits were acknowledged. */
		async warm(count: number) {
			await expect.poll(() => acked.size, { timeout: within(5000) }).toBeGreaterThan(count);
		},
		/** What was acknowledged so far, and the round the stream is at. */
		mark() {
			return { acked: [...acked], round };
		},
		/** Every edit in `acked` is in PostgreSQL. */
		async expectStored(ackedBefore: string[]) {
			const stored = new Set(keys(await cluster!.stored(boardId)));
			expect(ackedBefore.filter((k) => !stored.has(k))).toEqual([]);
		},
		/** Waits until an edit made after `round` (plus two) is acknowledged; logs how long. */
		async resumed(after: { round: number; at: number; what: string }, timeoutMs: number) {
			await expect
				.poll(() => [...acked].some((k) => Number(k.split('-')[1]) > after.round + 2), {
					timeout: within(timeoutMs),
					interval: 20
				})
				.toBe(true);
			console.log(
				`${after.what}: writes resumed after ${Math.round(performance.now() - after.at)} ms`
			);
		},
		/** Stops writing; every writer and PostgreSQL must end up with every edit ever made. */
		async stopAndConverge() {
			clearInterval(timer);
			const all = [...written].sort();
			for (const w of writers) {
				await expect.poll(() => keys(w.doc), { timeout: within(15_000) }).toEqual(all);
			}
			await expect.poll(async () => keys(await cluster!.stored(boardId))).toEqual(all);
		},
		stop: () => clearInterval(timer)
	};
}

/** Three relays behind HAProxy (docs/haproxy.cfg), one writer on each. */
async function writersBehindHaproxy() {
	cluster = await startCluster({ relays: 3 });
	balancer = await startHaproxy(
		cluster.relays.map((r) => r.port),
		{ nameRelay: true }
	);
	// Every relay passes a health check first, or a writer meant for it lands on another.
	await balancer.everyRelayServes(within(30_000));
	const boardId = await createBoardOver(balancer.url);
	// Round robin, no sticky sessions: one writer lands on each relay.
	const writers = [0, 1, 2].map(() => connect(balancer!, boardId));
	await Promise.all(writers.map((w) => w.synced));
	const connections = await Promise.all(
		cluster.relays.map(async (r) =>
			metricValue(await (await fetch(`${r.url}/metrics`)).text(), 'railyard_connections')
		)
	);
	expect(connections).toEqual([1, 1, 1]);
	return { boardId, writers };
}

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
		const roles = await Promise.all(
			cluster.relays.map(async (r) => {
				const text = await (await fetch(`${r.url}/metrics`)).text();
				return [
					metricValue(text, 'railyard_cluster_boards', { role: 'owner' }),
					metricValue(text, 'railyard_cluster_boards', { role: 'forwarding' })
				];
			})
		);
		expect(roles).toEqual([0, 1, 2].map((i) => (i === owner ? [1, 0] : [0, 1])));
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

	it('SIGTERM the owner (a deploy): the board is handed over at once, nothing is lost', async () => {
		const { boardId, writers } = await writersBehindHaproxy();
		const stream = editStream(boardId, writers);
		try {
			await stream.warm(30);
			const owner = await cluster!.ownerOf(boardId);
			const stopped = cluster!.relays[owner]!.stop();
			const before = { ...stream.mark(), at: performance.now(), what: 'owner stopped' };
			expect(await stopped).toBe(0);
			await stream.resumed(before, 10_000);
			expect(await cluster!.ownerOf(boardId)).not.toBe(owner);
			await stream.expectStored(before.acked);
			// It gave the board up (its lease released) rather than letting it expire. (Its last log
			// lines may still be on their way through the pipe when the exit is seen.)
			const logs = cluster!.relays[owner]!.logs;
			await expect
				.poll(() => logs.some((l) => l.msg === 'gave up ownership'), { timeout: within(5000) })
				.toBe(true);
		} finally {
			stream.stop();
		}
		await stream.stopAndConverge();
	}, 40_000);

	it('a revocation and a board deletion made on one relay close the sockets on the others', async () => {
		cluster = await startCluster({ relays: 3 });
		const api = cluster.relays[0]!.url;
		const boardId = await createBoardOver(api);
		const shared = await apiFetch(api, `/api/boards/${boardId}/links`, {
			method: 'POST',
			token: ownerToken(boardId),
			body: JSON.stringify({ role: 'editor' })
		});
		const { link, token } = (await shared.json()) as { link: { id: string }; token: string };
		const owner = connect(0, boardId);
		const editor = connect(1, boardId, token);
		const other = connect(2, boardId);
		await Promise.all([owner.synced, editor.synced, other.synced]);
		// The close code each client got last (a stock client gives up on 44xx, so it stays).
		const closes = new Map<TestClient, number>();
		for (const client of [owner, editor, other]) {
			client.provider.on('connection-close', (event) => {
				if (event) closes.set(client, event.code);
			});
		}

		const revoked = await apiFetch(api, `/api/boards/${boardId}/links/${link.id}`, {
			method: 'DELETE',
			token: ownerToken(boardId)
		});
		expect(revoked.status).toBe(200);
		await expect
			.poll(() => closes.get(editor), { timeout: within(5000) })
			.toBe(CloseCode.LINK_REVOKED);

		const deleted = await apiFetch(api, `/api/boards/${boardId}`, {
			method: 'DELETE',
			token: ownerToken(boardId)
		});
		expect(deleted.status).toBe(200);
		await expect
			.poll(() => closes.get(other), { timeout: within(5000) })
			.toBe(CloseCode.BOARD_GONE);
	}, 30_000);

	it('the last outbox entry before a board goes quiet, lost, still reaches the other relay’s client', async () => {
		// Every 2nd entry the owner numbers is never appended. A reader finds a lost entry only by
		// a later number, so each edit below, made only once the one before it has arrived, may be
		// the last entry for a while: before the owner's tip (TIP_AFTER_MS) it waited for the
		// next awareness renewal, 15 s on.
		cluster = await startCluster({ relays: 2, env: { RAILYARD_TEST_LOSE_OUTBOX: '2' } });
		const boardId = await createBoardOver(cluster.relays[0]!.url);
		const writer = connect(0, boardId);
		await writer.synced;
		expect(await cluster.ownerOf(boardId)).toBe(0);
		const reader = connect(1, boardId);
		await reader.synced;
		for (let i = 0; i < 4; i++) {
			writer.doc.getMap('t').set(`quiet-${i}`, i);
			await expect
				.poll(() => keys(reader.doc), { timeout: within(8_000), interval: 50 })
				.toContain(`quiet-${i}`);
		}
	}, 60_000);

	it('a relay that misses outbox entries fills the gaps from the stream and the database: no client reconnects', async () => {
		// Test seams (server/cluster/open.ts): every 4th outbox entry a forwarding relay reads is
		// skipped by its reader (Redis still has it), and every 9th entry the owner numbers is never
		// appended (as if XADD had failed: only PostgreSQL has what it carried).
		cluster = await startCluster({
			relays: 2,
			env: { RAILYARD_TEST_DROP_OUTBOX: '4', RAILYARD_TEST_LOSE_OUTBOX: '9' }
		});
		const boardId = await createBoardOver(cluster.relays[0]!.url);
		const first = connect(0, boardId);
		await first.synced;
		expect(await cluster.ownerOf(boardId)).toBe(0);
		const writers = [first, connect(1, boardId), connect(1, boardId)];
		await Promise.all(writers.map((w) => w.synced));
		let reconnects = 0;
		for (const w of writers) w.provider.on('connection-close', () => (reconnects += 1));
		writers.forEach((w, i) => w.provider.awareness.setLocalStateField('user', { name: `w${i}` }));
		const stream = editStream(boardId, writers);
		await stream.warm(60);
		await stream.stopAndConverge();
		const forwarder = cluster.relays[1]!.logs;
		const filled = (from: string) =>
			forwarder.filter((l) => l.msg === `gap in the owner stream filled from the ${from}`).length;
		console.log(
			`gaps filled: ${filled('stream')} from the stream, ${filled('database')} from the database`
		);
		expect(filled('stream')).toBeGreaterThan(0);
		expect(filled('database')).toBeGreaterThan(0);
		expect(forwarder.filter((l) => l.code === CloseCode.BOARD_MOVED)).toEqual([]);
		expect(reconnects).toBe(0);
	}, 40_000);

	it('a CSV import through a relay that does not own the board is applied by the owner, durably', async () => {
		cluster = await startCluster({ relays: 2 });
		const boardId = await createBoardOver(cluster.relays[0]!.url, 'sample');
		const watcher = connect(0, boardId);
		await watcher.synced;
		expect(await cluster.ownerOf(boardId)).toBe(0);
		const program = readBoard(watcher.doc).programs[0]!.name;
		const file = [
			'Program,Lane,Period,Card,Kind',
			`${program},Imported lane,Q1 2027,Via B,milestone`
		];
		const res = await apiFetch(cluster.relays[1]!.url, `/api/boards/${boardId}/import`, {
			method: 'POST',
			token: ownerToken(boardId),
			body: file.join('\r\n'),
			headers: { 'content-type': 'text/csv; charset=utf-8' }
		});
		expect(res.status).toBe(200);
		// Durable when answered: PostgreSQL holds it already.
		const stored = readBoard(await cluster.stored(boardId));
		expect(stored.programs[0]!.lanes.map((l) => l.name)).toContain('Imported lane');
		await expect
			.poll(() => readBoard(watcher.doc).programs[0]!.lanes.map((l) => l.name))
			.toContain('Imported lane');
	}, 30_000);
});
