/**
 * A protocol-faithful y-websocket client without a Y.Doc: on open it sends sync step 1 and its
 * presence, answers the server's step 1, and (like the stock client) sends back every awareness
 * frame it receives. It does not apply the board, so 200 of them in one process measure the
 * server, not the clients' CPU.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { encodeAwarenessEntries } from '../../server/sync/awareness-owners.ts';
import {
	decodeMessage,
	encodeAwareness,
	encodeSyncStep1,
	encodeSyncStep2,
	MESSAGE_AWARENESS,
	type Incoming
} from '../../server/sync/protocol.ts';

const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc());
const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc());

export interface RawJoin {
	ws: WebSocket;
	/** Resolves when the server's sync step 2 arrives: when a stock client reports "synced". */
	synced: Promise<{ at: number; bytes: number }>;
	close(): void;
}

export function presenceFrame(clientID: number, clock: number, state: unknown): Uint8Array {
	const json = JSON.stringify(state);
	return encodeAwareness(encodeAwarenessEntries([{ clientID, clock, json, removal: false }]));
}

export function rawJoin(opts: {
	/** ws://host:port/<prefix>/<board> */
	url: string;
	echoAwareness?: boolean;
	onMessage?: (message: Incoming, at: number) => void;
}): RawJoin {
	const ws = new WebSocket(opts.url);
	ws.binaryType = 'nodebuffer';
	const clientID = Math.floor(Math.random() * 2 ** 31);
	const synced = new Promise<{ at: number; bytes: number }>((resolve, reject) => {
		ws.on('open', () => {
			ws.send(encodeSyncStep1(EMPTY_STATE_VECTOR));
			ws.send(presenceFrame(clientID, 1, {}));
		});
		ws.on('message', (data: Buffer) => {
			const at = performance.now();
			if (data[0] === MESSAGE_AWARENESS) {
				if (opts.echoAwareness && ws.readyState === ws.OPEN) ws.send(data);
				if (!opts.onMessage) return;
			}
			const message = decodeMessage(data);
			if (message.type === 'sync-step1') ws.send(encodeSyncStep2(EMPTY_UPDATE));
			if (message.type === 'sync-step2') resolve({ at, bytes: message.update.length });
			opts.onMessage?.(message, at);
		});
		ws.on('error', reject);
		ws.on('close', (code) => reject(new Error(`closed with ${code} before syncing`)));
	});
	synced.catch(() => {});
	return { ws, synced, close: () => ws.terminate() };
}
