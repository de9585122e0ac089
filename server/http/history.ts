/**
 * Replay over HTTP (README "History"), for any link to the board (viewers too):
 *   GET /api/boards/<id>/history                    { start, now }: the history kept, start to now
 *   GET /api/boards/<id>/history?from=<ms>&to=<ms>  what a browser needs to show the board at any
 *       moment of that period: `state`, the board at `from` (one Yjs update, base64), and
 *       `updates`, every accepted update stamped after `from` up to `to`, oldest first, each
 *       `{ at, data }`. `from` before the kept history is moved to its start (and said so); `to`
 *       defaults to now.
 * A period holding more than MAX_REPLAY_UPDATES updates or MAX_REPLAY_BYTES of them is refused
 * with 413 and says how to get an answer: a shorter period (reading stops as soon as either bound
 * is passed). The state at `from` is built here, from the history base and the updates before
 * `from` (bounded by HISTORY_DAYS): at most MAX_BUILDS of those at a time per relay, others wait
 * up to BUILD_WAIT_MS and are then refused with 503 and Retry-After.
 *
 * The base and the rows are separate reads and retention may fold between them (it replaces the
 * base and deletes the rows it took in, in one write): the base is read again after the rows, and
 * the whole answer rebuilt (up to READ_ATTEMPTS times) if it moved.
 *
 * Checkpoints are not used as a shortcut to the state at `from`: a checkpoint's state is the
 * room's document when it was taken (including updates accepted and not yet stored, so stamped
 * after it) while its time is the store's clock a moment later (so updates stamped before it may
 * be missing), and nothing records which history rows it covers.
 *
 * Nothing is flushed first: the relay sends an update to anyone only once it is stored, so
 * everything a person has seen on the board is already in its history.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as Y from 'yjs';
import type { HistoryBase, HistoryUpdate, ReplayLog } from '../storage/types.ts';
import { authorize, HttpError, send, type ApiOptions } from './api.ts';

export const MAX_REPLAY_UPDATES = 20_000;
export const MAX_REPLAY_BYTES = 8 * 1024 * 1024;

const toBase64 = (data: Uint8Array) =>
	Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');

function time(url: URL, name: string): number | null {
	const raw = url.searchParams.get(name);
	if (raw === null || raw === '') return null;
	const value = Number(raw);
	if (!Number.isSafeInteger(value) || value < 0) {
		throw new HttpError(400, `${name}: must be a time in epoch milliseconds`);
	}
	return value;
}

/** Updates read per page while the state at `from` is built. */
const PAGE = 5000;
/** Updates read per page for the answer, at most; the first page is smaller (sizes unknown). */
const ANSWER_PAGE = 1000;
const FIRST_PAGE = 50;
/** How many times a read that retention folded under is started again. */
const READ_ATTEMPTS = 3;
/** History answers built at once per relay (each may replay days of updates). */
export const MAX_BUILDS = 2;
/** How long a request waits for a build slot before 503. */
export const BUILD_WAIT_MS = 5000;
/** Requests waiting for a slot per relay, beyond which they are refused at once. */
const MAX_WAITING = 16;

/** A counting semaphore with a bounded, timed wait: 503 when no slot comes in time. */
export class Builds {
	#running = 0;
	readonly #waiting: (() => void)[] = [];
	readonly #max: number;
	readonly #waitMs: number;
	readonly #maxWaiting: number;

	constructor(max = MAX_BUILDS, waitMs = BUILD_WAIT_MS, maxWaiting = MAX_WAITING) {
		this.#max = max;
		this.#waitMs = waitMs;
		this.#maxWaiting = maxWaiting;
	}

