/**
 * The relay's small HTTP surface: health probes and the boards API the home page (and scripts)
 * use. Responses are JSON; errors are `{ "error": message }` with a 4xx/5xx status.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as v from 'valibot';
import { TEXT_LIMITS } from '../src/lib/model/index.ts';
import { BOARD_ID, storeNewBoard } from './boards.ts';
import type { Logger } from './log.ts';
import type { BoardStore } from './storage/types.ts';

const MAX_BODY_BYTES = 64 * 1024;

const CreateBoard = v.object({
	title: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(TEXT_LIMITS.title))),
	template: v.optional(v.picklist(['empty', 'sample']), 'empty')
});

class HttpError extends Error {
	readonly status: number;
	constructor(status: number, message: string) {
		super(message);
		this.status = status;
	}
}

function send(res: ServerResponse, status: number, body: unknown): void {
	const json = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(json),
		'cache-control': 'no-store'
	});
	res.end(json);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > MAX_BODY_BYTES)
			throw new HttpError(413, `request body over ${MAX_BODY_BYTES} bytes`);
		chunks.push(chunk as Buffer);
	}
	if (size === 0) return {};
	try {
		return JSON.parse(Buffer.concat(chunks).toString('utf8'));
	} catch {
		throw new HttpError(400, 'request body is not valid JSON');
	}
}

export interface ApiOptions {
	store: BoardStore;
	logger: Logger;
	isReady: () => boolean;
}

/** Returns true when the request was one of ours (it is then answered, possibly later). */
export function handleApi(opts: ApiOptions, req: IncomingMessage, res: ServerResponse): boolean {
	const url = new URL(req.url ?? '/', 'http://localhost');
	const path = url.pathname;
	if (path === '/healthz') {
		send(res, 200, { status: 'ok' });
		return true;
	}
	if (path === '/readyz') {
		const ready = opts.isReady();
		send(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' });
		return true;
	}
	if (path !== '/api/boards' && !path.startsWith('/api/boards/')) return false;
	route(opts, req, res, path).catch((err: unknown) => {
		if (err instanceof HttpError) {
			send(res, err.status, { error: err.message });
		} else {
			opts.logger.error({ err, path }, 'API request failed');
			send(res, 500, { error: 'internal error' });
		}
	});
	return true;
}

async function route(opts: ApiOptions, req: IncomingMessage, res: ServerResponse, path: string) {
	const { store } = opts;
	if (path === '/api/boards') {
		if (req.method === 'GET') return send(res, 200, { boards: store.list() });
		if (req.method === 'POST') {
			const parsed = v.safeParse(CreateBoard, await readJson(req));
			if (!parsed.success) {
				const issue = parsed.issues[0];
				const where = issue?.path?.map((p) => p.key).join('.') || 'body';
				throw new HttpError(400, `${where}: ${issue?.message ?? 'invalid'}`);
			}
			const { id, title } = storeNewBoard({ store, ...parsed.output });
			opts.logger.info({ board: id, template: parsed.output.template }, 'board created');
			return send(res, 201, { id, title });
		}
		throw new HttpError(405, `${req.method} is not allowed on ${path}`);
	}
	const id = decodeURIComponent(path.slice('/api/boards/'.length));
	if (!BOARD_ID.test(id)) throw new HttpError(404, 'no such board');
	if (req.method !== 'GET') throw new HttpError(405, `${req.method} is not allowed on ${path}`);
	const board = store.info(id);
	if (!board) throw new HttpError(404, 'no such board');
	return send(res, 200, board);
}
