/**
 * The relay: WebSocket upgrades at /sync/<boardId> speaking the stock y-websocket protocol, plus
 * the small HTTP API and /metrics. This file only wires the parts together:
 *   upgrade.ts       admission at the HTTP upgrade (path, origin, limits, link, board load)
 *   connections.ts   the registry of open connections: heartbeat, link re-checks, revocation
 *   rooms.ts         loaded boards (room.ts and its parts)
 *   cluster/         cluster mode only: which relay owns each board, and forwarding to it
 *   api.ts           the boards API and probes
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
import { WebSocketServer } from 'ws';
import { CloseCode } from '../src/lib/protocol/close-codes.ts';
import { AdmissionControl } from './http/admission.ts';
import { handleApi } from './http/api.ts';
import { createAccess, type Access } from './auth/access.ts';
import { DEFAULT_LIMITS, type RelayLimits } from './config.ts';
import { ConnectionRegistry } from './sync/connections.ts';
import type { Logger } from './log.ts';
import { createMetrics, serveMetrics, type RelayMetrics } from './metrics.ts';
import { boardDocs } from './http/porting.ts';
import { Rooms } from './sync/rooms.ts';
import type { RoomSource } from './sync/room-handle.ts';
import type { BoardStore } from './storage/types.ts';
import { ClusterRooms } from './cluster/cluster-rooms.ts';
import type { ClusterLink } from './cluster/open.ts';
import { createUpgradeHandler, SYNC_PREFIX } from './sync/upgrade.ts';

export { SYNC_PREFIX };

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
	/**
	 * Cluster mode (server/cluster/): several relays on one PostgreSQL store, one owner per board.
	 * `claim` bumps a board's epoch in the store (postgres.ts). Absent: this relay serves every
	 * board itself, as always.
	 */
	cluster?: { link: ClusterLink; claim: (id: string) => Promise<number> };
}

export interface Relay {
	/** The boards this relay holds loaded (as owner, in cluster mode). */
	readonly rooms: Rooms;
	/** What connections open: `rooms` itself, or in cluster mode the router in front of it. */
	readonly boards: RoomSource;
	/** Cluster mode's router, for tests and logs; null on a single relay. */
	readonly cluster: ClusterRooms | null;
	readonly metrics: RelayMetrics;
	readonly access: Access;
	/** Handles an upgrade for /sync/<id>; returns false (and does nothing) for other paths. */
	handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
	/** Answers /healthz, /readyz, /metrics and /api/*; returns false for other paths. */
	handleHttp(req: IncomingMessage, res: ServerResponse): boolean;
	/** Flushes every board, closes every socket (1001) and stops accepting new ones. */
	close(): Promise<void>;
}

export function createRelay(opts: RelayOptions): Relay {
	const limits: RelayLimits = { ...DEFAULT_LIMITS, ...opts.limits };
	const log = opts.logger;
	const now = opts.now ?? Date.now;
	let closing = false;
	const metrics = createMetrics({
		roomsLoaded: () => rooms.size,
		connections: () => connections.size,
		queuedBytes: () => connections.queuedBytes,
		cluster: opts.cluster && (() => cluster?.counts ?? { owned: 0, forwarded: 0 }),
		processMetrics: opts.processMetrics
	});
	let cluster: ClusterRooms | null = null;
	const rooms = new Rooms({
		store: opts.store,
		logger: log,
		limits,
		metrics,
		now,
		...(opts.cluster && {
			onRoomClosed: (room, reason) => cluster?.roomClosed(room, reason),
			fanout: (id: string) => (frame: Uint8Array) => cluster?.fanout(id, frame)
		})
	});
	if (opts.cluster) {
		const { link } = opts.cluster;
		cluster = new ClusterRooms({
			rooms,
			leases: link.leases,
			bus: link.bus,
			keys: link.keys,
			token: link.token,
			leaseMs: link.leaseMs,
			claim: opts.cluster.claim,
			load: (id) => opts.store.load(id),
			seams: link.seams,
			logger: log,
			metrics
		});
	}
	const boards: RoomSource = cluster ?? rooms;
	const access = createAccess({ store: opts.store, secret: opts.secret, now });
	const connections = new ConnectionRegistry({
		access,
		directory: opts.store,
		rooms: boards,
		logger: log,
		limits,
		metrics
	});
	const docs = boardDocs({ store: opts.store, rooms: boards, authors: () => rooms.flushAuthors() });
	const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes });
	const handleUpgrade = createUpgradeHandler({
		wss,
		access,
		rooms: boards,
		connections,
		admission: new AdmissionControl({
			perRoom: limits.maxConnectionsPerRoom,
			perIp: limits.maxConnectionsPerIp
		}),
		logger: log,
		metrics,
		trustProxy: opts.trustProxy ?? false,
		allowedOrigins: opts.allowedOrigins ?? null,
		closing: () => closing
	});

	return {
		rooms,
		boards,
		cluster,
		metrics,
		access,
		handleUpgrade,
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
					onRevoked: (link) => connections.revoked(link.id),
					docs,
					onDeleted: (boardId) => {
						boards.discard(boardId, CloseCode.BOARD_GONE, 'this board no longer exists');
						// And any of its connections the loaded room did not hold (a room reloaded meanwhile).
						connections.boardGone(boardId);
					}
				},
				req,
				res
			);
		},
		async close() {
			closing = true;
			connections.close();
			await boards.closeAll(CloseCode.GOING_AWAY, 'server shutting down');
			await cluster?.close();
			for (const ws of wss.clients) ws.terminate();
			await new Promise<void>((resolve) => wss.close(() => resolve()));
		}
	};
}
