/**
 * The cluster chaos test (issue 16): one board, one sequence of failures, real processes all the
 * way — three relays behind HAProxy started from docs/haproxy.cfg, the test PostgreSQL, and a
 * redis-server of the test's own (so it can be killed and started again). Stock y-websocket
 * clients reach the relays through HAProxy (round robin, no sticky sessions) and keep adding and
 * moving cards with the model's own operations while, in turn:
 *
 *   1. the board's owner is killed (SIGKILL) in the middle of a burst of edits;
 *   2. another relay is killed (SIGKILL);
 *   3. the owner is paused (SIGSTOP) for 8 s, then resumed (SIGCONT);
 *   4. Redis is killed and started again, empty.
 *
 * A killed relay is started again on its port afterwards, so the next step has three relays again.
 * After each step: every card any client saw from another client (the owner broadcasts only after
 * COMMIT: acknowledged) was in PostgreSQL the moment the failure happened; once the edits pause,
 * every client and PostgreSQL hold the same board, with every card ever created placed exactly
 * once; and a client of a dead relay that does not come back is gone from everyone's presence
 * within 6 s. After step 3, the paused owner wrote no row once it resumed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { connectClient, type TestClient } from '../helpers/clients.ts';
import {
	startCluster,
	startPrivateRedis,
	type PrivateRedis,
	type TestCluster
} from '../helpers/cluster.ts';
import { startHaproxy, type Haproxy } from '../helpers/haproxy.ts';
import { createBoardOver, metricValue } from '../helpers/relay.ts';
import { within } from '../helpers/slowdown.ts';
import { createCard, moveCard, readBoard } from '../../src/lib/model/index.ts';

/** Writers through HAProxy; one more is pinned to each relay. */
const WRITERS = 6;
/** Each writer adds one card and moves one every TICK_MS. */
const TICK_MS = 200;
/** No presence of a dead relay's clients may be left after this long. */
const GHOST_MS = 6000;
const PAUSE_MS = 8000;

let cluster: TestCluster | null = null;
let balancer: Haproxy | null = null;
let redis: PrivateRedis | null = null;
const clients: TestClient[] = [];

