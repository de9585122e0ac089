/**
 * Replay over HTTP (README "History"), for any link to the board (viewers too):
 *   GET /api/boards/<id>/history                    { start, now }: the history kept, start to now
 *   GET /api/boards/<id>/history?from=<ms>&to=<ms>  what a browser needs to show the board at any
 *       moment of that period: `state`, the board at `from` (one Yjs update, base64), and
 *       `updates`, every accepted update stamped after `from` up to `to`, oldest first, each
 *       `{ at, data }`. `from` before the kept history is moved to its start (and said so); `to`
 *       defaults to now.
 * A period holding more than MAX_REPLAY_UPDATES updates or MAX_REPLAY_BYTES of them is refused
 * with 413 and says how to get an answer: a shorter period. The state at `from` is built here,
 * from the history base and the updates before `from` (bounded by HISTORY_DAYS).
 *
 * Nothing is flushed first: the relay sends an update to anyone only once it is stored, so
 * everything a person has seen on the board is already in its history.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as Y from 'yjs';
import { authorize, HttpError, send, type ApiOptions } from './api.ts';

export const MAX_REPLAY_UPDATES = 20_000;
export const MAX_REPLAY_BYTES = 8 * 1024 * 1024;
/** Updates read per page while the state at `from` is built. */
const PAGE = 5000;

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
	const base = await opts.store.historyBase(boardId);
	if (!base) throw new HttpError(404, 'this board no longer exists');
	if (from === null) return send(res, 200, { start: base.at, now });
	if (from > to) throw new HttpError(400, 'from: must not be after to');

	const start = Math.max(from, base.at);
	const doc = new Y.Doc();
	let state: Uint8Array;
	let afterSeq = base.uptoSeq;
	try {
		if (base.state) Y.applyUpdate(doc, base.state);
		for (;;) {
			const page = await opts.store.history(boardId, { afterSeq, until: start, limit: PAGE });
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
	const updates = await opts.store.history(boardId, {
		afterSeq,
		until: Math.max(to, start),
		limit: MAX_REPLAY_UPDATES + 1
	});
	const bytes = updates.reduce((sum, u) => sum + u.data.length, 0);
	if (updates.length > MAX_REPLAY_UPDATES || bytes > MAX_REPLAY_BYTES) {
		throw new HttpError(
			413,
			updates.length > MAX_REPLAY_UPDATES
				? `the board changed more than ${MAX_REPLAY_UPDATES} times in that period, more than one replay shows: choose a shorter period`
				: `the changes in that period take more than ${MAX_REPLAY_BYTES / 1024 / 1024} MiB, more than one replay shows: choose a shorter period`
		);
	}
	return send(res, 200, {
		start: base.at,
		from: start,
		to,
		state: toBase64(state),
		updates: updates.map((u) => ({ at: u.at, data: toBase64(u.data) }))
	});
}
