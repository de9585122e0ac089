/**
 * `npm run bench:cluster`: the same board workload on one embedded relay (SQLite), on one relay
 * in cluster mode (PostgreSQL + Redis), and on three relays in cluster mode behind HAProxy
 * (docs/haproxy.cfg, round robin, no sticky sessions). Relays are real processes
 * (tests/helpers/cluster.ts); the clients are in this process.
 *
 * Each client (a protocol-faithful raw client, raw-client.ts: it does not apply the board, so the
 * figures are the relays', not this process's) joins — all at once — a board seeded with the
 * benchmark board (BENCH_CARDS cards, fixture.ts, each card's title then written out to 300
 * characters and its owner to 120, so 1,500 cards make about 2 MB), then every second writes one map entry (an edit
 * the size of a card move) and moves its cursor (presence). Acknowledgement is the echo of its own
 * edit (sent only once durable); delivery is from the write to each other client receiving it,
 * split by whether the two clients are on the same relay (HAProxy names the relay it chose in a
 * response header the test configuration adds); undelivered counts deliveries that never came.
 *
 * Then the owner's failover is timed (failovers(), below).
 *
 * Environment: BENCH_CLIENTS (150), BENCH_SECONDS (15), BENCH_CARDS (1500), BENCH_RUNS (1),
 * BENCH_FAILOVERS (5), BENCH_ONLY (labels' first words, comma-separated: one,cluster,three).
 * RAILYARD_TEST_DATABASE_URL / RAILYARD_TEST_REDIS_URL as for the tests.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { connectClient, type TestClient } from '../helpers/clients.ts';
import { startCluster, type TestCluster } from '../helpers/cluster.ts';
import { startHaproxy } from '../helpers/haproxy.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { updateCard } from '../../src/lib/model/index.ts';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import { createBoardOver, metricValue, ownerToken } from '../helpers/relay.ts';
import { encodeUpdate } from '../../server/sync/protocol.ts';
import { loadBoard } from './fixture.ts';
import { cpuSeconds } from './proc-stats.ts';
import { presenceFrame, rawJoin, type RawJoin } from './raw-client.ts';
import { median, percentile } from './stats.ts';

function envInt(name: string, fallback: number): number {
	const value = Number(process.env[name]);
	return Number.isInteger(value) && value > 0 ? value : fallback;
}

const CLIENTS = envInt('BENCH_CLIENTS', 150);
const SECONDS = envInt('BENCH_SECONDS', 15);
const CARDS = envInt('BENCH_CARDS', 1500);
const RUNS = envInt('BENCH_RUNS', 1);
const FAILOVERS = envInt('BENCH_FAILOVERS', 5);
const LIMITS = {
	MAX_CONNECTIONS_PER_IP: String(CLIENTS + 10),
	MAX_CONNECTIONS_PER_ROOM: String(CLIENTS + 10),
	LOG_LEVEL: 'info'
};

interface Figures {
	joinP50: number;
	joinP99: number;
	ackP50: number;
	ackP99: number;
	sameP50: number;
	sameP99: number;
	crossP50: number;
	crossP99: number;
	undelivered: number;
	expected: number;
	cpu: number;
	/** Durable appends (group commits) during the workload, and their mean time. */
	commits: number;
	commitMs: number;
}

interface Setup {
	label: string;
	key: string;
	start(): Promise<{ relays: RelayProcess[]; syncUrl?: string; close(): Promise<void> }>;
}

const SETUPS: Setup[] = [
	{
		label: 'one relay, embedded (SQLite)',
		key: 'one',
		async start() {
			const relay = await startRelayProcess({ env: LIMITS });
			return { relays: [relay], close: () => relay.kill() };
		}
	},
	{
		label: 'one relay, cluster mode',
		key: 'cluster',
		async start() {
			const c = await startCluster({ relays: 1, leaseMs: 3000, env: LIMITS });
			return { relays: c.relays, close: () => c.close() };
		}
	},
	{
		label: 'three relays, cluster mode, HAProxy',
		key: 'three',
		async start() {
			const c = await startCluster({ relays: 3, leaseMs: 3000, env: LIMITS });
			const proxy = await startHaproxy(
				c.relays.map((r) => r.port),
				{ nameRelay: true }
			);
			// Every relay passes a health check before the clients come.
			await proxy.everyRelayServes();
			return {
				relays: c.relays,
				syncUrl: proxy.syncUrl,
				async close() {
					await proxy.close();
					await c.close();
				}
			};
		}
	}
].filter((s) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(',').includes(s.key));

