/**
 * A clock tests can set (RAILYARD_TEST_CLOCK=1, only with NODE_ENV=test: config.ts testOnly): the relay's
 * and the store's time is the real time plus an offset, and `POST /api/test/clock` with
 * `{ "now": <epoch ms> }` moves it so that now is that time (it then runs on from there). The
 * replay test stamps a board's morning edits in the morning this way. Without the setting there
 * is no such route and no offset.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, readJson, send } from './api.ts';

export const TEST_CLOCK_PATH = '/api/test/clock';

export interface TestClock {
	now: () => number;
	/** Answers POST /api/test/clock; false for any other request. */
	handle(req: IncomingMessage, res: ServerResponse): boolean;
}

export function testClock(): TestClock {
	let offset = 0;
	const now = () => Date.now() + offset;
	return {
		now,
		handle(req, res) {
			if (req.url !== TEST_CLOCK_PATH) return false;
			(async () => {
				if (req.method !== 'POST') throw new HttpError(405, `${req.method} is not allowed here`);
				const body = (await readJson(req)) as { now?: unknown };
				if (typeof body.now !== 'number' || !Number.isSafeInteger(body.now)) {
					throw new HttpError(400, 'now: must be a time in epoch milliseconds');
				}
				offset = body.now - Date.now();
				send(res, 200, { now: now() });
			})().catch((err: unknown) => {
				const status = err instanceof HttpError ? err.status : 500;
				send(res, status, { error: (err as Error).message });
			});
			return true;
		}
	};
}
