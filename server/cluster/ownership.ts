/**
 * Who owns a board: a Redis lease per board (SET NX PX), renewed while
 * the owner works and released when it unloads the board. A lease alone cannot stop a paused
 * owner (a GC pause, SIGSTOP) that wakes up after it expired and writes on: that is what the
 * PostgreSQL epoch is for (storage/postgres.ts). Whoever takes a lease bumps the board's epoch
 * (`claim`) before it loads the board, so every write of a former owner is refused by SQL.
 *
 * A lease's value names the relay and this one tenure (`<relay token>/<n>`), so a relay that gives a
 * board up and takes it again is a new owner to everyone: nothing said by or to its earlier tenure
 * is taken for the new one (messages.ts).
 *
 * Renewing and releasing compare the value first (one Lua script each), so a relay never extends
 * or deletes a lease another relay took after its own expired.
 *
 * Each relay also keeps a heartbeat key alive: when it lapses (the process died), owners drop
 * the presence of that relay's clients.
 */
import type { Redis } from 'ioredis';
import type { ClusterKeys } from './messages.ts';

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then
	return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then
	return redis.call('DEL', KEYS[1])
end
return 0`;

export class Leases {
	readonly #redis: Redis;
	readonly #keys: ClusterKeys;
	readonly #token: string;
	readonly #leaseMs: number;
	#tenures = 0;

	constructor(opts: { redis: Redis; keys: ClusterKeys; token: string; leaseMs: number }) {
		this.#redis = opts.redis;
		this.#keys = opts.keys;
		this.#token = opts.token;
		this.#leaseMs = opts.leaseMs;
	}

	/** The lease value of the board's owner, or null when nobody holds its lease. */
	owner(board: string): Promise<string | null> {
		return this.#redis.get(this.#keys.lease(board));
	}

	/** Several boards' owners in one round trip. */
	async owners(boards: readonly string[]): Promise<(string | null)[]> {
		if (boards.length === 0) return [];
		return this.#redis.mget(boards.map((b) => this.#keys.lease(b)));
	}

	/** Whether a lease value is one of this relay's. */
	mine(value: string | null): boolean {
		return value !== null && relayOf(value) === this.#token;
	}

	/** Takes the lease if nobody holds it; resolves to its value (this tenure), or null. */
	async acquire(board: string): Promise<string | null> {
		const value = `${this.#token}/${++this.#tenures}`;
		const ok = await this.#redis.set(this.#keys.lease(board), value, 'PX', this.#leaseMs, 'NX');
		return ok === 'OK' ? value : null;
	}

	/** Extends each lease still ours; resolves to the boards whose lease is no longer ours. */
	async renew(leases: readonly { board: string; value: string }[]): Promise<string[]> {
		if (leases.length === 0) return [];
		const boards = leases.map((l) => l.board);
		const pipeline = this.#redis.pipeline();
		for (const { board, value } of leases) {
			pipeline.eval(RENEW, 1, this.#keys.lease(board), value, this.#leaseMs);
		}
		const results = (await pipeline.exec()) ?? [];
		const lost: string[] = [];
		boards.forEach((board, i) => {
			const [err, value] = results[i] ?? [new Error('no reply'), 0];
			if (err) throw err;
			if (Number(value) !== 1) lost.push(board);
		});
		return lost;
	}

	/** Gives the lease up, if it still has `value`. */
	async release(board: string, value: string): Promise<void> {
		await this.#redis.eval(RELEASE, 1, this.#keys.lease(board), value);
	}

	/** This relay's heartbeat: alive for one lease period from now. */
	async beat(): Promise<void> {
		await this.#redis.set(this.#keys.node(this.#token), '1', 'PX', this.#leaseMs);
	}

	/** Which of `tokens` have no heartbeat any more (their relay died or stalled). */
	async dead(tokens: readonly string[]): Promise<string[]> {
		if (tokens.length === 0) return [];
		const pipeline = this.#redis.pipeline();
		for (const token of tokens) pipeline.exists(this.#keys.node(token));
		const results = (await pipeline.exec()) ?? [];
		return tokens.filter((_, i) => {
			const [err, value] = results[i] ?? [null, 1];
			return !err && Number(value) === 0;
		});
	}

	async stopBeating(): Promise<void> {
		await this.#redis.del(this.#keys.node(this.#token));
	}
}

/** The relay token in a lease value (`<relay token>/<tenure>`). */
export function relayOf(leaseValue: string): string {
	return leaseValue.slice(0, leaseValue.lastIndexOf('/'));
}
