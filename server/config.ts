/**
 * The relay's configuration, read from the environment once at start. Every value has a default
 * that works for a single self-hosted server; README "Configuration" lists them.
 */
import path from 'node:path';

export interface RelayLimits {
	/** Largest WebSocket frame accepted, in bytes. */
	maxFrameBytes: number;
	/** Idle rooms are unloaded from memory this long after their last connection closes. */
	roomIdleMs: number;
	/** The update log is compacted into a snapshot after this many appended batches. */
	compactEvery: number;
}

export interface Config {
	port: number;
	host: string;
	dataDir: string;
	logLevel: string;
	limits: RelayLimits;
}

export const DEFAULT_LIMITS: RelayLimits = {
	maxFrameBytes: 8 * 1024 * 1024,
	roomIdleMs: 30_000,
	compactEvery: 500
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

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
	const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
	const logLevel = env.LOG_LEVEL || 'info';
	if (!levels.includes(logLevel)) throw new Error(`LOG_LEVEL must be one of ${levels.join(', ')}`);
	return {
		port: int(env, 'PORT', 3000),
		host: env.HOST || '127.0.0.1',
		dataDir: path.resolve(env.DATA_DIR || './data'),
		logLevel,
		limits: {
			maxFrameBytes: int(env, 'MAX_FRAME_BYTES', DEFAULT_LIMITS.maxFrameBytes, 1024),
			roomIdleMs: int(env, 'ROOM_IDLE_MS', DEFAULT_LIMITS.roomIdleMs),
			compactEvery: int(env, 'COMPACT_EVERY', DEFAULT_LIMITS.compactEvery, 1)
		}
	};
}
