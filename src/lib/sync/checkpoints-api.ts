/**
 * The relay's history API for one board (server/http/checkpoints.ts, server/http/history.ts): its
 * checkpoints, each one's saved state, saving, renaming and deleting one, who sent the board's
 * edits, and the timestamped updates replay rebuilds the board from. The history panel's state
 * classes (src/lib/state/checkpoints.svelte.ts, replay.svelte.ts) are its only users.
 */
import { boardPath, request, type Fetch } from './boards-api.ts';

export interface CheckpointInfo {
	id: string;
	kind: 'named' | 'auto';
	name: string;
	createdAt: number;
	/** Who saved it; for an automatic one, who had edited since the one before. */
	authorName: string;
	linkId: string | null;
	bytes: number;
}

export interface AuthorInfo {
	/** The Yjs client id every item that session wrote carries. */
	clientId: number;
	linkId: string;
	name: string;
	firstAt: number;
	lastAt: number;
}

/** The history the relay keeps: from `start` to `now` (both by the relay's clock). */
export interface HistoryRange {
	start: number;
	now: number;
}

/** What replay needs for a period: the board at `from`, and every change after it up to `to`. */
export interface ReplayData {
	/** Where the kept history starts. */
	start: number;
	/** The period asked for (`from` moved to `start` if it was earlier). */
	from: number;
	to: number;
	/** The board at `from`, as one Yjs update. */
	state: Uint8Array;
	/** Oldest first; `at` never goes backwards. */
	updates: { at: number; data: Uint8Array }[];
}

export interface CheckpointsClient {
	list(): Promise<CheckpointInfo[]>;
	save(opts: { name: string; authorName: string }): Promise<CheckpointInfo>;
	rename(id: string, name: string): Promise<CheckpointInfo>;
	remove(id: string): Promise<void>;
	historyRange(): Promise<HistoryRange>;
	replay(period: { from: number; to: number }): Promise<ReplayData>;
	/** The board as it was, as one Yjs update. */
	state(id: string): Promise<Uint8Array>;
	authors(): Promise<AuthorInfo[]>;
}

function fromBase64(text: string): Uint8Array {
	const binary = atob(text);
	const out = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
	return out;
}

export function checkpointsClient(opts: {
	fetch?: Fetch;
	boardId: string;
	token: string;
}): CheckpointsClient {
	const fetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
	const base = `${boardPath(opts.boardId)}/checkpoints`;
	const { token } = opts;
	return {
		async list() {
			const body = await request<{ checkpoints: CheckpointInfo[] }>(fetch, base, { token });
			return body.checkpoints;
		},
		async save({ name, authorName }) {
			const body = await request<{ checkpoint: CheckpointInfo }>(fetch, base, {
				method: 'POST',
				token,
				body: JSON.stringify({ name, authorName })
			});
			return body.checkpoint;
		},
		async rename(id, name) {
			const path = `${base}/${encodeURIComponent(id)}`;
			const body = await request<{ checkpoint: CheckpointInfo }>(fetch, path, {
				method: 'PATCH',
				token,
				body: JSON.stringify({ name })
			});
			return body.checkpoint;
		},
		async remove(id) {
			await request(fetch, `${base}/${encodeURIComponent(id)}`, { method: 'DELETE', token });
		},
		historyRange() {
			return request<HistoryRange>(fetch, `${boardPath(opts.boardId)}/history`, { token });
		},
		async replay({ from, to }) {
			const path = `${boardPath(opts.boardId)}/history?from=${from}&to=${to}`;
			const body = await request<{
				start: number;
				from: number;
				to: number;
				state: string;
				updates: { at: number; data: string }[];
			}>(fetch, path, { token });
			return {
				start: body.start,
				from: body.from,
				to: body.to,
				state: fromBase64(body.state),
				updates: body.updates.map((u) => ({ at: u.at, data: fromBase64(u.data) }))
			};
		},
		async state(id) {
			const path = `${base}/${encodeURIComponent(id)}`;
			const body = await request<{ state: string }>(fetch, path, { token });
			return fromBase64(body.state);
		},
		async authors() {
			const path = `${boardPath(opts.boardId)}/authors`;
			return (await request<{ authors: AuthorInfo[] }>(fetch, path, { token })).authors;
		}
	};
}
