/**
 * A board on either server, the way each one has boards: Railyard's must be created through its
 * API; the reference server has a document for any room name. Seeding pushes one big update over
 * the wire, as a client importing a board would, and waits until the server has broadcast it back.
 */
import WebSocket from 'ws';
import { encodeUpdate } from '../../server/protocol.ts';
import type { ServerInfo } from './protocol.ts';

export async function createBoard(server: ServerInfo): Promise<string> {
	if (server.kind === 'reference') return `bench-${Math.random().toString(36).slice(2)}`;
	const res = await fetch(`${server.httpUrl}/api/boards`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ template: 'empty', title: 'Benchmark' })
	});
	if (res.status !== 201) throw new Error(`create board: ${res.status} ${await res.text()}`);
	return ((await res.json()) as { id: string }).id;
}

export function boardUrl(server: ServerInfo, boardId: string): string {
	return `${server.syncUrl}/${boardId}`;
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