	async run<T>(work: () => Promise<T>): Promise<T> {
		if (this.#running >= this.#max) await this.#wait();
		else this.#running += 1;
		try {
			return await work();
		} finally {
			// The slot passes straight to the next in line, or is freed.
			const next = this.#waiting.shift();
			if (next) next();
			else this.#running -= 1;
		}
	}

	#wait(): Promise<void> {
		const busy = () =>
			new HttpError(503, 'the relay is busy building other replays; try again in a few seconds');
		if (this.#waiting.length >= this.#maxWaiting) return Promise.reject(busy());
		return new Promise<void>((resolve, reject) => {
			const turn = () => {
				clearTimeout(timer);
				resolve();
			};
			const timer = setTimeout(() => {
				const at = this.#waiting.indexOf(turn);
				if (at >= 0) this.#waiting.splice(at, 1);
				reject(busy());
			}, this.#waitMs);
			this.#waiting.push(turn);
		});
	}
}

/** One limit per relay (a relay has one store). */
const buildsByStore = new WeakMap<object, Builds>();

export interface HistoryAnswer {
	start: number;
	from: number;
	to: number;
	state: Uint8Array;
	updates: HistoryUpdate[];
}

/**
 * The board at `from` and every update after it up to `to`, read consistently (see above).
 * Throws HttpError 404 / 413 / 503.
 */
export async function readHistory(
	store: ReplayLog,
	boardId: string,
	from: number,
	to: number
): Promise<HistoryAnswer> {
	for (let attempt = 1; ; attempt++) {
		const base = await store.historyBase(boardId);
		if (!base) throw new HttpError(404, 'this board no longer exists');
		const answer = await readFrom(store, boardId, base, from, to);
		const after = await store.historyBase(boardId);
		if (!after) throw new HttpError(404, 'this board no longer exists');
		if (after.uptoSeq === base.uptoSeq) return answer;
		if (attempt >= READ_ATTEMPTS) {
			throw new HttpError(503, "the board's history is being tidied up; try again in a moment");
		}
	}
}

async function readFrom(
	store: ReplayLog,
	boardId: string,
	base: HistoryBase,
	from: number,
	to: number
): Promise<HistoryAnswer> {
	const start = Math.max(from, base.at);
	const doc = new Y.Doc();
	let state: Uint8Array;
	let afterSeq = base.uptoSeq;
	try {
		if (base.state) Y.applyUpdate(doc, base.state);
		for (;;) {
			const page = await store.history(boardId, { afterSeq, until: start, limit: PAGE });
			if (page.length === 0) break;
			Y.transact(doc, () => {
				for (const update of page) Y.applyUpdate(doc, update.data);
			});
			afterSeq = page.at(-1)!.seq;
			if (page.length < PAGE) break;
			await new Promise((resolve) => setImmediate(resolve));
		}
		state = Y.encodeStateAsUpdate(doc);
	} finally {
		doc.destroy();
	}
	const until = Math.max(to, start);
	const updates: HistoryUpdate[] = [];
	let bytes = 0;
	for (;;) {
		// Pages sized by the rows so far, so reading stops about one row past the byte bound.
		const perRow = updates.length === 0 ? 0 : bytes / updates.length;
		const fit = perRow === 0 ? FIRST_PAGE : Math.floor((MAX_REPLAY_BYTES - bytes) / perRow) + 1;
		const limit = Math.max(1, Math.min(fit, ANSWER_PAGE, MAX_REPLAY_UPDATES + 1 - updates.length));
		const page = await store.history(boardId, { afterSeq, until, limit });
		for (const u of page) {
			updates.push(u);
			bytes += u.data.length;
		}
		if (updates.length > MAX_REPLAY_UPDATES) {
			throw new HttpError(
				413,
				`the board changed more than ${MAX_REPLAY_UPDATES} times in that period, more than one replay shows: choose a shorter period`
			);
		}
		if (bytes > MAX_REPLAY_BYTES) {
			throw new HttpError(
				413,
				`the changes in that period take more than ${MAX_REPLAY_BYTES / 1024 / 1024} MiB, more than one replay shows: choose a shorter period`
			);
		}
		if (page.length < limit) break;
		afterSeq = page.at(-1)!.seq;
	}
	return { start: base.at, from: start, to, state, updates };
}

/** GET /api/boards/<id>/history[?from&to]. */
export async function routeHistory(
	opts: ApiOptions,
	req: IncomingMessage,
	res: ServerResponse,
	boardId: string
): Promise<void> {
	if (req.method !== 'GET') throw new HttpError(405, `${req.method} is not allowed here`);
	await authorize(opts, req, boardId);
	const url = new URL(req.url ?? '/', 'http://localhost');
	const now = opts.now();
	const from = time(url, 'from');
	const to = time(url, 'to') ?? now;
	if (from === null) {
		const base = await opts.store.historyBase(boardId);
		if (!base) throw new HttpError(404, 'this board no longer exists');
		return send(res, 200, { start: base.at, now });
	}
	if (from > to) throw new HttpError(400, 'from: must not be after to');

	let builds = buildsByStore.get(opts.store);
	if (!builds) buildsByStore.set(opts.store, (builds = new Builds()));
	let answer: HistoryAnswer;
	try {
		answer = await builds.run(() => readHistory(opts.store, boardId, from, to));
	} catch (err) {
		if (err instanceof HttpError && err.status === 503) res.setHeader('retry-after', '5');
		throw err;
	}
	return send(res, 200, {
		start: answer.start,
		from: answer.from,
		to: answer.to,
		state: toBase64(answer.state),
		updates: answer.updates.map((u) => ({ at: u.at, data: toBase64(u.data) }))
	});
}