/**
 * The benchmark board with each card's title written out to 300 characters and its owner field
 * to 120 (mostly CJK, three bytes a character): about 2 MB for 1,500 cards. Cached like
 * fixture.ts's.
 */
function loadLargeBoard(cards: number): Uint8Array {
	const file = path.join(os.tmpdir(), `railyard-bench-cluster-board-v2-${cards}.bin`);
	if (fs.existsSync(file)) return new Uint8Array(fs.readFileSync(file));
	const doc = new Y.Doc();
	Y.applyUpdate(doc, loadBoard({ cards }).update);
	const filler = '計画の詳細と依存関係、リスク、担当者のメモ。';
	let i = 0;
	for (const id of doc.getMap('cards').keys()) {
		const title = `Card ${++i}: ${filler.repeat(20)}`.slice(0, 300);
		const owner = `${filler.repeat(10)}`.slice(0, 120);
		updateCard(doc, { id, title, owner, origin: 'seed' });
	}
	const update = Y.encodeStateAsUpdate(doc);
	fs.writeFileSync(`${file}.tmp`, update);
	fs.renameSync(`${file}.tmp`, file);
	return update;
}

/** Pushes the benchmark board into the empty board and waits for its echo (it is stored then). */
async function seed(url: string, boardId: string, update: Uint8Array): Promise<void> {
	const ws = new WebSocket(
		`${url.replace('http', 'ws')}/sync/${boardId}?token=${encodeURIComponent(ownerToken(boardId))}`
	);
	await new Promise<void>((resolve, reject) => {
		setTimeout(() => reject(new Error('seeding the board took over 60 s')), 60_000).unref();
		ws.on('open', () => ws.send(encodeUpdate(update)));
		ws.on('message', (data: Buffer) => {
			if (data[0] === 0 && data[1] === 2 && data.length > update.length / 2) resolve();
		});
		ws.on('error', reject);
		ws.on('close', (code, reason) =>
			reject(new Error(`seeding the board: closed with ${code} ${reason.toString()}`))
		);
	});
	ws.close();
}

/** The keys (and nothing else) of the map entries an update writes. */
function keysIn(update: Uint8Array): string[] {
	const keys: string[] = [];
	for (const struct of Y.decodeUpdate(update).structs) {
		if (struct instanceof Y.Item && typeof struct.parentSub === 'string')
			keys.push(struct.parentSub);
	}
	return keys;
}

/** Every relay's durable appends so far: how many, and the seconds they took. */
async function appends(relays: RelayProcess[]): Promise<{ count: number; seconds: number }> {
	let count = 0;
	let seconds = 0;
	for (const relay of relays) {
		const text = await (await fetch(`${relay.url}/metrics`)).text();
		count += metricValue(text, 'railyard_store_append_seconds_count');
		seconds += metricValue(text, 'railyard_store_append_seconds_sum');
	}
	return { count, seconds };
}

