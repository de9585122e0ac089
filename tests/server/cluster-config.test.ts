/** Cluster mode is chosen by the environment (server/config.ts); unset, nothing changes. */
import { describe, expect, it } from 'vitest';
import { readCluster } from '../../server/config.ts';

describe('cluster configuration', () => {
	it('is off without REDIS_URL: one relay, as always', () => {
		expect(readCluster({ DATABASE_URL: 'postgres://db/x' })).toBeNull();
	});

	it('needs DATABASE_URL, and says so', () => {
		expect(() => readCluster({ REDIS_URL: 'redis://r:6379' })).toThrow(/needs DATABASE_URL/);
	});

	it('reads the node id, key prefix and lease, with defaults, and refuses bad ones', () => {
		const env = { REDIS_URL: 'redis://r:6379', DATABASE_URL: 'postgres://db/x' };
		expect(readCluster({ ...env, RAILYARD_NODE_ID: 'relay-1' })).toEqual({
			redisUrl: 'redis://r:6379',
			nodeId: 'relay-1',
			prefix: 'railyard',
			leaseMs: 3000
		});
		expect(readCluster({ ...env, RAILYARD_LEASE_MS: '1500' })?.leaseMs).toBe(1500);
		expect(() => readCluster({ ...env, RAILYARD_LEASE_MS: '10' })).toThrow(/RAILYARD_LEASE_MS/);
		expect(() => readCluster({ ...env, RAILYARD_NODE_ID: 'a b' })).toThrow(/RAILYARD_NODE_ID/);
		expect(() => readCluster({ ...env, RAILYARD_REDIS_PREFIX: 'x y' })).toThrow(
			/RAILYARD_REDIS_PREFIX/
		);
	});
});
