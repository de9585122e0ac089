/**
 * Cluster mode's connections: REDIS_URL (with DATABASE_URL) turns it on. One Redis connection for
 * stream appends and lookups, one for the blocking stream read, one for leases and heartbeats; a token naming this relay process (its node id and
 * a random suffix, so a restarted relay is never mistaken for the one before it).
 */
import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../log.ts';
import { testOnly } from '../config.ts';
import { redact } from '../storage/postgres.ts';
import type { ClusterSeams } from './cluster-rooms.ts';
import { clusterKeys, type ClusterKeys } from './messages.ts';
import { Leases } from './ownership.ts';
import { StreamBus } from './stream-bus.ts';

export interface ClusterConfig {
	/** REDIS_URL */
	redisUrl: string;
	/** RAILYARD_NODE_ID (default: the host name): names this relay in logs and keys. */
	nodeId: string;
	/** RAILYARD_REDIS_PREFIX: every key this relay writes starts with it. */
	prefix: string;
	/** RAILYARD_LEASE_MS: how long a board's lease (and a relay's heartbeat) lasts unrenewed. */
	leaseMs: number;
}

export interface ClusterLink {
	readonly token: string;
	readonly keys: ClusterKeys;
	readonly leases: Leases;
	readonly bus: StreamBus;
	readonly leaseMs: number;
	/** Test seams only (RAILYARD_TEST_DROP_OUTBOX, RAILYARD_TEST_LOSE_OUTBOX): see ClusterSeams. */
	readonly seams: ClusterSeams;
	/** Stops reading and disconnects from Redis. */
	close(): Promise<void>;
}

export async function openCluster(config: ClusterConfig, logger: Logger): Promise<ClusterLink> {
	const token = `${config.nodeId}-${crypto.randomBytes(4).toString('hex')}`;
	const options = {
		// RESP2: stream replies as plain arrays. Commands wait for a reconnect (they are few and
		// small) rather than fail at the first blip; the lease timers decide when that is too long.
		protocol: 2 as const,
		maxRetriesPerRequest: 2,
		connectTimeout: 5000,
		lazyConnect: true
	};
	const redis = new Redis(config.redisUrl, options);
	const reader = new Redis(config.redisUrl, { ...options, maxRetriesPerRequest: null });
	// Leases and heartbeats on a connection of their own: never queued behind stream appends (a
	// burst of large ones once kept a renewal waiting past the lease).
	const control = new Redis(config.redisUrl, options);
	for (const client of [redis, reader, control]) {
		client.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis connection error'));
	}
	try {
		await redis.connect();
		await reader.connect();
		await control.connect();
	} catch (err) {
		redis.disconnect();
		reader.disconnect();
		control.disconnect();
		throw new Error(
			`Redis at ${redact(config.redisUrl)} is not reachable: ${(err as Error).message}`,
			{
				cause: err
			}
		);
	}
	const keys = clusterKeys(config.prefix);
	const leases = new Leases({ redis: control, keys, token, leaseMs: config.leaseMs });
	const bus = new StreamBus({ redis, reader, wakeKey: keys.wake(token), logger });
	return {
		token,
		keys,
		leases,
		bus,
		leaseMs: config.leaseMs,
		seams: {
			dropDelivered: Number(testOnly(process.env, 'RAILYARD_TEST_DROP_OUTBOX')) || undefined,
			loseAppended: Number(testOnly(process.env, 'RAILYARD_TEST_LOSE_OUTBOX')) || undefined
		},
		async close() {
			await bus.close();
			await redis.quit().catch(() => redis.disconnect());
			await control.quit().catch(() => control.disconnect());
		}
	};
}
