/**
 * How the history endpoint reads (server/http/history.ts): consistently while retention folds
 * under it, no more rows than the byte bound needs, and a bounded number of builds at a time.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createMemoryStore } from '../../server/storage/memory.ts';
import type { BoardStore, ReplayLog } from '../../server/storage/types.ts';
import { Builds, MAX_REPLAY_BYTES, readHistory } from '../../server/http/history.ts';
import { HttpError } from '../../server/http/api.ts';
import { startRelay } from '../helpers/relay.ts';

const MINUTE = 60_000;

/** A board with `count` updates, one a minute, each adding one card; the clock after them. */
async function boardWithCards(count: number, bytes = 0) {
	const clock = { now: Date.UTC(2026, 2, 2, 9, 0) };
	const store = createMemoryStore(() => clock.now);
	await store.create({ id: 'b', title: 'B' });
	const doc = new Y.Doc();
	for (let i = 0; i < count; i++) {
		clock.now += MINUTE;
		const before = Y.encodeStateVector(doc);
		doc.getArray<string>('cards').push([`card ${i} ${'x'.repeat(bytes)}`]);
		await store.append('b', [Y.encodeStateAsUpdate(doc, before)]);
	}
	return { store, clock, start: Date.UTC(2026, 2, 2, 9, 0) };
}

function cardsIn(state: Uint8Array, updates: { data: Uint8Array }[] = []): number {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, state);
	for (const u of updates) Y.applyUpdate(doc, u.data);
	return doc.getArray('cards').length;
}

/** Folds the updates up to `uptoSeq` into the base, as retention does. */
async function fold(store: BoardStore, uptoSeq: number): Promise<void> {
	const base = (await store.historyBase('b'))!;
	const rows = await store.history('b', { afterSeq: base.uptoSeq, until: Infinity, limit: 1e9 });
	const doc = new Y.Doc();
	if (base.state) Y.applyUpdate(doc, base.state);
	const taken = rows.filter((r) => r.seq <= uptoSeq);
	for (const r of taken) Y.applyUpdate(doc, r.data);
	const ok = await store.foldHistory(
		'b',
		{ state: Y.encodeStateAsUpdate(doc), at: taken.at(-1)!.at, uptoSeq },
		base.uptoSeq
	);
	expect(ok).toBe(true);
}

describe('the history endpoint', () => {
	it('rebuilds when retention folds between reading the base and the rows', async () => {
		const { store, clock } = await boardWithCards(13);
		let folds = 0;
		// The fold commits right after the base is read, before the first page of rows.
		const racing: ReplayLog = {
			historyBase: (id) => store.historyBase(id),
			foldHistory: (...args) => store.foldHistory(...args),
			async history(id, opts) {
				if (folds === 0) {
					folds += 1;
					await fold(store, 10);
				}
				return store.history(id, opts);
			}
		};
		const at = clock.now;
		const answer = await readHistory(racing, 'b', at, at);
		expect(folds).toBe(1);
		expect(cardsIn(answer.state, answer.updates)).toBe(13);
	});

	it('stops reading rows once the byte bound is passed', async () => {
		const size = 64 * 1024;
		const count = Math.ceil((MAX_REPLAY_BYTES * 1.5) / size);
		const { store, start, clock } = await boardWithCards(count, size);
		let rowsRead = 0;
		const counting: ReplayLog = {
			historyBase: (id) => store.historyBase(id),
			foldHistory: (...args) => store.foldHistory(...args),
			async history(id, opts) {
				const rows = await store.history(id, opts);
				rowsRead += rows.length;
				return rows;
			}
		};
		const err = await readHistory(counting, 'b', start, clock.now).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(HttpError);
		expect((err as HttpError).status).toBe(413);
		expect((err as HttpError).message).toMatch(/MiB.*shorter period/);
		// What the bound needs and a row past it, not the whole period.
		expect(rowsRead).toBeLessThanOrEqual(Math.ceil(MAX_REPLAY_BYTES / size) + 2);
		expect(rowsRead).toBeLessThan(count);
	});
});

describe('history builds', () => {
	const gate = () => {
		let open!: () => void;
		const opened = new Promise<void>((resolve) => (open = resolve));
		return { open, opened };
	};

	it('runs at most the limit at once; the next waits its turn', async () => {
		const builds = new Builds(2, 1000, 4);
		const [a, b] = [gate(), gate()];
		let running = 0;
		let most = 0;
		const work = (g: { opened: Promise<void> } | null) => async () => {
			running += 1;
			most = Math.max(most, running);
			await g?.opened;
			running -= 1;
			return 'done';
		};
		const first = builds.run(work(a));
		const second = builds.run(work(b));
		const third = builds.run(work(null));
		await expect.poll(() => running).toBe(2);
		a.open();
		await expect(third).resolves.toBe('done');
		b.open();
		await Promise.all([first, second]);
		expect(most).toBe(2);
	});

	it('refuses with 503 when no slot comes in time, or too many wait', async () => {
		const builds = new Builds(1, 30, 1);
		const g = gate();
		const held = builds.run(() => g.opened);
		const waiting = builds.run(async () => 'late');
		const overflow = await builds.run(async () => 'never').catch((e: unknown) => e);
		expect((overflow as HttpError).status).toBe(503);
		const timedOut = await waiting.catch((e: unknown) => e);
		expect((timedOut as HttpError).status).toBe(503);
		expect((timedOut as HttpError).message).toMatch(/busy.*try again/);
		g.open();
		await held;
		// The slot is free again.
		await expect(builds.run(async () => 'ok')).resolves.toBe('ok');
	});
});

describe('a relay busy building replays', () => {
	it('answers 503 with Retry-After and a clear message once its queue is full', async () => {
		const memory = createMemoryStore();
		let open!: () => void;
		const opened = new Promise<void>((resolve) => (open = resolve));
		let reads = 0;
		// Every history read waits at the gate: builds pile up.
		const store: BoardStore = Object.create(memory, {
			history: {
				value: async (...args: Parameters<BoardStore['history']>) => {
					reads += 1;
					await opened;
					return memory.history(...args);
				}
			}
		});
		const r = await startRelay({ store });
		try {
			const id = await r.createBoard('empty', 'Plan');
			const ask = () => r.api(`/api/boards/${id}/history?from=0`, { token: r.ownerToken(id) });
			// Two build, sixteen wait (server/http/history.ts MAX_BUILDS, MAX_WAITING).
			const queued = Array.from({ length: 18 }, ask);
			await expect.poll(() => reads).toBe(2);
			const refused = await ask();
			expect(refused.status).toBe(503);
			expect(refused.headers.get('retry-after')).toBe('5');
			expect(((await refused.json()) as { error: string }).error).toMatch(/busy.*try again/);
			open();
			const answers = await Promise.all(queued);
			expect(answers.map((a) => a.status)).toEqual(queued.map(() => 200));
			expect(reads).toBeLessThanOrEqual(18 * 2);
		} finally {
			open();
			await r.close();
		}
	});
});
