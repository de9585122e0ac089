/**
 * The relay: WebSocket upgrades at /sync/<boardId> speaking the stock y-websocket protocol, plus
 * the small HTTP API and /metrics. Admission (who may connect) is decided here, at the HTTP
 * upgrade; each socket is then a Connection (connection.ts) and rooms see only Peers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { AdmissionControl, clientIp } from './admission.ts';
import { handleApi } from './api.ts';
import { BOARD_ID } from './boards.ts';
import { CloseCode } from './close-codes.ts';
import { DEFAULT_LIMITS, type RelayLimits } from './config.ts';
import { Connection } from './connection.ts';
import type { Logger } from './log.ts';
import { createMetrics, serveMetrics, type RefusalReason, type RelayMetrics } from './metrics.ts';
import type { Room } from './room.ts';
import { Rooms } from './rooms.ts';
import type { BoardStore } from './storage/types.ts';

export const SYNC_PREFIX = '/sync/';

export interface RelayOptions {
	store: BoardStore;
	logger: Logger;
	limits?: Partial<RelayLimits>;
	/** Take the client IP from X-Forwarded-For (behind a reverse proxy). */
	trustProxy?: boolean;
	/** Export process-wide metrics too; only one relay per process should. */
	processMetrics?: boolean;
}

export interface Relay {
	readonly rooms: Rooms;
	readonly metrics: RelayMetrics;
	/** Handles an upgrade for /sync/<id>; returns false (and does nothing) for other paths. */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
	/** Answers /healthz, /readyz, /metrics and /api/*; returns false for other paths. */
	handleHttp(req: IncomingMessage, res: ServerResponse): boolean;
	/** Flushes every board, closes every socket (1001) and stops accepting new ones. */
	close(): Promise<void>;
}

const STATUS_TEXT: Record<number, string> = {
	404: 'Not Found',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	503: 'Service Unavailable'
};

function answerUpgrade(socket: Duplex, status: number, message: string): void {
	const body = JSON.stringify({ error: message });
	socket.end(
		`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\n` +
			'Content-Type: application/json\r\n' +
			`Content-Length: ${Buffer.byteLength(body)}\r\n` +
			(status === 429 || status === 503 ? 'Retry-After: 5\r\n' : '') +
			'Connection: close\r\n\r\n' +
			body
	);
}

export function createRelay(opts: RelayOptions): Relay {
	const limits: RelayLimits = { ...DEFAULT_LIMITS, ...opts.limits };
	const log = opts.logger;
	const connections = new Set<Connection>();
	const metrics = createMetrics({
		roomsLoaded: () => rooms.size,
		connections: () => connections.size,
		queuedBytes: () => {
			let total = 0;
			for (const conn of connections) total += conn.queuedBytes;
			return total;
		},
		processMetrics: opts.processMetrics
	});
	const rooms = new Rooms({ store: opts.store, logger: log, limits, metrics });
	const admission = new AdmissionControl({
		perRoom: limits.maxConnectionsPerRoom,
		perIp: limits.maxConnectionsPerIp
	});
	const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes });
	const heartbeat =
		limits.pingIntervalMs > 0
			? setInterval(() => {
					for (const conn of connections) conn.heartbeat();
				}, limits.pingIntervalMs)
			: null;
	heartbeat?.unref();
	let closing = false;
	let nextConn = 0;

	function refuse(
		socket: Duplex,
		refusal: { status: number; reason: RefusalReason; message: string },
		context: Record<string, unknown>
	): void {
		metrics.refused.inc({ reason: refusal.reason });
		const level = refusal.reason === 'not_found' ? 'debug' : 'warn';
		log[level]({ ...context, status: refusal.status, reason: refusal.reason }, 'upgrade refused');
		answerUpgrade(socket, refusal.status, refusal.message);
	}

	function connect(room: Room, ws: WebSocket, ip: string): void {
		const id = (++nextConn).toString(36);
		const connLog = log.child({ board: room.id, conn: id });
		const conn = new Connection({
			ws,
			id,
			room,
			logger: connLog,
			limits,
			metrics,
			onClosed: () => {
				connections.delete(conn);
				rooms.leave(room, conn);
			}
		});
		connections.add(conn);
		if (rooms.get(room.id) !== room) {
			// The room was dropped while the handshake ran (reset, shutdown): let the client retry.
			conn.close(CloseCode.GOING_AWAY, 'board reloading; reconnect');
			return;
		}
		rooms.join(room, conn);
		connLog.debug({ ip }, 'connected');
	}

	async function upgrade(
		req: IncomingMessage,
		socket: Duplex,
		head: Buffer,
		target: { boardId: string; ip: string }
	) {
		const { boardId } = target;
		let room: Room | null;
		try {
			room = await rooms.open(boardId);
		} catch (err) {
			metrics.errors.inc({ kind: 'load' });
			log.error({ board: boardId, err }, 'could not load board');
			const message = 'the board could not be loaded';
			return refuse(socket, { status: 500, reason: 'load_failed', message }, { board: boardId });
		}
		if (!room) {
			const message = 'no such board';
			return refuse(socket, { status: 404, reason: 'not_found', message }, { board: boardId });
		}
		if (socket.destroyed) return;
		const loaded = room;
		wss.handleUpgrade(req, socket, head, (ws) => connect(loaded, ws, target.ip));
	}

	return {
		rooms,
		metrics,
		handleUpgrade(req, socket, head) {
			const path = new URL(req.url ?? '/', 'http://localhost').pathname;
			if (!path.startsWith(SYNC_PREFIX)) return false;
			socket.on('error', (err) => log.debug({ err }, 'upgrade socket error'));
			if (closing) {
				const message = 'the relay is shutting down';
				refuse(socket, { status: 503, reason: 'shutting_down', message }, {});
				return true;
			}
			let boardId: string;
			try {
				boardId = decodeURIComponent(path.slice(SYNC_PREFIX.length));
			} catch {
				boardId = '';
			}
			if (!BOARD_ID.test(boardId)) {
				refuse(socket, { status: 404, reason: 'not_found', message: 'no such board' }, {});
				return true;
			}
			const ip = clientIp(req, { trustProxy: opts.trustProxy ?? false });
			const admitted = admission.admit({ boardId, ip });
			if (!admitted.ok) {
				refuse(socket, admitted, { board: boardId, ip });
				return true;
			}
			// The socket closing is the one event every path ends in: refused, failed, or done.
			socket.once('close', admitted.release);
			void upgrade(req, socket, head, { boardId, ip });
			return true;
		},
		handleHttp(req, res) {
			if (req.url === '/metrics' || req.url?.startsWith('/metrics?')) {
				serveMetrics(metrics, res).catch((err: unknown) => {
					log.error({ err }, 'could not render metrics');
					res.writeHead(500).end();
				});
				return true;
			}
			return handleApi({ store: opts.store, logger: log, isReady: () => !closing }, req, res);
		},
		async close() {
			closing = true;
			if (heartbeat) clearInterval(heartbeat);
			rooms.closeAll(CloseCode.GOING_AWAY, 'server shutting down');
			for (const ws of wss.clients) ws.terminate();
			await new Promise<void>((resolve) => wss.close(() => resolve()));
		}
	};
}
