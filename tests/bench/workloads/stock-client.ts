/** A stock y-websocket client in the driver, exactly as a browser tab would connect. */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { ServerInfo } from '../protocol.ts';

export interface StockClient {
	doc: Y.Doc;
	provider: WebsocketProvider;
	synced: Promise<void>;
	destroy(): void;
}

export function stockClient(server: ServerInfo, boardId: string): StockClient {
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(server.syncUrl, boardId, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		// All clients share one process: without this they would sync through BroadcastChannel.
		disableBc: true
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
