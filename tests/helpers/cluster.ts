/**
 * Several relay processes (node server/index.ts) in cluster mode on the test PostgreSQL and
 * Redis, for tests that kill, pause and resume them. Each cluster gets a PostgreSQL schema and a
 * Redis key prefix of its own, and close() removes both, and stops only the processes it started.
 *
 * RAILYARD_TEST_DATABASE_URL / RAILYARD_TEST_REDIS_URL (scripts/railyard.sh sets them) say where
 * the servers are; unreachable ones fail the test with the address tried, never skip it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import * as Y from 'yjs';
import { freePort, waitForPort } from './ports.ts';
import { startRelayProcess, type RelayProcess } from './relay-process.ts';

export const TEST_DATABASE_URL =
	process.env.RAILYARD_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.RAILYARD_TEST_REDIS_URL || 'redis://127.0.0.1:6379';

export interface TestCluster {
	relays: RelayProcess[];
	/** Node ids, in the order of `relays` ('a', 'b', ...). */
	names: string[];
	prefix: string;
	schema: string;
	/** For the test's own queries. */
	db: pg.Pool;
	redis: Redis;
	/**
	 * Starts another relay (or restarts the one at `index`) on the same stores; on `port` when
	 * given (a restarted relay back where the load balancer expects it).
	 */
	start(index: number, port?: number): Promise<RelayProcess>;
	/** The index in `relays` of the board's owner now, or -1 when nobody holds its lease. */
	ownerOf(boardId: string): Promise<number>;
	/** The board's epoch in PostgreSQL. */
	epoch(boardId: string): Promise<number>;
	/** The board as PostgreSQL holds it, replayed into a doc. */
	stored(boardId: string): Promise<Y.Doc>;
	close(): Promise<void>;
}

/**
 * What makes a relay a cluster member, as the tests start it: compose.yaml must set the same
 * (tests/server/deployment.test.ts checks it).
 */
export function clusterRelayEnv(opts: {
	databaseUrl: string;
	redisUrl: string;
	nodeId: string;
	secret: string;
}): Record<string, string> {
	return {
		DATABASE_URL: opts.databaseUrl,
		REDIS_URL: opts.redisUrl,
		RAILYARD_NODE_ID: opts.nodeId,
		RAILYARD_SECRET: opts.secret
	};
}

export async function startCluster(opts: {
	relays: number;
	leaseMs?: number;
	env?: Record<string, string>;
	/** Another Redis than the test one (a private server the test restarts). */
	redisUrl?: string;
}): Promise<TestCluster> {
	const redisUrl = opts.redisUrl ?? TEST_REDIS_URL;
	const id = crypto.randomBytes(5).toString('hex');
	const schema = `cluster_${id}`;
	const prefix = `rytest:${id}`;
	const db = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2 });
	db.on('error', () => {});
	await db.query(`CREATE SCHEMA ${schema}`);
	const redis = new Redis(redisUrl, { protocol: 2, lazyConnect: true, maxRetriesPerRequest: 1 });
	redis.on('error', () => {});
	await redis.connect();
	const databaseUrl = new URL(TEST_DATABASE_URL);
	databaseUrl.searchParams.set('options', `-c search_path=${schema}`);
	const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-cluster-'));
	const names = Array.from({ length: opts.relays }, (_, i) => String.fromCharCode(97 + i));
	const secret = crypto.randomBytes(32).toString('hex');
	const relays: RelayProcess[] = [];

	async function start(index: number, port?: number): Promise<RelayProcess> {
		const name = names[index] ?? String.fromCharCode(97 + index);
		names[index] = name;
		const relay = await startRelayProcess({
			logFile: path.join(logDir, `${name}-${Date.now()}.log`),
			env: {
				...clusterRelayEnv({
					databaseUrl: databaseUrl.toString(),
					redisUrl,
					nodeId: name,
					secret
				}),
				// Test tuning: keys apart from other runs, a short lease so takeovers are quick.
				RAILYARD_REDIS_PREFIX: prefix,
				RAILYARD_LEASE_MS: String(opts.leaseMs ?? 2000),
				...opts.env,
				...(port ? { PORT: String(port) } : {})
			}
		});
		relays[index] = relay;
		return relay;
	}

	try {
		// One at a time: the first creates the tables.
		for (let i = 0; i < opts.relays; i++) await start(i);
	} catch (err) {
		for (const relay of relays) await relay.kill();
		throw err;
	}

	return {
		relays,
		names,
		prefix,
		schema,
		db,
		redis,
		start,
		async ownerOf(boardId) {
			const token = await redis.get(`${prefix}:board:${boardId}:owner`);
			if (!token) return -1;
			// `<node id>-<random>/<tenure>` (server/cluster/ownership.ts)
			const relay = token.slice(0, token.lastIndexOf('/'));
			return names.indexOf(relay.slice(0, relay.lastIndexOf('-')));
		},
		async epoch(boardId) {
			const { rows } = await db.query(`SELECT epoch FROM ${schema}.boards WHERE id = $1`, [
				boardId
			]);
			return Number(rows[0]?.epoch ?? -1);
		},
		async stored(boardId) {
			const doc = new Y.Doc();
			const board = await db.query(`SELECT snapshot FROM ${schema}.boards WHERE id = $1`, [
				boardId
			]);
			const log = await db.query(
				`SELECT data FROM ${schema}.updates WHERE board_id = $1 ORDER BY seq`,
				[boardId]
			);
			const snapshot = board.rows[0]?.snapshot as Buffer | null | undefined;
			if (snapshot) Y.applyUpdate(doc, snapshot);
			for (const row of log.rows as { data: Buffer }[]) Y.applyUpdate(doc, row.data);
			return doc;
		},
		async close() {
			for (const relay of relays) {
				if (relay.exited) continue;
				relay.signal('SIGCONT');
				await relay.kill();
			}
			for (const relay of relays) fs.rmSync(relay.dataDir, { recursive: true, force: true });
			// A private Redis the test killed has nothing left to clean.
			if (!opts.redisUrl) {
				let cursor = '0';
				do {
					const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
					cursor = next;
					if (keys.length > 0) await redis.del(...keys);
				} while (cursor !== '0');
			}
			redis.disconnect();
			await db.query(`DROP SCHEMA ${schema} CASCADE`);
			await db.end();
			// RAILYARD_KEEP_CLUSTER_LOGS=1 keeps the relays' logs for reading after a failed run.
			if (process.env.RAILYARD_KEEP_CLUSTER_LOGS) console.log(`relay logs kept in ${logDir}`);
			else fs.rmSync(logDir, { recursive: true, force: true });
		}
	};
}

export interface PrivateRedis {
	url: string;
	/** SIGKILL: everything in it is gone (it keeps nothing on disk). */
	kill(): Promise<void>;
	/** Starts it again on the same port, empty. */
	restart(): Promise<void>;
	close(): Promise<void>;
}

/** A redis-server of the test's own, on a free port, with no persistence, to kill and restart. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
	const port = await freePort();
	let child: ChildProcess | null = null;
	async function start(): Promise<void> {
		child = spawn(
			'redis-server',
			['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'],
			{ stdio: 'ignore' }
		);
		await waitForPort(port, 'redis-server');
	}
	async function kill(): Promise<void> {
		const running = child;
		child = null;
		if (!running || running.exitCode !== null) return;
		const gone = new Promise((resolve) => running.once('exit', resolve));
		running.kill('SIGKILL');
		await gone;
	}
	await start();
	return { url: `redis://127.0.0.1:${port}`, kill, restart: start, close: kill };
}
