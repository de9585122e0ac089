/**
 * Admission at the HTTP upgrade of /sync/<boardId>: everything decided before a socket exists.
 * The path names a board; the Origin is allowed; the connection limits have room; the link token
 * grants this board; the board loads; and the link still holds once it has. Every refusal is an
 * HTTP status with a JSON message, never an accepted socket closed at once (a stock client would
 * reconnect in a loop). An accepted socket is handed to the connection registry.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import type { AdmissionControl } from '../http/admission.ts';
import { clientIp } from '../http/admission.ts';
import { bearer } from '../http/api.ts';
import { AccessError, type Access, type Grant } from '../auth/access.ts';
import { BOARD_ID } from '../http/boards.ts';
import type { ConnectionRegistry } from './connections.ts';
import type { Logger } from '../log.ts';
import type { RefusalReason, RelayMetrics } from '../metrics.ts';
import { originAllowed } from '../http/origin.ts';
import type { RoomHandle, RoomSource } from './room-handle.ts';

export const SYNC_PREFIX = '/sync/';

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

interface Refusal {
	status: number;
	reason: RefusalReason;
	message: string;
}

export interface UpgradeOptions {
	wss: WebSocketServer;
	access: Access;
	rooms: RoomSource;
	connections: ConnectionRegistry;
	admission: AdmissionControl;
	logger: Logger;
	metrics: RelayMetrics;
	trustProxy: boolean;
	allowedOrigins: readonly string[] | null;
	/** True once the relay is shutting down: every upgrade is refused with 503. */
	closing: () => boolean;
}

/** Handles an upgrade for /sync/<id>; returns false (and does nothing) for other paths. */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean;

export function createUpgradeHandler(opts: UpgradeOptions): UpgradeHandler {
	const { access, rooms, metrics } = opts;
	const log = opts.logger;

	function refuse(socket: Duplex, refusal: Refusal, context: Record<string, unknown>): void {
		metrics.refused.inc({ reason: refusal.reason });
		const level = refusal.reason === 'not_found' ? 'debug' : 'warn';
		log[level]({ ...context, status: refusal.status, reason: refusal.reason }, 'upgrade refused');
		answerUpgrade(socket, refusal.status, refusal.message);
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
		let room: RoomHandle | null;
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
		let verdict: Awaited<ReturnType<Access['check']>>;
		try {
			verdict = await access.check(grant);
		} catch (err) {
			log.error({ board: boardId, err }, 'could not check the share link');
			const message = 'the link could not be checked';
			return refuse(socket, { status: 500, reason: 'load_failed', message }, { board: boardId });
		}
		if (socket.destroyed) return;
		if (verdict !== 'ok') {
			const status = verdict === 'expired' ? 401 : 403;
			const message =
				verdict === 'expired' ? 'this link has expired' : 'this link has been revoked';
			const reason = status === 401 ? 'unauthorized' : 'forbidden';
			return refuse(socket, { status, reason, message }, { board: boardId, why: verdict });
		}
		const loaded = room;
		const granted = grant;
		opts.wss.handleUpgrade(req, socket, head, (ws) =>
			opts.connections.connect(loaded, ws, target.ip, granted)
		);
	}

	return (req, socket, head) => {
		const url = new URL(req.url ?? '/', 'http://localhost');
		const path = url.pathname;
		if (!path.startsWith(SYNC_PREFIX)) return false;
		socket.on('error', (err) => log.debug({ err }, 'upgrade socket error'));
		if (opts.closing()) {
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
		const ip = clientIp(req, { trustProxy: opts.trustProxy });
		if (!originAllowed(req, opts.allowedOrigins)) {
			const message = 'origin not allowed';
			const context = { board: boardId, ip, origin: req.headers.origin };
			refuse(socket, { status: 403, reason: 'origin', message }, context);
			return true;
		}
		const admitted = opts.admission.admit({ boardId, ip });
		if (!admitted.ok) {
			refuse(socket, admitted, { board: boardId, ip });
			return true;
		}
		// The socket closing is the one event every path ends in: refused, failed, or done.
		socket.once('close', admitted.release);
		const token = url.searchParams.get('token') ?? bearer(req);
		void upgrade(req, socket, head, { boardId, ip, token });
		return true;
	};
}