async function measure(setup: Setup, board: Uint8Array): Promise<Figures> {
	const { relays, syncUrl, close } = await setup.start();
	const clients: RawJoin[] = [];
	try {
		const boardId = await createBoardOver(relays[0]!.url);
		await seed(relays[0]!.url, boardId, board);
		// Which relay each client is on: round robin when connecting directly; behind HAProxy, the
		// relay it chose (named in the upgrade response).
		const on: number[] = [];
		const relayOf = (i: number) => on[i] ?? i % relays.length;
		const token = encodeURIComponent(ownerToken(boardId));
		// Each broadcast reaches every client as the same bytes: read its keys once.
		const keysCache = new Map<string, string[]>();
		const keysOf = (update: Uint8Array) => {
			const k = Buffer.from(update.buffer, update.byteOffset, update.byteLength).toString('latin1');
			let keys = keysCache.get(k);
			if (!keys) {
				if (keysCache.size > 20_000) keysCache.clear();
				keys = keysIn(update);
				keysCache.set(k, keys);
			}
			return keys;
		};
		const sentAt = new Map<string, number>();
		const same: number[] = [];
		const cross: number[] = [];
		const acks: number[] = [];
		let delivered = 0;
		const started = performance.now();
		for (let i = 0; i < CLIENTS; i++) {
			const base = syncUrl ?? `ws://127.0.0.1:${relays[i % relays.length]!.port}/sync`;
			const url = `${base}/${boardId}?token=${token}`;
			clients.push(
				rawJoin({
					url,
					echoAwareness: true,
					onMessage(message, at) {
						if (message.type !== 'update') return;
						for (const key of keysOf(message.update)) {
							const sent = sentAt.get(key);
							if (sent === undefined) continue;
							const writer = Number(key.split('-')[0]);
							// The echo to the sender is its acknowledgement: the edit is durable.
							if (writer === i) acks.push(at - sent);
							else {
								(relayOf(writer) === relayOf(i) ? same : cross).push(at - sent);
								delivered += 1;
							}
						}
					}
				})
			);
		}
		clients.forEach((client, i) =>
			client.ws.once('upgrade', (res) => {
				const name = String(res.headers['x-railyard-relay'] ?? '');
				const index = Number(name.replace('relay-', '')) - 1;
				if (index >= 0) on[i] = index;
			})
		);
		const joins = (await Promise.all(clients.map((c) => c.synced))).map((s) => s.at - started);
		if (syncUrl && on.filter((i) => i !== undefined).length !== CLIENTS) {
			throw new Error('HAProxy did not name the relay of every client');
		}

		const cpuBefore = relays.reduce((sum, r) => sum + cpuSeconds(r.pid), 0);
		const appendsBefore = await appends(relays);
		let written = 0;
		const timers = clients.map((client, i) => {
			// Each client's own edits, in a doc of its own: valid updates to the board's 'bench' map.
			const own = new Y.Doc();
			own.on('update', (update: Uint8Array) => client.ws.send(encodeUpdate(update)));
			let n = 0;
			const write = () => {
				if (client.ws.readyState !== client.ws.OPEN) return;
				n += 1;
				const key = `${i}-${n}`;
				written += 1;
				sentAt.set(key, performance.now());
				own.getMap<number>('bench').set(key, n);
				client.ws.send(presenceFrame(own.clientID, n + 1, { cursor: { x: n, y: i } }));
			};
			// Spread over the second, as people are.
			let timer: NodeJS.Timeout = setTimeout(() => {
				write();
				timer = setInterval(write, 1000);
			}, Math.random() * 1000);
			return () => clearTimeout(timer);
		});
		await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
		for (const stop of timers) stop();
		// Drain: what has not arrived 3 s after the last write counts as undelivered.
		await new Promise((resolve) => setTimeout(resolve, 3000));
		const cpu = relays.reduce((sum, r) => sum + cpuSeconds(r.pid), 0) - cpuBefore;
		const appendsAfter = await appends(relays);
		const commits = appendsAfter.count - appendsBefore.count;
		return {
			joinP50: percentile(joins, 50),
			joinP99: percentile(joins, 99),
			ackP50: percentile(acks, 50),
			ackP99: percentile(acks, 99),
			sameP50: percentile(same, 50),
			sameP99: percentile(same, 99),
			crossP50: percentile(cross, 50),
			crossP99: percentile(cross, 99),
			undelivered: written * (CLIENTS - 1) - delivered,
			expected: written * (CLIENTS - 1),
			cpu,
			commits,
			commitMs: commits ? ((appendsAfter.seconds - appendsBefore.seconds) / commits) * 1000 : NaN
		};
	} finally {
		for (const client of clients) client.close();
		await close();
	}
}

/**
 * Owner failover behind HAProxy (docs/haproxy.cfg), with the default lease: three relays, three
 * stock clients editing every 50 ms; the owner is killed (SIGKILL) FAILOVERS times, each time
 * timed until an edit made after the kill reaches another client, then restarted on its port.
 */
