/**
 * The relay's HTTP API for the list of boards. Load functions pass SvelteKit's `fetch`; the
 * relay answers errors as JSON `{ error }`, which become an ApiError with that message.
 */
export type Fetch = typeof fetch;

export interface BoardSummary {
	id: string;
	title: string;
	/** Milliseconds since the epoch, or an ISO date: the relay's choice, either way a valid `new Date()` argument. */
	createdAt: number | string;
	updatedAt: number | string;
}

export type BoardTemplate = 'empty' | 'sample';

export class ApiError extends Error {
	readonly status: number;
	constructor(status: number, message: string) {
		super(message);
		this.name = 'ApiError';
		this.status = status;
	}
}

async function request<T>(fetch: Fetch, path: string, init?: RequestInit): Promise<T> {
	const response = await fetch(path, {
		...init,
		headers: { accept: 'application/json', ...init?.headers }
	});
	const body: unknown = await response.json().catch(() => null);
	if (!response.ok) {
		const message =
			body && typeof body === 'object' && 'error' in body && typeof body.error === 'string'
				? body.error
				: `The server answered ${response.status} ${response.statusText}`.trim();
		throw new ApiError(response.status, message);
	}
	return body as T;
}

export async function listBoards(opts: { fetch: Fetch }): Promise<BoardSummary[]> {
	const body = await request<{ boards: BoardSummary[] }>(opts.fetch, '/api/boards');
	return body.boards;
}

/** The board's summary, or null when this server has no board with that id. */
export async function getBoard(opts: { fetch: Fetch; id: string }): Promise<BoardSummary | null> {
	try {
		return await request<BoardSummary>(opts.fetch, `/api/boards/${encodeURIComponent(opts.id)}`);
	} catch (error) {
		if (error instanceof ApiError && error.status === 404) return null;
		throw error;
	}
}

export async function createBoard(opts: {
	fetch: Fetch;
	title?: string;
	template: BoardTemplate;
}): Promise<{ id: string; title: string }> {
	return request(opts.fetch, '/api/boards', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ title: opts.title, template: opts.template })
	});
}
