/**
 * Stock y-websocket clients in Node, exactly as any third-party client would connect, and raw
 * sockets for what no stock client would do. Each test client disables BroadcastChannel, or
 * clients in one process would sync without the relay.
 */
import crypto from 'node:crypto';
import net from 'node:net';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { boardTokens } from './relay.ts';

/** `token` when given, else the board's owner token (if the helpers created it). */
function tokenFor(boardId: string, token: string | null | undefined): string | null {
	return token === undefined ? (boardTokens.get(boardId) ?? null) : token;
}

/** The upgrade URL for `boardId`, with `?token=` as a stock client's `params` would add it. */
export function syncUrlFor(syncUrl: string, boardId: string, token?: string | null): string {
	const t = tokenFor(boardId, token);
	return `${syncUrl}/${boardId}` + (t === null ? '' : `?token=${encodeURIComponent(t)}`);
}

export interface TestClient {
	doc: Y.Doc;
	provider: WebsocketProvider;
	synced: Promise<void>;
	destroy(): void;
}

export function connectClient(
	syncUrl: string,
	boardId: string,
	doc = new Y.Doc(),
	opts: { token?: string | null; headers?: Record<string, string> } = {}
): TestClient {
	const token = tokenFor(boardId, opts.token);
	const provider = new WebsocketProvider(syncUrl, boardId, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		// Tests assert on what the relay refuses; don't let a client retry forever.
		maxBackoffTime: 500,
		params: token === null ? {} : { token }
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

export interface RawSocketOptions {
	/** Connect from this local address (any of 127.0.0.0/8 works on Linux): another "client IP". */
	localAddress?: string;
	headers?: Record<string, string>;
	/** The link token to send; undefined: the board's owner token; null: none. */
	token?: string | null;
}

/** A raw socket to the relay, for sending frames no stock client would. */
export async function openRawSocket(
	syncUrl: string,
	boardId: string,
	opts: RawSocketOptions = {}
): Promise<WebSocket> {
	const ws = new WebSocket(syncUrlFor(syncUrl, boardId, opts.token), {
		localAddress: opts.localAddress,
		headers: opts.headers
	});
	ws.binaryType = 'nodebuffer';
	await new Promise<void>((resolve, reject) => {
		ws.once('open', () => resolve());
		ws.once('error', reject);
		ws.once('unexpected-response', (_req, res) =>
			reject(new Error(`upgrade refused with ${res.statusCode}`))
		);
	});
	return ws;
}

/** Every binary message `ws` receives from now on, in order. */
export function collect(ws: WebSocket): Buffer[] {
	const received: Buffer[] = [];
	ws.on('message', (data: Buffer) => received.push(data));
	return received;
}

/** The HTTP status the relay answers an upgrade with: 101 when it accepts the WebSocket. */
export async function upgradeStatus(
	syncUrl: string,
	boardId: string,
	opts: RawSocketOptions = {}
): Promise<{ status: number; ws: WebSocket | null; error?: string }> {
	const ws = new WebSocket(syncUrlFor(syncUrl, boardId, opts.token), {
		localAddress: opts.localAddress,
		headers: opts.headers
	});
	return new Promise((resolve) => {
		ws.once('open', () => resolve({ status: 101, ws }));
		ws.once('unexpected-response', (_req, res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => (body += chunk));
			res.on('end', () => {
				let error: string | undefined;
				try {
					error = (JSON.parse(body) as { error?: string }).error;
				} catch {
					// not JSON
				}
				resolve({ status: res.statusCode ?? 0, ws: null, error });
				ws.terminate();
			});
			res.on('error', () => resolve({ status: res.statusCode ?? 0, ws: null }));
		});
		ws.once('error', () => resolve({ status: 0, ws: null }));
	});
}

export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
	return new Promise((resolve) => {
		if (ws.readyState === ws.CLOSED) return resolve({ code: 1006, reason: '' });
		ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
	});
}

/**
 * A client that completes the WebSocket handshake and then never reads again: no pongs, no
 * draining, like a laptop whose Wi-Fi froze. A plain TCP socket, so nothing reads on its behalf.
 */
export async function openStalledSocket(syncUrl: string, boardId: string): Promise<net.Socket> {
	const url = new URL(syncUrlFor(syncUrl, boardId));
	const socket = net.connect({ host: url.hostname, port: Number(url.port) });
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', () => resolve());
		socket.once('error', reject);
	});
	socket.write(
		`GET ${url.pathname}${url.search} HTTP/1.1\r\n` +
			`Host: ${url.host}\r\n` +
			'Upgrade: websocket\r\nConnection: Upgrade\r\n' +
			`Sec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}\r\n` +
			'Sec-WebSocket-Version: 13\r\n\r\n'
	);
	await new Promise<void>((resolve, reject) => {
		let head = '';
		const onData = (chunk: Buffer) => {
			head += chunk.toString('latin1');
			if (!head.includes('\r\n\r\n')) return;
			socket.off('data', onData);
			if (head.startsWith('HTTP/1.1 101')) resolve();
			else reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
		};
		socket.on('data', onData);
	});
	socket.pause();
	socket.on('error', () => {});
	return socket;
}
