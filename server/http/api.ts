/**
 * The relay's small HTTP surface: health probes and the boards API the app (and scripts) use.
 * Responses are JSON; errors are `{ "error": message }` with a 4xx/5xx status.
 *
 * Who may call what (README "Access control"):
 * - POST /api/boards: anyone who can reach the server; the answer carries the new owner link.
 * - GET /api/boards: only with `Authorization: Bearer <RAILYARD_ADMIN_TOKEN>`.
 * - POST /api/boards/import: anyone, like POST /api/boards (a board file becomes a new board).
 * - /api/boards/<id>...: a link token for that board as `Authorization: Bearer <token>`; the
 *   links endpoints need an owner's, a CSV import, a checkpoint or a restore an editor's or
 *   owner's (checkpoints.ts).
 */
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as v from 'valibot';
import { TEXT_LIMITS } from '../../src/lib/model/index.ts';
import { canManageLinks, SHARED_ROLES } from '../../src/lib/protocol/roles.ts';
import { AccessError, type Access, type Grant } from '../auth/access.ts';
import { BOARD_ID, createBoard } from './boards.ts';
import type { Logger } from '../log.ts';
import type { BoardStore, LinkRecord } from '../storage/types.ts';
import { listAuthors, routeCheckpoints } from './checkpoints.ts';
import { routeHistory } from './history.ts';
import { exportBoardFile, importBoardFile, importCsvInto, type BoardDocs } from './porting.ts';

const MAX_BODY_BYTES = 64 * 1024;
export const MAX_LINK_LABEL = 80;
/** The furthest a share link may expire: ten years. */
const MAX_LINK_LIFETIME_MS = 3650 * 86_400_000;

const CreateBoard = v.object({
	title: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(TEXT_LIMITS.title))),
	template: v.optional(v.picklist(['empty', 'sample']), 'empty')
});

const CreateLink = v.object({
	role: v.picklist(SHARED_ROLES, `must be one of ${SHARED_ROLES.map((r) => `"${r}"`).join(', ')}`),
	label: v.optional(
		v.pipe(
			v.string('must be a string'),
			v.trim(),
			v.maxLength(MAX_LINK_LABEL, `must be at most ${MAX_LINK_LABEL} characters`)
		),
		''
	),
	expiresAt: v.optional(
		v.nullable(
			v.pipe(
				v.number('must be a time in epoch milliseconds, or null'),
				v.integer('must be a whole number of epoch milliseconds')
			)
		),
		null
	)
});

/** A link as the API shows it: never its token, and no board id (the URL names the board). */
export interface LinkInfo {
	id: string;
	role: LinkRecord['role'];
	label: string;
	createdAt: number;
	expiresAt: number | null;
	revokedAt: number | null;
}

export function linkInfo(link: LinkRecord): LinkInfo {
	const { id, role, label, createdAt, expiresAt, revokedAt } = link;
	return { id, role, label, createdAt, expiresAt, revokedAt };
}

export class HttpError extends Error {
	readonly status: number;
	constructor(status: number, message: string) {
		super(message);
		this.status = status;
	}
}

export function send(res: ServerResponse, status: number, body: unknown): void {
	const json = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(json),
		'cache-control': 'no-store',
		// JSON is never a document: nothing in it may run, load or be framed.
		'content-security-policy': "default-src 'none'; frame-ancestors 'none'"
	});
	res.end(json);
}

const JSON_TYPE = /^application\/json\s*(;|$)/i;

/**
 * The request body as text, refused unless it is of content type `type` (415) and at most
 * `maxBytes` long (413). An empty body is ''.
 */
export async function readText(
	req: IncomingMessage,
	opts: { type: RegExp; typeName: string; maxBytes: number }
): Promise<string> {
	// Never a type a plain HTML form on another site can send without a preflight (text/plain,
	// url-encoded): it must not be able to create boards behind a visitor's back.
	const type = req.headers['content-type'] ?? '';
	if (type !== '' && !opts.type.test(type)) {
		throw new HttpError(415, `send the request body as ${opts.typeName}`);
	}
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > opts.maxBytes) throw new HttpError(413, `request body over ${opts.maxBytes} bytes`);
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks).toString('utf8');
}