afterEach(async () => {
	for (const client of clients.splice(0)) client.destroy();
	await balancer?.close();
	balancer = null;
	await cluster?.close();
	cluster = null;
	await redis?.close();
	redis = null;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every card placed on the board, by id, as often as it is placed (once, if all is well). */
function placedCards(doc: Y.Doc): string[] {
	const board = readBoard(doc);
	const ids: string[] = [];
	for (const program of board.programs) {
		for (const lane of program.lanes) {
			for (const cards of Object.values(lane.cells)) for (const card of cards) ids.push(card.id);
		}
	}
	for (const card of board.orphans.cards) ids.push(card.id);
	return ids.sort();
}

/** The board as a stable string: equal boards, equal strings (readBoard is deterministic). */
const boardText = (doc: Y.Doc) => JSON.stringify(readBoard(doc));

async function relayConnections(): Promise<number[]> {
	return Promise.all(
		cluster!.relays.map(async (r) => {
			if (r.exited) return -1;
			const text = await (await fetch(`${r.url}/metrics`)).text();
			return metricValue(text, 'railyard_connections');
		})
	);
}

describe('cluster chaos', () => {
	it(
		'one board through a killed owner, a killed relay, a paused owner and a Redis restart',
		async () => {
			const started = performance.now();
			const log = (what: string) =>
				console.log(`[chaos ${((performance.now() - started) / 1000).toFixed(1)} s] ${what}`);
			redis = await startPrivateRedis();
			cluster = await startCluster({ relays: 3, redisUrl: redis.url });
			const c = cluster;
			balancer = await startHaproxy(
				c.relays.map((r) => r.port),
				{ nameRelay: true }
			);
			const boardId = await createBoardOver(balancer.url, 'sample');

			// HAProxy has seen every relay pass a health check.
			await balancer.everyRelayServes(within(30_000));
			const writers: TestClient[] = [];
			for (let i = 0; i < WRITERS; i++) {
				const client = connectClient(balancer.syncUrl, boardId);
				clients.push(client);
				writers.push(client);
				await client.synced;
			}
			// Round robin, no sticky sessions: the writers are spread over the three relays.
			const spread = await relayConnections();
			log(`writers per relay through HAProxy: ${spread.join(', ')}`);
			expect(spread.every((count) => count >= 1)).toBe(true);
			// And one writer pinned to each relay (a client given one relay's address): it comes back to
			// its relay when that restarts, so every step finds writers on every relay, whichever
			// relays HAProxy handed the others to on their reconnects.
			for (const relay of c.relays) {
				const client = connectClient(`ws://127.0.0.1:${relay.port}/sync`, boardId);
				clients.push(client);
				writers.push(client);
				await client.synced;
			}
			writers.forEach((w, i) => w.provider.awareness.setLocalStateField('user', { name: `w${i}` }));

			const sample = readBoard(writers[0]!.doc);
			const lanes = sample.programs.flatMap((p) => p.lanes.map((l) => l.id));
			const periods = sample.periods.map((p) => p.id);
			const before = new Set(placedCards(writers[0]!.doc));

			// Card ids are `w<writer>n<k>`. A card is acknowledged once a client other than its writer
			// has it: the owner sent it on, which it does only after COMMIT.
			const created: string[] = [];
			const acked = new Set<string>();
			writers.forEach((w, i) =>
				w.doc.getMap('cards').observe((event) => {
					for (const [key, change] of event.changes.keys) {
						if (change.action === 'add' && !key.startsWith(`w${i}n`) && !before.has(key)) {
							acked.add(key);
						}
					}
				})
			);
			let n = 0;
			let writing = true;
			const write = (i: number) => {
				const doc = writers[i]!.doc;
				const id = `w${i}n${++n}`;
				createCard(doc, {
					id,
					laneId: lanes[n % lanes.length]!,
					periodId: periods[n % periods.length]!,
					title: `Card ${id}`
				});
				created.push(id);
				// And move some card this writer has (its own or another's) to another cell.
				const cards = doc.getMap('cards');
				const other = created[Math.floor(Math.random() * created.length)]!;
				if (cards.has(other)) {
					moveCard(doc, {
						id: other,
						laneId: lanes[(n * 7) % lanes.length]!,
						periodId: periods[(n * 3) % periods.length]!,
						index: 0
					});
				}
			};
			const timer = setInterval(() => {
				if (writing) for (let i = 0; i < writers.length; i++) write(i);
			}, TICK_MS);

			/** Every card acknowledged by now is in PostgreSQL now. */
			async function ackedAreStored(what: string) {
				const snapshot = [...acked];
				const stored = new Set(placedCards(await c.stored(boardId)));
				expect(snapshot.length).toBeGreaterThan(0);
				expect(
					snapshot.filter((id) => !stored.has(id)),
					`${what}: acknowledged but not durable`
				).toEqual([]);
			}

			/** Waits until a card created after now is acknowledged; returns how long that took. */
			async function writesResume(what: string): Promise<number> {
				const from = performance.now();
				const after = n;
				await expect
					.poll(() => [...acked].some((id) => Number(id.split('n')[1]) > after + writers.length), {
						timeout: within(15_000),
						interval: 20
					})
					.toBe(true);
				const ms = performance.now() - from;
				log(`${what}: writes resumed after ${Math.round(ms)} ms`);
				return ms;
			}

			/**
			 * Pauses the edits; every client and PostgreSQL converge on one board holding every card
			 * ever created exactly once; then the edits go on.
			 */
			async function converged(what: string) {
				writing = false;
				const want = [...before, ...created].sort();
				await expect
					.poll(() => new Set(writers.map((w) => boardText(w.doc))).size, {
						timeout: within(20_000),
						interval: 100
					})
					.toBe(1);
				const text = boardText(writers[0]!.doc);
				expect(placedCards(writers[0]!.doc), `${what}: cards lost or duplicated`).toEqual(want);
				await expect
					.poll(async () => boardText(await c.stored(boardId)), { timeout: within(5000) })
					.toBe(text);
				log(`${what}: ${writers.length} clients and PostgreSQL hold the same ${want.length} cards`);
				writing = true;
			}

			/** A client straight on relay `index` with a presence of its own, seen by every writer. */
			async function probeOn(index: number): Promise<TestClient> {
				const probe = connectClient(`ws://127.0.0.1:${c.relays[index]!.port}/sync`, boardId);
				clients.push(probe);
				await probe.synced;
				probe.provider.awareness.setLocalStateField('user', { name: `probe-${index}` });
				for (const w of writers) {
					await expect
						.poll(() => w.provider.awareness.getStates().has(probe.doc.clientID), {
							timeout: within(10_000)
						})
						.toBe(true);
				}
				return probe;
			}

			/** The probe's relay died and the probe never comes back: no writer shows it after 6 s. */
			async function noGhost(probe: TestClient, diedAt: number, what: string) {
				probe.destroy();
				const left = () => Math.max(1, within(GHOST_MS) - (performance.now() - diedAt));
				for (const w of writers) {
					await expect
						.poll(() => w.provider.awareness.getStates().has(probe.doc.clientID), {
							timeout: left(),
							interval: 50
						})
						.toBe(false);
				}
				log(
					`${what}: its client's presence gone everywhere after ${Math.round(performance.now() - diedAt)} ms`
				);
			}

			async function currentOwner(): Promise<number> {
				let owner = -1;
				await expect
					.poll(async () => (owner = await c.ownerOf(boardId)), { timeout: within(10_000) })
					.toBeGreaterThanOrEqual(0);
				return owner;
			}

			const rowsWithEpochAtMost = async (epoch: number) => {
				const { rows } = await c.db.query(
					`SELECT count(*) AS n FROM ${c.schema}.updates WHERE board_id = $1 AND epoch <= $2`,
					[boardId, epoch]
				);
				return Number(rows[0].n);
			};

			try {
				await expect.poll(() => acked.size, { timeout: within(10_000) }).toBeGreaterThan(30);
				await converged('start');

				// 1. SIGKILL the owner in the middle of a burst.
				{
					const owner = await currentOwner();
					const probe = await probeOn(owner);
					const port = c.relays[owner]!.port;
					for (let k = 0; k < 5; k++) for (let i = 0; i < writers.length; i++) write(i);
					await sleep(5);
					await c.relays[owner]!.kill('SIGKILL');
					const diedAt = performance.now();
					log(`killed the owner (relay ${c.names[owner]}) mid-burst`);
					await ackedAreStored('owner killed');
					await Promise.all([writesResume('owner killed'), noGhost(probe, diedAt, 'owner killed')]);
					expect(await c.ownerOf(boardId)).not.toBe(owner);
					await c.start(owner, port);
					await converged('owner killed');
				}

				// 2. SIGKILL a relay that does not own the board.
				{
					const owner = await currentOwner();
					const other = [0, 1, 2].find((i) => i !== owner)!;
					const probe = await probeOn(other);
					const port = c.relays[other]!.port;
					await c.relays[other]!.kill('SIGKILL');
					const diedAt = performance.now();
					log(`killed relay ${c.names[other]} (not the owner)`);
					await ackedAreStored('relay killed');
					await Promise.all([writesResume('relay killed'), noGhost(probe, diedAt, 'relay killed')]);
					await c.start(other, port);
					await converged('relay killed');
				}

				// 3. SIGSTOP the owner for 8 s, then SIGCONT: fenced by its epoch, it writes nothing.
				{
					const owner = await currentOwner();
					const oldEpoch = await c.epoch(boardId);
					c.relays[owner]!.signal('SIGSTOP');
					const stoppedAt = performance.now();
					log(`paused the owner (relay ${c.names[owner]})`);
					await ackedAreStored('owner paused');
					await writesResume('owner paused');
					expect(await c.ownerOf(boardId)).not.toBe(owner);
					expect(await c.epoch(boardId)).toBeGreaterThan(oldEpoch);
					await sleep(Math.max(0, PAUSE_MS - (performance.now() - stoppedAt)));
					const fencedRows = await rowsWithEpochAtMost(oldEpoch);
					c.relays[owner]!.signal('SIGCONT');
					log(
						`resumed relay ${c.names[owner]} after ${Math.round(performance.now() - stoppedAt)} ms`
					);
					// It finds its lease gone (or its commit refused) and steps down.
					await expect
						.poll(
							() =>
								c.relays[owner]!.logs.some((l) =>
									['stepping down', 'gave up ownership'].some((m) => String(l.msg).includes(m))
								),
							{ timeout: within(10_000) }
						)
						.toBe(true);
					await converged('owner paused and resumed');
					expect(await rowsWithEpochAtMost(oldEpoch), 'rows written by the resumed owner').toBe(
						fencedRows
					);
					// Refused, not crashed: a session PostgreSQL ended under the paused relay is an error
					// for that write alone (postgres-session.test.ts), and the relay keeps serving.
					expect(c.relays[owner]!.exited, 'the resumed relay is still running').toBe(false);
				}

				// 4. Redis dies (everything in it is lost) and comes back empty.
				{
					await redis.kill();
					log('killed Redis');
					await ackedAreStored('redis killed');
					await sleep(500);
					await redis.restart();
					log('Redis started again, empty');
					await writesResume('redis restarted');
					await converged('redis restarted');
				}
			} finally {
				clearInterval(timer);
			}
			log(`${created.length} cards created, ${acked.size} acknowledgements seen`);
		},
		within(180_000)
	);
});
