/**
 * The relay: WebSocket upgrades at /sync/<boardId> speaking the stock y-websocket protocol, plus
 * the small HTTP API and /metrics. Admission (who may connect) is decided here, at the HTTP
 * upgrade; each socket is then a Connection (connection.ts) and rooms see only Peers.
 *
 * Access: the upgrade must carry a link token for the board (`?token=`, which a stock client
 * sends through its `params`, or `Authorization: Bearer`) and come from an allowed Origin; every
 * refusal is an HTTP status, never an accepted socket closed at once (a stock client would
 * reconnect in a loop). A link revoked or expired later ends its connections with 4403 / 4401,
 * which stock clients do not retry: at once when revoked through this relay's API, otherwise at
 * the next access check (every `accessCheckIntervalMs`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { AdmissionControl, clientIp } from './admission.ts';
import { bearer, handleApi } from './api.ts';
import { AccessError, createAccess, type Access, type Grant } from './auth/access.ts';
import { BOARD_ID } from './boards.ts';
import { CloseCode } from './close-codes.ts';
import { DEFAULT_LIMITS, type RelayLimits } from './config.ts';
import { Connection } from './connection.ts';
import type { Logger } from './log.ts';
import { createMetrics, serveMetrics, type RefusalReason, type RelayMetrics } from './metrics.ts';
import { originAllowed } from './origin.ts';
import type { Room } from './room.ts';
import { boardDocs } from './porting.ts';
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
	/** The key that signs link tokens (auth/secret.ts). */
	secret: Uint8Array;
	/** RAILYARD_ADMIN_TOKEN: lets GET /api/boards list every board. Unset: nobody may. */
	adminToken?: string | null;
	/** RAILYARD_ALLOWED_ORIGINS; unset: only pages from the host the request was sent to. */
	allowedOrigins?: readonly string[] | null;
	/** The clock links expire by (tests move it). */
	now?: () => number;
}

export interface Relay {
	readonly rooms: Rooms;
	readonly metrics: RelayMetrics;
	readonly access: Access;
	/** Handles an upgrade for /sync/<id>; returns false (and does nothing) for other paths. */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
	/** Answers /healthz, /readyz, /metrics and /api/*; returns false for other paths. */
	handleHttp(req: IncomingMessage, res: ServerResponse): boolean;
	/** Flushes every board, closes every socket (1001) and stops accepting new ones. */
	close(): Promise<void>;
}

