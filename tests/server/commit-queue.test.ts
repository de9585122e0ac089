/**
 * The commit queue (server/sync/commit-queue.ts) with a store that answers when the test says:
 * updates accepted while a write is under way go out together in the next write (not one write
 * each, queued), the next write starts before the last one is delivered, and order holds.
 */
import { describe, expect, it } from 'vitest';
import { CommitQueue, type Committable } from '../../server/sync/commit-queue.ts';
import { createMetrics } from '../../server/metrics.ts';
import type { DocumentLog } from '../../server/storage/types.ts';

const metrics = createMetrics({ roomsLoaded: () => 0, connections: () => 0, queuedBytes: () => 0 });
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** A store whose appendBatch calls wait until the test answers them, in order. */
function heldStore() {
	const calls: { ids: string[]; bytes: number[][]; answer: () => void; fail: () => void }[] = [];
	let seq = 0;
	const store = {
		appendBatch(batch: readonly { id: string; updates: readonly Uint8Array[] }[]) {
			return new Promise<number[]>((resolve, reject) => {
				calls.push({
					ids: batch.map((b) => b.id),
					bytes: batch.map((b) => [...(b.updates[0] as Uint8Array)]),
					answer: () => resolve(batch.map(() => ++seq)),
					fail: () => reject(new Error('disk full'))
				});
			});
		}
	} as unknown as DocumentLog;
	return { store, calls };
}

/** A room whose pending updates are single bytes, merged by concatenation. */
function room(id: string, queue: () => CommitQueue, log: string[]) {
	let pending: number[] = [];
	// As a room does (room-persistence.ts): a failed write closes it, and it hands over no more.
	let closed = false;
	const r: Committable & { push(n: number): void } = {
		id,
		push(n) {
			pending.push(n);
			if (pending.length === 1) queue().schedule(r);
		},
		takePending() {
			if (closed || pending.length === 0) return null;
			const taken = new Uint8Array(pending);
			pending = [];
			return taken;
		},
		committed(merged) {
			log.push(`${id} sent ${[...merged].join(',')}`);
		},
		commitFailed(err) {
			closed = true;
			log.push(`${id} failed ${err.message}`);
		}
	};
	return r;
}

describe('the commit queue', () => {
	it('writes what gathered during a write in one next write, started before the last is sent', async () => {
		const { store, calls } = heldStore();
		const queue = new CommitQueue({ store, metrics });
		const log: string[] = [];
		const a = room('a', () => queue, log);
		const b = room('b', () => queue, log);

		a.push(1);
		await turn();
		expect(calls).toHaveLength(1);

		// Four turns with updates while the first write is under way.
		for (const n of [2, 3, 4, 5]) {
			a.push(n);
			if (n % 2) b.push(n * 10);
			await turn();
		}
		expect(calls).toHaveLength(1);
		expect(log).toEqual([]);

		calls[0]!.answer();
		await turn();
		// One more write for everything that gathered, and it was under way before 1 was sent.
		expect(calls).toHaveLength(2);
		expect(calls[1]!.ids).toEqual(['a', 'b']);
		expect(calls[1]!.bytes).toEqual([
			[2, 3, 4, 5],
			[30, 50]
		]);
		expect(log).toEqual(['a sent 1']);

		calls[1]!.answer();
		await turn();
		expect(log).toEqual(['a sent 1', 'a sent 2,3,4,5', 'b sent 30,50']);
		expect(calls).toHaveLength(2);
	});

	it('resolves a flush once what was pending is written and sent; a task waits for the write before it', async () => {
		const { store, calls } = heldStore();
		const queue = new CommitQueue({ store, metrics });
		const log: string[] = [];
		const a = room('a', () => queue, log);

		a.push(1);
		const flushed = queue.flush().then(() => log.push('flushed'));
		const task = queue.run(async () => {
			log.push('task');
		});
		await turn();
		expect(log).toEqual([]);
		calls[0]!.answer();
		await Promise.all([flushed, task]);
		// The task waited for the write, and (like a next write) starts before that one is sent.
		expect(log).toEqual(['task', 'a sent 1', 'flushed']);
	});

	it('writes nothing more of a room whose write failed: what it accepted meanwhile would leave a gap', async () => {
		const { store, calls } = heldStore();
		const log: string[] = [];
		const queue: CommitQueue = new CommitQueue({ store, metrics });
		const b = room('b', () => queue, log);
		const c = room('c', () => queue, log);
		b.push(1);
		await turn();
		expect(calls).toHaveLength(1);
		// While b's first write is under way, b and c accept more.
		b.push(2);
		c.push(7);
		await turn();
		calls[0]!.fail();
		await turn();
		await turn();
		expect(log).toEqual(['b failed disk full']);
		// The next write carries c's update and nothing of b's.
		expect(calls).toHaveLength(2);
		expect(calls[1]!.ids).toEqual(['c']);
		calls[1]!.answer();
		await turn();
		expect(log).toEqual(['b failed disk full', 'c sent 7']);
	});
});
