/**
 * The relay's HTTP API for boards and their share links. Every board request carries a link
 * token (`Authorization: Bearer …`); the relay answers errors as JSON `{ error }`, which become an
 * ApiError with that message and status (401 bad or expired link, 403 revoked, 404 no board).
 * Load functions pass SvelteKit's `fetch`.
 */
import type { Role } from './links.ts';
import type { SharedRole } from '$lib/protocol/roles';

export type { SharedRole };

export type Fetch = typeof fetch;
export type { Role };

/** Milliseconds since the epoch, or an ISO date: either way a valid `new Date()` argument. */
export type Instant = number | string;

export interface BoardSummary {
	id: string;
	title: string;
	createdAt: Instant;
	updatedAt: Instant;
}

/** A board as seen through one link: what it is and what that link may do. */
export interface BoardAccess extends BoardSummary {
	role: Role;
	linkId: string;
	/** When the link stops working (epoch ms), or null for never. */
	expiresAt: number | null;
}

export interface LinkInfo {
	id: string;
	role: Role;
	label: string;
	createdAt: number;
	expiresAt: number | null;
	revokedAt: number | null;
}

export type BoardTemplate = 'empty' | 'sample';

export class ApiError extends Error {
	readonly status: number;
	/** The server's machine-readable why, when it gives one (e.g. `revoked`, `expired`). */
	readonly reason: string | null;
	constructor(status: number, message: string, reason: string | null = null) {
		super(message);
		this.name = 'ApiError';
		this.status = status;
		this.reason = reason;
	}
}

export async function request<T>(
	fetch: Fetch,
	path: string,
	init: RequestInit & { token?: string } = {}
): Promise<T> {
	const { token, ...rest } = init;
	const response = await fetch(path, {
		...rest,
		headers: {
			accept: 'application/json',
			...(rest.body ? { 'content-type': 'application/json' } : {}),
			...(token ? { authorization: `Bearer ${token}` } : {}),
			...rest.headers
		}
	});
	const body: unknown = await response.json().catch(() => null);
	if (!response.ok) {
		const message =
			body && typeof body === 'object' && 'error' in body && typeof body.error === 'string'
				? body.error
				: `The server answered ${response.status} ${response.statusText}`.trim();
		const reason =
			body && typeof body === 'object' && 'reason' in body && typeof body.reason === 'string'
				? body.reason
				: null;
		throw new ApiError(response.status, message, reason);
	}
	return body as T;
}

export const boardPath = (id: string) => `/api/boards/${encodeURIComponent(id)}`;
const linkPath = (id: string, linkId: string) =>
	`${boardPath(id)}/links/${encodeURIComponent(linkId)}`;

/** What `token` opens: the board's summary and the link's role. Throws ApiError otherwise. */
export function getBoard(opts: { fetch: Fetch; id: string; token: string }): Promise<BoardAccess> {
	return request(opts.fetch, boardPath(opts.id), { token: opts.token });
}

/** A new board; its creator gets the owner link, the only way back in. */
export async function createBoard(opts: {
	fetch: Fetch;
	title?: string;
	template: BoardTemplate;
}): Promise<{ id: string; title: string; owner: { link: LinkInfo; token: string } }> {
	return request(opts.fetch, '/api/boards', {
		method: 'POST',
		body: JSON.stringify({ title: opts.title, template: opts.template })
	});
}

/** Every link of a board, revoked ones included (owner only). */
export async function listLinks(opts: {
	fetch: Fetch;
	id: string;
	token: string;
}): Promise<LinkInfo[]> {
	const body = await request<{ links: LinkInfo[] }>(opts.fetch, `${boardPath(opts.id)}/links`, {
		token: opts.token
	});
	return body.links;
}

/** A new share link (owner only). */
export function createLink(opts: {
	fetch: Fetch;
	id: string;
	token: string;
	role: SharedRole;
	label?: string;
	expiresAt?: number | null;
}): Promise<{ link: LinkInfo; token: string }> {
	return request(opts.fetch, `${boardPath(opts.id)}/links`, {
		method: 'POST',
		token: opts.token,
		body: JSON.stringify({ role: opts.role, label: opts.label, expiresAt: opts.expiresAt ?? null })
	});
}

/** A fresh token for an existing link, to copy it again (owner only). */
export async function linkToken(opts: {
	fetch: Fetch;
	id: string;
	token: string;
	linkId: string;
}): Promise<string> {
	const body = await request<{ token: string }>(
		opts.fetch,
		`${linkPath(opts.id, opts.linkId)}/token`,
		{ method: 'POST', token: opts.token }
	);
	return body.token;
}

/** Revokes a link: its open connections are closed and it opens nothing again (owner only). */
export async function revokeLink(opts: {
	fetch: Fetch;
	id: string;
	token: string;
	linkId: string;
}): Promise<LinkInfo> {
	const body = await request<{ link: LinkInfo }>(opts.fetch, linkPath(opts.id, opts.linkId), {
		method: 'DELETE',
		token: opts.token
	});
	return body.link;
}

/** Deletes the board for everyone, with its history and links (owner only). */
export async function deleteBoard(opts: {
	fetch: Fetch;
	id: string;
	token: string;
}): Promise<void> {
	await request(opts.fetch, boardPath(opts.id), { method: 'DELETE', token: opts.token });
}

/**
 * A new board from a board file (an export's JSON), checked by the server; its creator gets the
 * owner link, as with createBoard. A bad file is an ApiError naming the path of the bad value.
 */
export async function importBoardFile(opts: {
	fetch: Fetch;
	file: unknown;
}): Promise<{ id: string; title: string; owner: { link: LinkInfo; token: string } }> {
	return request(opts.fetch, '/api/boards/import', {
		method: 'POST',
		body: JSON.stringify(opts.file)
	});
}
