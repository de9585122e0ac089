/**
 * The relay's history API for one board (server/http/checkpoints.ts): its checkpoints, each one's
 * saved state, saving a named one, and who sent the board's edits. The history panel's state class
 * (src/lib/state/checkpoints.svelte.ts) is its only user.
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

export interface CheckpointsClient {
	list(): Promise<CheckpointInfo[]>;
	save(opts: { name: string; authorName: string }): Promise<CheckpointInfo>;
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
