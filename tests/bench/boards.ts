/**
 * A board on either server, the way each one has boards: Railyard's must be created through its
 * API, and its clients need a link token (an editor link the owner mints through the API, as the
 * Share dialog does); the reference server has a document for any room name and no access
 * control. Seeding pushes one big update over the wire, as a client importing a board would, and
 * waits until the server has broadcast it back.
 */
import WebSocket from 'ws';
import { encodeFacilitation, encodeUpdate } from '../../server/sync/protocol.ts';
import type { ServerInfo } from './protocol.ts';

/** The editor token each Railyard board's clients connect with, by board id. */
const editorTokens = new Map<string, string>();
/** The owner token of each Railyard board, for facilitation commands. */
const ownerTokens = new Map<string, string>();

async function post(url: string, body: unknown, token?: string): Promise<unknown> {
	const res = await fetch(url, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			...(token ? { authorization: `Bearer ${token}` } : {})
		},
		body: JSON.stringify(body)
	});
	if (res.status !== 201) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
	return res.json();
}

export async function createBoard(server: ServerInfo): Promise<string> {
	if (server.kind === 'reference') return `bench-${Math.random().toString(36).slice(2)}`;
	const created = (await post(`${server.httpUrl}/api/boards`, {
		template: 'empty',
		title: 'Benchmark'
	})) as { id: string; owner: { token: string } };
	const shared = (await post(
		`${server.httpUrl}/api/boards/${created.id}/links`,
		{ role: 'editor', label: 'bench' },
		created.owner.token
	)) as { token: string };
	editorTokens.set(created.id, shared.token);
	ownerTokens.set(created.id, created.owner.token);
	return created.id;
}

export function boardUrl(server: ServerInfo, boardId: string): string {
	const token = server.kind === 'railyard' ? editorTokens.get(boardId) : undefined;
	return `${server.syncUrl}/${boardId}` + (token ? `?token=${encodeURIComponent(token)}` : '');
}

/** Sends `update` to the board and resolves once the server has relayed it back. */
export async function seedBoard(server: ServerInfo, boardId: string, update: Uint8Array) {
	const ws = new WebSocket(boardUrl(server, boardId));
	ws.binaryType = 'nodebuffer';
	await new Promise<void>((resolve, reject) => {
		ws.on('open', () => ws.send(encodeUpdate(update)));
		ws.on('message', (data: Buffer) => {
			// [sync, update, ...]: the relayed update (a large one; the handshake frames are small).
			if (data[0] === 0 && data[1] === 2 && data.length > update.length / 2) resolve();
		});
		ws.on('error', reject);
		ws.on('close', (code) => reject(new Error(`seeding socket closed with ${code}`)));
	});
	ws.removeAllListeners('close');
	ws.close();
}

/**
 * Turns workshop locks on for a Railyard board, as its facilitator would over the facilitation
 * channel: the structure, and one program (none of the bench's writes touch either, so every
 * update is judged and accepted: the cost measured is the guard's, not a revert's). Resolves once
 * the relay has broadcast both locks.
 */
export async function lockBoard(server: ServerInfo, boardId: string): Promise<void> {
	const token = ownerTokens.get(boardId);
	if (!token) throw new Error(`no owner token for ${boardId}`);
	const ws = new WebSocket(`${server.syncUrl}/${boardId}?token=${encodeURIComponent(token)}`);
	ws.binaryType = 'nodebuffer';
	const send = (message: unknown) => ws.send(encodeFacilitation(JSON.stringify(message)));
	// One lock at a time: two sent together are stored and broadcast as one merged update.
	const locks = [{ kind: 'structure' }, { kind: 'program', id: 'bench-program' }];
	await new Promise<void>((resolve, reject) => {
		const next = () => {
			const target = locks.shift();
			if (!target) return resolve();
			send({ type: 'lock', target, locked: true });
		};
		ws.on('open', () => {
			send({ type: 'hello', name: 'Bench', clientNow: Date.now() });
			next();
		});
		ws.on('message', (data: Buffer) => {
			// [sync, update, ...]: the relayed lock.
			if (data[0] === 0 && data[1] === 2) next();
		});
		ws.on('error', reject);
		ws.on('close', (code) => reject(new Error(`locking socket closed with ${code}`)));
	});
	ws.removeAllListeners('close');
	ws.close();
}
