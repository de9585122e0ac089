/**
 * Every open connection of this relay, and what is done to all of them: the heartbeat, the
 * periodic re-check of their share links, and closing those of a revoked link or a deleted
 * board. Admission (who may connect at all) is upgrade.ts's; from the moment a socket is
 * accepted it lives here.
 */
import type { WebSocket } from 'ws';
import { CloseCode } from '../../src/lib/protocol/close-codes.ts';
import type { Access, Grant } from '../auth/access.ts';
import type { RelayLimits } from '../config.ts';
import { Connection } from './connection.ts';
import type { Logger } from '../log.ts';
import type { RelayMetrics } from '../metrics.ts';
import type { RoomHandle, RoomSource } from './room-handle.ts';
import type { Directory } from '../storage/types.ts';

type Verdict = Awaited<ReturnType<Access['check']>>;

export class ConnectionRegistry {
	readonly #connections = new Set<Connection>();
	readonly #access: Access;
	readonly #directory: Directory;
	readonly #rooms: RoomSource;
	readonly #log: Logger;
	readonly #limits: RelayLimits;
	readonly #metrics: RelayMetrics;
	readonly #timers: NodeJS.Timeout[] = [];
	#checking = false;
	#closing = false;
	#nextId = 0;

	constructor(opts: {
		access: Access;
		directory: Directory;
		rooms: RoomSource;
		logger: Logger;
		limits: RelayLimits;
		metrics: RelayMetrics;
	}) {
		this.#access = opts.access;
		this.#directory = opts.directory;
		this.#rooms = opts.rooms;
		this.#log = opts.logger;
		this.#limits = opts.limits;
		this.#metrics = opts.metrics;
		const { pingIntervalMs, accessCheckIntervalMs } = opts.limits;
		if (pingIntervalMs > 0) {
			// A tick that comes late means the relay itself was stalled (a big load, a slow disk): the
			// pongs are waiting unread, so nobody is judged on that round, only pinged again.
			let lastBeat = Date.now();
			this.#timers.push(
				setInterval(() => {
					const at = Date.now();
					const stalled = at - lastBeat > pingIntervalMs * 1.5;
					lastBeat = at;
					for (const conn of this.#connections) conn.heartbeat({ stalled });
				}, pingIntervalMs)
			);
		}
		this.#timers.push(setInterval(() => void this.checkAccess(), accessCheckIntervalMs));
		for (const timer of this.#timers) timer.unref();
	}

	get size(): number {
		return this.#connections.size;
	}

	get queuedBytes(): number {
		let total = 0;
		for (const conn of this.#connections) total += conn.queuedBytes;
		return total;
	}

	/** An accepted socket: registered, then joined to its room. */
	connect(room: RoomHandle, ws: WebSocket, ip: string, grant: Grant): void {
		const id = (++this.#nextId).toString(36);
		const connLog = this.#log.child({ board: room.id, conn: id });
		const conn = new Connection({
			ws,
			id,
			room,
			grant,
			logger: connLog,
			limits: this.#limits,
			metrics: this.#metrics,
			onClosed: () => {
				this.#connections.delete(conn);
				this.#rooms.leave(room, conn);
			}
		});
		this.#connections.add(conn);
		if (this.#closing) {
			conn.close(CloseCode.GOING_AWAY, 'server shutting down');
			return;
		}
		if (this.#rooms.get(room.id) !== room) {
			// The room was dropped while the handshake ran (reset, shutdown): let the client retry.
			conn.close(CloseCode.GOING_AWAY, 'board reloading; reconnect');
			return;
		}
		this.#rooms.join(room, conn);
		connLog.debug({ ip, role: grant.role, link: grant.linkId }, 'connected');
		// The link was checked just before the handshake; one revoked in between (before this
		// connection was in the registry a revocation walks) ends here.
		this.#access.check(grant).then(
			(verdict) => {
				if (verdict !== 'ok') void this.#end(conn, verdict);
			},
			(err: unknown) => connLog.error({ err }, 'could not check the share link')
		);
	}

	/** A link revoked through this relay: its connections end now. */
	revoked(linkId: string): void {
		for (const conn of this.#connections)
			if (conn.grant.linkId === linkId) void this.#end(conn, 'revoked');
	}

	/** A deleted board: every connection to it ends, in or out of its loaded room. */
	boardGone(boardId: string): void {
		for (const conn of this.#connections) {
			if (conn.grant.boardId === boardId) {
				conn.close(CloseCode.BOARD_GONE, 'this board no longer exists');
			}
		}
	}

	/** Re-checks every connection's link: revoked elsewhere (the CLI), or expired since. */
	async checkAccess(): Promise<void> {
		// A slow store must not pile checks up behind each other.
		if (this.#checking) return;
		this.#checking = true;
		const verdicts = new Map<string, Promise<Verdict>>();
		try {
			await Promise.all(
				[...this.#connections].map(async (conn) => {
					const { linkId } = conn.grant;
					let verdict = verdicts.get(linkId);
					if (verdict === undefined) {
						verdict = this.#access.check(conn.grant);
						verdicts.set(linkId, verdict);
					}
					const result = await verdict;
					if (result !== 'ok') await this.#end(conn, result);
				})
			);
		} catch (err) {
			this.#log.error({ err }, 'could not check share links');
		} finally {
			this.#checking = false;
		}
	}

	/** Stops the timers; connections made from now on are closed at once (1001). */
	close(): void {
		this.#closing = true;
		for (const timer of this.#timers) clearInterval(timer);
	}

	/** Ends `conn` because its link no longer holds. */
	async #end(conn: Connection, verdict: 'revoked' | 'expired'): Promise<void> {
		if (verdict === 'expired') return conn.close(CloseCode.LINK_EXPIRED, 'this link has expired');
		// A board deleted elsewhere (the CLI) takes its links with it: say which ended.
		const board = await this.#directory.info(conn.grant.boardId).catch(() => undefined);
		if (board === null) conn.close(CloseCode.BOARD_GONE, 'this board no longer exists');
		else conn.close(CloseCode.LINK_REVOKED, 'this link has been revoked');
	}
}
