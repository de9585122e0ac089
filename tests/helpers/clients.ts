/**
 * Stock y-websocket clients in Node, exactly as any third-party client would connect. Each test
 * client disables BroadcastChannel, or clients in one process would sync without the relay.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';

export interface TestClient {
	doc: Y.Doc;
	provider: WebsocketProvider;
	synced: Promise<void>;
	destroy(): void;
}

export function connectClient(syncUrl: string, boardId: string, doc = new Y.Doc()): TestClient {
	const provider = new WebsocketProvider(syncUrl, boardId, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		// Tests assert on what the relay refuses; don't let a client retry forever.
		maxBackoffTime: 500
	});
	const synced = new Promise<void>((resolve) => {
		if (provider.synced) resolve();
		else provider.once('sync', () => resolve());
	});
	return {
		doc,
		provider,
		synced,
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}

/** A raw socket to the relay, for sending frames no stock client would. */
export async function openRawSocket(syncUrl: string, boardId: string): Promise<WebSocket> {
	const ws = new WebSocket(`${syncUrl}/${boardId}`);
	ws.binaryType = 'nodebuffer';
	await new Promise<void>((resolve, reject) => {
		ws.once('open', () => resolve());
		ws.once('error', reject);
	});
	return ws;
}

export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
	return new Promise((resolve) => {
		if (ws.readyState === ws.CLOSED) return resolve({ code: 1006, reason: '' });
		ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
	});
}