export async function readJson(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
	const text = await readText(req, { type: JSON_TYPE, typeName: 'application/json', maxBytes });
	if (text === '') return {};
	try {
		return JSON.parse(text);
	} catch {
		throw new HttpError(400, 'request body is not valid JSON');
	}
}

async function readBody<S extends v.GenericSchema>(
	req: IncomingMessage,
	schema: S
): Promise<v.InferOutput<S>> {
	const parsed = v.safeParse(schema, await readJson(req));
	if (parsed.success) return parsed.output;
	const issue = parsed.issues[0];
	const where = issue?.path?.map((p) => p.key).join('.') || 'body';
	throw new HttpError(400, `${where}: ${issue?.message ?? 'invalid'}`);
}

/** The token of `Authorization: Bearer <token>`, or null. */
export function bearer(req: IncomingMessage): string | null {
	const match = /^Bearer[ \t]+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
	return match?.[1] ?? null;
}

/** Compares in constant time (hashing first, so lengths do not leak either). */
function sameSecret(a: string, b: string): boolean {
	const digest = (s: string) => crypto.createHash('sha256').update(s).digest();
	return crypto.timingSafeEqual(digest(a), digest(b));
}

export interface ApiOptions {
	store: BoardStore;
	access: Access;
	logger: Logger;
	isReady: () => boolean;
	/** RAILYARD_ADMIN_TOKEN; null: listing every board is turned off. */
	adminToken: string | null;
	now: () => number;
	/** A link was revoked here: its live connections must end now. */
	onRevoked: (link: LinkRecord) => void;
	/** A board was deleted here: its live connections must end now. */
	onDeleted: (boardId: string) => void;
	/** Boards' documents, for export and import (server/porting.ts). */
	docs: BoardDocs;
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
		if (err instanceof AccessError) {
			// `reason` (missing, invalid, expired, revoked, wrong-board, no-board) is for the app.
			send(res, err.status, { error: err.message, reason: err.reason });
		} else if (err instanceof HttpError) {
			send(res, err.status, { error: err.message });
		} else {
			opts.logger.error({ err, path }, 'API request failed');
			send(res, 500, { error: 'internal error' });
		}
	});
	return true;
}

function notAllowed(req: IncomingMessage, path: string): HttpError {
	return new HttpError(405, `${req.method} is not allowed on ${path}`);
}