async function failovers(): Promise<number[]> {
	const c = await startCluster({ relays: 3, leaseMs: 3000, env: LIMITS });
	const proxy = await startHaproxy(c.relays.map((r) => r.port));
	const clients: TestClient[] = [];
	const times: number[] = [];
	try {
		const boardId = await createBoardOver(proxy.url);
		for (let i = 0; i < 3; i++) clients.push(connectClient(proxy.syncUrl, boardId));
		await Promise.all(clients.map((client) => client.synced));
		// The newest edit of another client each one has seen.
		let round = 0;
		const seen = clients.map(() => 0);
		clients.forEach((client, i) =>
			client.doc.getMap<number>('t').observe((event) => {
				for (const key of event.keysChanged) {
					const [writer, n] = key.split('-').map(Number);
					if (writer !== i) seen[i] = Math.max(seen[i]!, n!);
				}
			})
		);
		const timer = setInterval(() => {
			round += 1;
			clients.forEach((client, i) => client.doc.getMap<number>('t').set(`${i}-${round}`, round));
		}, 50);
		try {
			for (let k = 0; k < FAILOVERS; k++) {
				const owner = await ownerIndex(c, boardId);
				const port = c.relays[owner]!.port;
				await c.relays[owner]!.kill('SIGKILL');
				const killedAt = performance.now();
				const after = round + 1;
				while (Math.max(...seen) <= after) {
					if (performance.now() - killedAt > 30_000) throw new Error('writes did not resume');
					await new Promise((resolve) => setTimeout(resolve, 10));
				}
				times.push(performance.now() - killedAt);
				await c.start(owner, port);
				await new Promise((resolve) => setTimeout(resolve, 1000));
			}
		} finally {
			clearInterval(timer);
		}
	} finally {
		for (const client of clients) client.destroy();
		await proxy.close();
		await c.close();
	}
	return times;
}

async function ownerIndex(c: TestCluster, boardId: string): Promise<number> {
	for (;;) {
		const owner = await c.ownerOf(boardId);
		if (owner >= 0) return owner;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

const update = loadLargeBoard(CARDS);
console.log(
	`bench:cluster — ${CLIENTS} clients, ${SECONDS} s, one edit + one presence change per client per second, ` +
		`board of ${CARDS} cards (${(update.length / 1024 / 1024).toFixed(2)} MB), ${RUNS} run(s), medians\n`
);
const rows: string[] = [];
for (const setup of SETUPS) {
	const runs: Figures[] = [];
	for (let run = 0; run < RUNS; run++) runs.push(await measure(setup, update));
	const m = (pick: (f: Figures) => number) => median(runs.map(pick));
	rows.push(
		`| ${setup.label} | ${fmt(
			m((f) => f.joinP50),
			0
		)} / ${fmt(
			m((f) => f.joinP99),
			0
		)} | ` +
			`${fmt(m((f) => f.ackP50))} / ${fmt(m((f) => f.ackP99))} | ` +
			`${fmt(m((f) => f.sameP50))} / ${fmt(m((f) => f.sameP99))} | ` +
			`${fmt(m((f) => f.crossP50))} / ${fmt(m((f) => f.crossP99))} | ` +
			`${m((f) => f.undelivered)} of ${m((f) => f.expected)} | ${fmt(
				m((f) => f.cpu),
				2
			)} s | ${m((f) => f.commits)} / ${fmt(m((f) => f.commitMs))} ms |`
	);
	console.log(`${setup.label}: done`);
}
console.log(
	'\n| Setup | join p50 / p99 (ms) | ack (durable) p50 / p99 (ms) | delivery, same relay p50 / p99 (ms) | delivery, other relay p50 / p99 (ms) | undelivered | relays CPU | commits / mean commit |'
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) console.log(row);

const times = await failovers();
console.log(
	`\nOwner failover (SIGKILL) behind HAProxy, lease 3 s, until writes resume, ${times.length} times: ` +
		`p50 ${fmt(percentile(times, 50) / 1000, 2)} s, max ${fmt(Math.max(...times) / 1000, 2)} s ` +
		`(${times.map((t) => (t / 1000).toFixed(2)).join(', ')})`
);
process.exit(0);
