/**
 * A board on either server, the way each one has boards: Railyard's must be created through its
 * API, and its clients need a link token (an editor link the owner mints through the API, as the
 * Share dialog does); the reference server has a document for any room name and no access
 * control. Seeding pushes one big update over the wire, as a client importing a board would, and
 * waits until the server has broadcast it back.
 */
import WebSocket from 'ws';
import { encodeUpdate } from '../../server/sync/protocol.ts';
import type { ServerInfo } from './protocol.ts';

/** The editor token each Railyard board's clients connect with, by board id. */
const editorTokens = new Map<string, string>();

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
