/**
 * The relay's configuration, read from the environment once at start. Every value has a default
 * that works for a single self-hosted server; README "Configuration" lists them.
 */
import os from 'node:os';
import path from 'node:path';
import type { ClusterConfig } from './cluster/open.ts';

export interface RelayLimits {
	/** Largest WebSocket frame accepted, in bytes. */
	maxFrameBytes: number;
	/**
	 * Bytes the relay may queue for one client before it is closed as a slow consumer (1013). A
	 * reply the client asked for (its initial sync) is not counted, so a large board still reaches
	 * a slow link; what the room pushes on top of it is.
	 */
	maxSendBufferBytes: number;
	/** Open (or opening) connections one board accepts; more are refused at the upgrade (503). */
	maxConnectionsPerRoom: number;
	/** Open (or opening) connections one client IP may hold; more are refused (429). */
	maxConnectionsPerIp: number;
	/** Messages per second a connection may sustain (token bucket refill). 0 turns the limit off. */
	rateLimitPerSecond: number;
	/** Messages a connection may send in a burst above the sustained rate (bucket size). */
	rateLimitBurst: number;
	/** An update that would grow a board's encoded state past this many bytes is refused. */
	maxBoardBytes: number;
	/** Every connection is pinged this often; one that has not answered the last ping is closed. 0 turns it off. */
	pingIntervalMs: number;
	/** Idle rooms are unloaded from memory this long after their last connection closes. */
	roomIdleMs: number;
	/** The update log is compacted into a snapshot after this many appended batches. */
	compactEvery: number;
	/** While a board keeps changing, an automatic checkpoint is taken at most this often. 0: never. */
	checkpointEveryMs: number;
	/** Automatic checkpoints older than this are deleted (named ones are kept). 0: kept forever. */
	checkpointRetentionMs: number;
	/**
	 * Every accepted update is kept, with its time, this long for replay; older ones are folded
	 * into the board's history base (README "History"). At least a day.
	 */
	historyRetentionMs: number;
	/**
	 * Every connection's share link is re-checked this often: one revoked (by the CLI, in another
	 * process) or expired since the upgrade is closed with 4403 / 4401.
	 */
	accessCheckIntervalMs: number;
}

export interface Config {
	port: number;
	host: string;
	dataDir: string;
	/** DATABASE_URL: boards in PostgreSQL; null: in SQLite under dataDir. */
	databaseUrl: string | null;
	/** REDIS_URL (with DATABASE_URL): cluster mode, several relays; null: one relay, as always. */
	cluster: ClusterConfig | null;
	logLevel: string;
	/** Take the client IP from the last X-Forwarded-For entry (set it behind a reverse proxy). */
	trustProxy: boolean;
	/** Bearer token for GET /api/boards (every board); null turns that listing off. */
	adminToken: string | null;
	/** Origins allowed to open a WebSocket; null: only the request's own host (see origin.ts). */
	allowedOrigins: string[] | null;
	/** RAILYARD_SECRET, or undefined to use (or generate) DATA_DIR/secret.key. */
	secret: string | undefined;
	/**
	 * RAILYARD_TEST_CLOCK: tests may set the relay's clock (server/http/test-clock.ts). Only with
	 * NODE_ENV=test; a relay refuses to start with it otherwise (testOnly).
	 */
	testClock: boolean;
	limits: RelayLimits;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: RelayLimits = {
	maxFrameBytes: 8 * MiB,
	maxSendBufferBytes: 4 * MiB,
	maxConnectionsPerRoom: 500,
	// A whole workshop behind one office NAT shares an IP, so this is a flood guard, not a quota.
	maxConnectionsPerIp: 250,
	// A stock client sends one message per edit and per presence change; dragging a card is the
	// busiest it gets, well under this.
	rateLimitPerSecond: 200,
	rateLimitBurst: 1000,
	maxBoardBytes: 16 * MiB,
	// A dropped connection (venue Wi-Fi, a closed laptop) sends no close: a missed ping is how the
	// relay learns it, and removes that person's presence for everyone. Two intervals at most, so
	// 5–10 s; a ping is a few bytes, and browsers answer it even from a throttled background tab.
	pingIntervalMs: 5_000,
	roomIdleMs: 30_000,
	compactEvery: 500,
	checkpointEveryMs: 3_600_000,
	checkpointRetentionMs: 30 * 86_400_000,
	historyRetentionMs: 14 * 86_400_000,
	accessCheckIntervalMs: 1000
};

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
	const raw = env[name];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < min) {
		throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
	}
	return value;
}

function bool(env: NodeJS.ProcessEnv, name: string): boolean {
	const raw = (env[name] ?? '').toLowerCase();
	if (raw === '' || raw === '0' || raw === 'false' || raw === 'no') return false;
	if (raw === '1' || raw === 'true' || raw === 'yes') return true;
	throw new Error(`${name} must be true or false, got "${env[name]}"`);
}

