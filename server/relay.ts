/**
 * The relay: WebSocket upgrades at /sync/<boardId> speaking the stock y-websocket protocol, plus
 * the small HTTP API. Transport details live here; rooms see only Peers.
 *
 * Fail the message, not the process: every frame is handled under its own guard; a bad one
 * closes only its own socket, with a named close code and a log line saying why.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { handleApi } from './api.ts';
import { CloseCode } from './close-codes.ts';
import { DEFAULT_LIMITS, type RelayLimits } from './config.ts';
import type { Logger } from './log.ts';
import type { Peer } from './peer.ts';
import { BadUpdateError, type Room } from './room.ts';
import { Rooms } from './rooms.ts';
import { ProtocolError } from './protocol.ts';
import { BOARD_ID } from './api.ts';
import type { BoardStore } from './storage/types.ts';

export const SYNC_PREFIX = '/sync/';

export interface RelayOptions {
	store: BoardStore;
	logger: Logger;
	limits?: Partial<RelayLimits>;
}

export interface Relay {
	readonly rooms: Rooms;
	/** Handles an upgrade for /sync/<id>; returns false (and does nothing) for other paths. */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
	/** Answers /healthz, /readyz and /api/*; returns false for other paths. */
	handleHttp(req: IncomingMessage, res: ServerResponse): boolean;
	/** Flushes every board, closes every socket (1001) and stops accepting new ones. */
	close(): Promise<void>;
}

function reject(socket: Duplex, status: number, message: string): void {
	const body = JSON.stringify({ error: message });
	socket.end(
		`HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : status === 503 ? 'Service Unavailable' : 'Error'}\r\n` +
			'Content-Type: application/json\r\n' +
			`Content-Length: ${Buffer.byteLength(body)}\r\n` +
			'Connection: close\r\n\r\n' +
			body
	);
}

export function createRelay(opts: RelayOptions): Relay {
	const limits: RelayLimits = { ...DEFAULT_LIMITS, ...opts.limits };
	const log = opts.logger;
	const rooms = new Rooms({ store: opts.store, logger: log, limits });
	const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes });
	let closing = false;
	let nextConn = 0;

	function connect(room: Room, ws: WebSocket, req: IncomingMessage): void {
		const id = (++nextConn).toString(36);
		const connLog = log.child({ board: room.id, conn: id });
		const peer: Peer = {
			id,
			send(frame) {
				if (ws.readyState === ws.OPEN) ws.send(frame);
			},
			close(code, reason) {
				ws.close(code, reason);
			}
		};
		ws.on('message', (data: Buffer, isBinary: boolean) => {
			try {
				if (!isBinary) throw new ProtocolError('text frames are not part of the protocol');
				room.receive(peer, data);
			} catch (err) {
				const code =
					err instanceof BadUpdateError
						? CloseCode.BAD_UPDATE
						: err instanceof ProtocolError
							? CloseCode.PROTOCOL_ERROR
							: CloseCode.INTERNAL_ERROR;
				const level = code === CloseCode.INTERNAL_ERROR ? 'error' : 'warn';
				connLog[level]({ err, code, bytes: data.length }, 'closing connection after a bad message');
				ws.close(code, (err as Error).message.slice(0, 120));
			}
		});
		ws.on('error', (err) => connLog.warn({ err }, 'socket error'));
		ws.on('close', (code) => {
			rooms.leave(room, peer);
			connLog.debug({ code }, 'disconnected');
		});
		rooms.join(room, peer);
		connLog.debug({ ip: req.socket.remoteAddress }, 'connected');
	}

	async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, boardId: string) {
		let room: Room | null;
		try {
			room = await rooms.open(boardId);
		} catch (err) {
			log.error({ board: boardId, err }, 'could not load board');
			return reject(socket, 500, 'the board could not be loaded');
		}
		if (!room) return reject(socket, 404, 'no such board');
		if (socket.destroyed) return;
		const loaded = room;
		wss.handleUpgrade(req, socket, head, (ws) => connect(loaded, ws, req));
	}

	return {
		rooms,
		handleUpgrade(req, socket, head) {
			const path = new URL(req.url ?? '/', 'http://localhost').pathname;
			if (!path.startsWith(SYNC_PREFIX)) return false;
			socket.on('error', (err) => log.debug({ err }, 'upgrade socket error'));
			if (closing) {
				reject(socket, 503, 'the relay is shutting down');
				return true;
			}
			const boardId = decodeURIComponent(path.slice(SYNC_PREFIX.length));
			if (!BOARD_ID.test(boardId)) {
				reject(socket, 404, 'no such board');
				return true;
			}
			void upgrade(req, socket, head, boardId);
			return true;
		},
		handleHttp(req, res) {
			return handleApi({ store: opts.store, logger: log, isReady: () => !closing }, req, res);
		},
		async close() {
			closing = true;
			rooms.closeAll(CloseCode.GOING_AWAY, 'server shutting down');
			for (const ws of wss.clients) ws.terminate();
			await new Promise<void>((resolve) => wss.close(() => resolve()));
		}
	};
}