const STATUS_TEXT: Record<number, string> = {
	401: 'Unauthorized',
	403: 'Forbidden',
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
	const docs = boardDocs({ store: opts.store, rooms });
	const admission = new AdmissionControl({
		perRoom: limits.maxConnectionsPerRoom,
		perIp: limits.maxConnectionsPerIp
	});
	const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes });
	// A tick that comes late means the relay itself was stalled (a big load, a slow disk): the
	// pongs are waiting unread, so nobody is judged on that round, only pinged again.
	let lastBeat = Date.now();
	const heartbeat =
		limits.pingIntervalMs > 0
			? setInterval(() => {
					const at = Date.now();
					const stalled = at - lastBeat > limits.pingIntervalMs * 1.5;
					lastBeat = at;
					for (const conn of connections) conn.heartbeat({ stalled });
				}, limits.pingIntervalMs)
			: null;
	heartbeat?.unref();
	const now = opts.now ?? Date.now;
	const access = createAccess({ store: opts.store, secret: opts.secret, now });
	const allowedOrigins = opts.allowedOrigins ?? null;
	const accessCheck = setInterval(checkAccess, limits.accessCheckIntervalMs);
	accessCheck.unref();
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

	/** Ends `conn` because its link no longer holds. */
	function endAccess(conn: Connection, verdict: 'revoked' | 'expired'): void {
		if (verdict === 'expired') conn.close(CloseCode.LINK_EXPIRED, 'this link has expired');
		else if (!opts.store.info(conn.grant.boardId)) {
			conn.close(CloseCode.BOARD_GONE, 'this board no longer exists');
		} else conn.close(CloseCode.LINK_REVOKED, 'this link has been revoked');
	}

	/** Re-checks every connection's link: revoked elsewhere (the CLI), or expired since. */
	function checkAccess(): void {
		const verdicts = new Map<string, ReturnType<Access['check']>>();
		try {
			for (const conn of connections) {
				const { linkId } = conn.grant;
				let verdict = verdicts.get(linkId);
				if (verdict === undefined) {
					verdict = access.check(conn.grant);
					verdicts.set(linkId, verdict);
				}
				if (verdict !== 'ok') endAccess(conn, verdict);
			}
		} catch (err) {
			log.error({ err }, 'could not check share links');
		}
	}

	function connect(room: Room, ws: WebSocket, ip: string, grant: Grant): void {
		const id = (++nextConn).toString(36);
		const connLog = log.child({ board: room.id, conn: id });
		const conn = new Connection({
			ws,
			id,
			room,
			grant,
			logger: connLog,
			limits,
			metrics,
			onClosed: () => {
				connections.delete(conn);
				rooms.leave(room, conn);
			}
		});
		connections.add(conn);
		if (closing) {
			conn.close(CloseCode.GOING_AWAY, 'server shutting down');
			return;
		}
		const verdict = access.check(grant);
		if (verdict !== 'ok') {
			endAccess(conn, verdict);
			return;
		}
		if (rooms.get(room.id) !== room) {
			// The room was dropped while the handshake ran (reset, shutdown): let the client retry.
			conn.close(CloseCode.GOING_AWAY, 'board reloading; reconnect');
			return;
		}
		rooms.join(room, conn);
		connLog.debug({ ip, role: grant.role, link: grant.linkId }, 'connected');
	}

	async function authorize(
		socket: Duplex,
		target: { boardId: string; token: string | null }
	): Promise<Grant | null> {
		const { boardId, token } = target;
		try {
			return await access.authorize({ boardId, token });
		} catch (err) {
			if (!(err instanceof AccessError)) throw err;
			const reason: RefusalReason =
				err.status === 401 ? 'unauthorized' : err.status === 403 ? 'forbidden' : 'not_found';
			refuse(
				socket,
				{ status: err.status, reason, message: err.message },
				{ board: boardId, why: err.reason }
			);
			return null;
		}
	}

	async function upgrade(
		req: IncomingMessage,
		socket: Duplex,
		head: Buffer,
		target: { boardId: string; ip: string; token: string | null }
	) {
		const { boardId } = target;
		let grant: Grant | null;
		let room: Room | null;
		try {
			// The token first: nobody without one makes the relay load a board.
			grant = await authorize(socket, target);
			if (!grant) return;
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
		// Loading the board took time: a link revoked (or expired) meanwhile is refused here, still
		// as an HTTP status, since the revoke only reached the connections that existed then.
		const verdict = access.check(grant);
		if (verdict !== 'ok') {
			const status = verdict === 'expired' ? 401 : 403;
			const message =
				verdict === 'expired' ? 'this link has expired' : 'this link has been revoked';
			const reason = status === 401 ? 'unauthorized' : 'forbidden';
			return refuse(socket, { status, reason, message }, { board: boardId, why: verdict });
		}
		const loaded = room;
		const granted = grant;
		wss.handleUpgrade(req, socket, head, (ws) => connect(loaded, ws, target.ip, granted));
	}

	return {
		rooms,
		metrics,
		access,
		handleUpgrade(req, socket, head) {
			const url = new URL(req.url ?? '/', 'http://localhost');
			const path = url.pathname;
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
			if (!originAllowed(req, allowedOrigins)) {
				const message = 'origin not allowed';
				const context = { board: boardId, ip, origin: req.headers.origin };
				refuse(socket, { status: 403, reason: 'origin', message }, context);
				return true;
			}
			const admitted = admission.admit({ boardId, ip });
			if (!admitted.ok) {
				refuse(socket, admitted, { board: boardId, ip });
				return true;
			}
			// The socket closing is the one event every path ends in: refused, failed, or done.
			socket.once('close', admitted.release);
			const token = url.searchParams.get('token') ?? bearer(req);
			void upgrade(req, socket, head, { boardId, ip, token });
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
			return handleApi(
				{
					store: opts.store,
					access,
					logger: log,
					isReady: () => !closing,
					adminToken: opts.adminToken ?? null,
					now,
					onRevoked: (link) => {
						for (const conn of connections)
							if (conn.grant.linkId === link.id) endAccess(conn, 'revoked');
					},
					docs,
					onDeleted: (boardId) => {
						rooms.discard(boardId, CloseCode.BOARD_GONE, 'this board no longer exists');
						// And any of its connections the loaded room did not hold (a room reloaded meanwhile).
						for (const conn of connections) {
							if (conn.grant.boardId === boardId) {
								conn.close(CloseCode.BOARD_GONE, 'this board no longer exists');
							}
						}
					}
				},
				req,
				res
			);
		},
		async close() {
			closing = true;
			if (heartbeat) clearInterval(heartbeat);
			clearInterval(accessCheck);
			rooms.closeAll(CloseCode.GOING_AWAY, 'server shutting down');
			for (const ws of wss.clients) ws.terminate();
			await new Promise<void>((resolve) => wss.close(() => resolve()));
		}
	};
}