export function readLimits(env: NodeJS.ProcessEnv = process.env): RelayLimits {
	const d = DEFAULT_LIMITS;
	return {
		maxFrameBytes: int(env, 'MAX_FRAME_BYTES', d.maxFrameBytes, 1024),
		maxSendBufferBytes: int(env, 'MAX_SEND_BUFFER_BYTES', d.maxSendBufferBytes, 1024),
		maxConnectionsPerRoom: int(env, 'MAX_CONNECTIONS_PER_ROOM', d.maxConnectionsPerRoom, 1),
		maxConnectionsPerIp: int(env, 'MAX_CONNECTIONS_PER_IP', d.maxConnectionsPerIp, 1),
		rateLimitPerSecond: int(env, 'RATE_LIMIT_MESSAGES_PER_SECOND', d.rateLimitPerSecond),
		rateLimitBurst: int(env, 'RATE_LIMIT_BURST', d.rateLimitBurst, 1),
		maxBoardBytes: int(env, 'MAX_BOARD_BYTES', d.maxBoardBytes, 1024),
		pingIntervalMs: int(env, 'PING_INTERVAL_MS', d.pingIntervalMs),
		roomIdleMs: int(env, 'ROOM_IDLE_MS', d.roomIdleMs),
		compactEvery: int(env, 'COMPACT_EVERY', d.compactEvery, 1),
		checkpointEveryMs: int(env, 'CHECKPOINT_EVERY_MS', d.checkpointEveryMs),
		checkpointRetentionMs:
			int(env, 'CHECKPOINT_RETENTION_DAYS', d.checkpointRetentionMs / 86_400_000) * 86_400_000,
		historyRetentionMs: int(env, 'HISTORY_DAYS', d.historyRetentionMs / 86_400_000, 1) * 86_400_000,
		accessCheckIntervalMs: int(env, 'ACCESS_CHECK_INTERVAL_MS', d.accessCheckIntervalMs, 10)
	};
}

/** RAILYARD_ALLOWED_ORIGINS: comma-separated origins, each normalised (`https://host[:port]`). */
export function readOrigins(raw: string | undefined): string[] | null {
	if (raw === undefined || raw.trim() === '') return null;
	return raw
		.split(',')
		.map((entry) => entry.trim())
		.filter(Boolean)
		.map((entry) => {
			let origin: string;
			try {
				origin = new URL(entry).origin;
			} catch {
				origin = 'null';
			}
			if (origin === 'null') {
				throw new Error(`RAILYARD_ALLOWED_ORIGINS: "${entry}" is not an origin like https://host`);
			}
			return origin;
		});
}

export function readCluster(env: NodeJS.ProcessEnv = process.env): ClusterConfig | null {
	const redisUrl = env.REDIS_URL || null;
	if (!redisUrl) return null;
	if (!env.DATABASE_URL) {
		throw new Error(
			'REDIS_URL (cluster mode) needs DATABASE_URL: the relays share boards in PostgreSQL'
		);
	}
	const prefix = env.RAILYARD_REDIS_PREFIX || 'railyard';
	if (!/^[\w.:-]{1,64}$/.test(prefix)) {
		throw new Error(`RAILYARD_REDIS_PREFIX: "${prefix}" may hold letters, digits and _.:- only`);
	}
	const nodeId = env.RAILYARD_NODE_ID || os.hostname();
	if (!/^[\w.-]{1,64}$/.test(nodeId)) {
		throw new Error(`RAILYARD_NODE_ID: "${nodeId}" may hold letters, digits and _.- only`);
	}
	return { redisUrl, nodeId, prefix, leaseMs: int(env, 'RAILYARD_LEASE_MS', 3000, 300) };
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
	const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
	const logLevel = env.LOG_LEVEL || 'info';
	if (!levels.includes(logLevel)) throw new Error(`LOG_LEVEL must be one of ${levels.join(', ')}`);
	return {
		port: int(env, 'PORT', 3000),
		host: env.HOST || '127.0.0.1',
		dataDir: path.resolve(env.DATA_DIR || './data'),
		databaseUrl: env.DATABASE_URL || null,
		cluster: readCluster(env),
		logLevel,
		trustProxy: bool(env, 'TRUST_PROXY'),
		adminToken: env.RAILYARD_ADMIN_TOKEN || null,
		allowedOrigins: readOrigins(env.RAILYARD_ALLOWED_ORIGINS),
		secret: env.RAILYARD_SECRET || undefined,
		testClock: readTestClock(env),
		limits: readLimits(env)
	};
}

function readTestClock(env: NodeJS.ProcessEnv): boolean {
	return testOnly(env, 'RAILYARD_TEST_CLOCK') !== undefined && bool(env, 'RAILYARD_TEST_CLOCK');
}

/**
 * A knob that exists for tests (a settable clock, messages dropped on purpose): honoured only
 * when NODE_ENV is `test` (Vitest sets it; the test helpers pass it on), and a relay started
 * with one otherwise refuses to start, so no deployment can run with it by mistake.
 */
export function testOnly(env: NodeJS.ProcessEnv, name: string): string | undefined {
	const value = env[name];
	if (value === undefined || value === '') return undefined;
	if (env.NODE_ENV !== 'test') {
		throw new Error(
			`${name} is for tests only (it needs NODE_ENV=test); unset it to start Railyard`
		);
	}
	return value;
}