async function route(opts: ApiOptions, req: IncomingMessage, res: ServerResponse, path: string) {
	// Before the board routes: "import" would pass for a board id.
	if (path === '/api/boards/import') {
		if (req.method === 'POST') return importBoardFile(opts, req, res);
		throw notAllowed(req, path);
	}
	if (path === '/api/boards') {
		if (req.method === 'GET') return send(res, 200, { boards: await listAll(opts, req) });
		if (req.method === 'POST') {
			const body = await readBody(req, CreateBoard);
			const created = await createBoard({ store: opts.store, access: opts.access, ...body });
			opts.logger.info({ board: created.id, template: body.template }, 'board created');
			return send(res, 201, {
				id: created.id,
				title: created.title,
				owner: { link: linkInfo(created.ownerLink), token: created.ownerToken }
			});
		}
		throw notAllowed(req, path);
	}
	const parts = path.slice('/api/boards/'.length).split('/');
	let segments: string[];
	try {
		segments = parts.map((part) => decodeURIComponent(part));
	} catch {
		throw new HttpError(404, 'no such board');
	}
	const [boardId = '', collection, linkId, action] = segments;
	if (!BOARD_ID.test(boardId)) throw new HttpError(404, 'no such board');

	if (segments.length === 1 && req.method === 'DELETE') {
		const grant = await authorizeOwner(opts, req, boardId, 'only the board owner can delete it');
		await opts.store.delete(boardId);
		opts.logger.info({ board: boardId, by: grant.linkId }, 'board deleted');
		opts.onDeleted(boardId);
		return send(res, 200, { deleted: boardId });
	}
	if (segments.length === 1) {
		if (req.method !== 'GET') throw notAllowed(req, path);
		const grant = await authorize(opts, req, boardId);
		const board = await opts.store.info(boardId);
		if (!board) throw new HttpError(404, 'this board no longer exists');
		const { role, linkId: grantLink, expiresAt } = grant;
		return send(res, 200, { ...board, role, linkId: grantLink, expiresAt });
	}
	if (segments.length === 2 && collection === 'export') {
		if (req.method === 'GET') return exportBoardFile(opts, req, res, boardId);
		throw notAllowed(req, path);
	}
	if (segments.length === 2 && collection === 'import') {
		if (req.method === 'POST') return importCsvInto(opts, req, res, boardId);
		throw notAllowed(req, path);
	}
	if (collection === 'checkpoints' && segments.length <= 4) {
		return routeCheckpoints(opts, req, res, boardId, segments.slice(2));
	}
	if (segments.length === 2 && collection === 'history')
		return routeHistory(opts, req, res, boardId);
	if (segments.length === 2 && collection === 'authors')
		return listAuthors(opts, req, res, boardId);
	if (collection !== 'links' || segments.length > 4) throw new HttpError(404, 'not found');

	if (segments.length === 2) {
		if (req.method === 'GET') {
			await authorizeOwner(opts, req, boardId);
			return send(res, 200, { links: (await opts.store.links(boardId)).map(linkInfo) });
		}
		if (req.method === 'POST') {
			await authorizeOwner(opts, req, boardId);
			const body = await readBody(req, CreateLink);
			const now = opts.now();
			if (body.expiresAt !== null && body.expiresAt <= now) {
				throw new HttpError(400, 'expiresAt: must be in the future');
			}
			if (body.expiresAt !== null && body.expiresAt > now + MAX_LINK_LIFETIME_MS) {
				throw new HttpError(400, 'expiresAt: must be within ten years');
			}
			const { link, token } = await opts.access.mint({ boardId, ...body });
			opts.logger.info({ board: boardId, link: link.id, role: link.role }, 'link created');
			return send(res, 201, { link: linkInfo(link), token });
		}
		throw notAllowed(req, path);
	}

	const grant = await authorizeOwner(opts, req, boardId);
	const link = linkId ? await opts.store.link(linkId) : null;
	if (segments.length === 4) {
		if (action !== 'token') throw new HttpError(404, 'not found');
		if (req.method !== 'POST') throw notAllowed(req, path);
		if (!link || link.boardId !== boardId) throw new HttpError(404, 'no such link on this board');
		if (link.revokedAt !== null) throw new HttpError(409, 'this link has been revoked');
		if (link.expiresAt !== null && link.expiresAt <= opts.now()) {
			throw new HttpError(409, 'this link has expired');
		}
		return send(res, 200, { token: await opts.access.tokenFor(link) });
	}
	if (req.method !== 'DELETE') throw notAllowed(req, path);
	if (!link || link.boardId !== boardId) throw new HttpError(404, 'no such link on this board');
	if (link.id === grant.linkId) {
		throw new HttpError(409, 'you cannot revoke the link you are using');
	}
	if (link.role === 'owner') {
		throw new HttpError(403, 'owner links can only be revoked with the admin CLI');
	}
	if (await opts.store.revokeLink(link.id)) {
		opts.logger.info({ board: boardId, link: link.id, by: grant.linkId }, 'link revoked');
	}
	const revoked = (await opts.store.link(link.id)) ?? link;
	opts.onRevoked(revoked);
	return send(res, 200, { link: linkInfo(revoked) });
}

async function listAll(opts: ApiOptions, req: IncomingMessage) {
	const token = bearer(req);
	if (opts.adminToken === null || token === null) {
		throw new HttpError(403, 'listing all boards is turned off on this server');
	}
	if (!sameSecret(token, opts.adminToken))
		throw new HttpError(401, 'that admin token is not valid');
	return opts.store.list();
}

export async function authorize(
	opts: ApiOptions,
	req: IncomingMessage,
	boardId: string
): Promise<Grant> {
	const token = bearer(req);
	if (token === null) throw new AccessError(401, 'missing', 'a link token is required');
	return opts.access.authorize({ boardId, token });
}

async function authorizeOwner(
	opts: ApiOptions,
	req: IncomingMessage,
	boardId: string,
	refusal = 'only the board owner can manage links'
): Promise<Grant> {
	const grant = await authorize(opts, req, boardId);
	if (!canManageLinks(grant.role)) throw new HttpError(403, refusal);
	return grant;
}
