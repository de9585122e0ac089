/**
 * One WebSocket connection, as the room's Peer. Everything that is about one socket lives here:
 * the per-connection limits (message rate, send-buffer cap), the guard around each frame, the
 * heartbeat state, and the single log line and metric every close gets, whichever side closed.
 *
 * Fail the message, not the process: a frame the room refuses closes only this socket, with the
 * close code named for why (src/lib/protocol/close-codes.ts); the room and every other client carry on.
 */
import { canEdit } from '../../src/lib/protocol/roles.ts';
import type { WebSocket } from 'ws';
import type { Grant } from '../auth/access.ts';
import { CloseCode, closeReason } from '../../src/lib/protocol/close-codes.ts';
import type { RelayLimits } from '../config.ts';
import type { Logger } from '../log.ts';
import type { ErrorKind, RelayMetrics } from '../metrics.ts';
import type { Peer } from './peer.ts';
import { ProtocolError } from './protocol.ts';
import { TokenBucket } from './rate-limit.ts';
import { BadUpdateError, BoardTooBigError } from './room.ts';
import type { RoomHandle } from './room-handle.ts';

/**
 * After the relay closes a socket, how long it waits for the close handshake before dropping the
 * socket. A client that stopped reading never completes it, and ws would otherwise hold its
 * buffers for 30 s.
 */
const CLOSE_GRACE_MS = 1000;

export interface ConnectionOptions {
	ws: WebSocket;
	id: string;
	room: RoomHandle;
	/** What the link the client connected with allows, checked at the upgrade. */
	grant: Grant;
	/** Already bound to this board and connection. */
	logger: Logger;
	limits: RelayLimits;
	metrics: RelayMetrics;
	onClosed: (conn: Connection) => void;
}

interface Closing {
	code: number;
	detail: string;
	err?: unknown;
}

export class Connection implements Peer {
	readonly id: string;
	readonly grant: Grant;
	readonly #ws: WebSocket;
	readonly #room: RoomHandle;
	readonly #log: Logger;
	readonly #limits: RelayLimits;
	readonly #metrics: RelayMetrics;
	readonly #bucket: TokenBucket | null;
	readonly #onClosed: (conn: Connection) => void;
	readonly #openedAt = performance.now();
	/** Bytes of replies (asked-for frames) not yet written to the socket: exempt from the cap. */
	#replyBytes = 0;
	/** Set once the relay decides to close; from then on nothing this socket sends is handled. */
	#closing: Closing | null = null;
	/** Cleared by every ping, set again by a pong or any message. */
	#alive = true;

	constructor(opts: ConnectionOptions) {
		this.id = opts.id;
		this.grant = opts.grant;
		this.#ws = opts.ws;
		this.#room = opts.room;
		this.#log = opts.logger;
		this.#limits = opts.limits;
		this.#metrics = opts.metrics;
		this.#onClosed = opts.onClosed;
		this.#bucket =
			opts.limits.rateLimitPerSecond > 0
				? new TokenBucket({
						perSecond: opts.limits.rateLimitPerSecond,
						burst: opts.limits.rateLimitBurst
					})
				: null;
		const ws = opts.ws;
		ws.on('message', this.#onMessage);
		ws.on('pong', () => (this.#alive = true));
		ws.on('error', this.#onError);
		ws.on('close', this.#onClose);
	}

	/** A viewer's link: the room drops its document updates (room.ts). */
	get readOnly(): boolean {
		return !canEdit(this.grant.role);
	}

	/** Bytes queued for this client and not yet handed to the kernel. */
	get queuedBytes(): number {
		return this.#ws.bufferedAmount;
	}

	send(frame: Uint8Array): void {
		if (this.#ws.readyState !== this.#ws.OPEN) return;
		if (this.#ws.bufferedAmount - this.#replyBytes > this.#limits.maxSendBufferBytes) {
			this.close(CloseCode.TRY_AGAIN_LATER, 'send buffer full: the client is not keeping up');
			return;
		}
		this.#write(frame);
	}

	reply(frame: Uint8Array, written?: () => void): void {
		if (this.#ws.readyState !== this.#ws.OPEN) return;
		const size = frame.length;
		this.#replyBytes += size;
		this.#write(frame, () => {
			this.#replyBytes -= size;
			written?.();
		});
	}

	#write(frame: Uint8Array, written?: () => void): void {
		this.#ws.send(frame, written);
		this.#metrics.messagesOut.inc();
		this.#metrics.bytesOut.inc(frame.length);
	}

	close(code: number, detail: string, err?: unknown): void {
		if (this.#closing) return;
		this.#closing = { code, detail, err };
		const ws = this.#ws;
		if (ws.readyState === ws.CLOSED) return;
		ws.close(code, closeFrameReason(detail));
		setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
	}

	/**
	 * Called every ping interval: a connection that did not answer the previous ping is dropped,
	 * unless the relay was `stalled` since (then the answer may be sitting unread).
	 */
	heartbeat(opts: { stalled?: boolean } = {}): void {
		if (this.#closing) return;
		if (!this.#alive && !opts.stalled) {
			// A half-open socket would never complete a close handshake: drop it.
			this.#closing = { code: CloseCode.PING_TIMEOUT, detail: 'no answer to ping' };
			this.#ws.terminate();
			return;
		}
		this.#alive = false;
		this.#ws.ping();
	}

	#onMessage = (data: Buffer, isBinary: boolean): void => {
		if (this.#closing) return;
		this.#alive = true;
		this.#metrics.bytesIn.inc(data.length);
		if (this.#bucket && !this.#bucket.take()) {
			this.close(CloseCode.RATE_LIMITED, 'message rate limit exceeded');
			return;
		}
		try {
			if (!isBinary) throw new ProtocolError('text frames are not part of the protocol');
			this.#room.receive(this, data);
		} catch (err) {
			const { code, kind } = classify(err);
			this.#metrics.errors.inc({ kind });
			this.close(code, (err as Error).message, err);
		}
	};

	/** ws reports a frame it refused (too big, bad UTF-8, bad framing) and closes the socket itself. */
	#onError = (err: Error & { code?: string }): void => {
		const code = wsErrorCloseCode(err.code);
		this.#metrics.errors.inc({ kind: code === undefined ? 'socket' : 'protocol' });
		if (this.#closing) return;
		if (code !== undefined) this.#closing = { code, detail: err.message };
		else this.#log.debug({ err }, 'socket error');
	};

	#onClose = (code: number, reason: Buffer): void => {
		const closing = this.#closing;
		const finalCode = closing?.code ?? code;
		const name = closeReason(finalCode);
		const initiator = closing ? 'relay' : 'client';
		this.#metrics.closes.inc({ reason: name, initiator });
		const level =
			finalCode === CloseCode.INTERNAL_ERROR
				? 'error'
				: closing && finalCode !== CloseCode.GOING_AWAY
					? 'warn'
					: 'info';
		this.#log[level](
			{
				code: finalCode,
				reason: name,
				initiator,
				detail: closing?.detail ?? (reason.length > 0 ? reason.toString() : undefined),
				err: closing?.err,
				ms: Math.round(performance.now() - this.#openedAt)
			},
			'connection closed'
		);
		this.#onClosed(this);
	};
}

/** The close code (and error kind) for an error a room threw at a peer's frame. */
export function classify(err: unknown): { code: number; kind: ErrorKind } {
	if (err instanceof BoardTooBigError) return { code: CloseCode.BOARD_TOO_BIG, kind: 'bad_update' };
	if (err instanceof BadUpdateError) return { code: CloseCode.BAD_UPDATE, kind: 'bad_update' };
	if (err instanceof ProtocolError) return { code: CloseCode.PROTOCOL_ERROR, kind: 'protocol' };
	return { code: CloseCode.INTERNAL_ERROR, kind: 'internal' };
}

/** The close code ws sends for each frame error it raises (ws/lib/receiver.js). */
function wsErrorCloseCode(code: string | undefined): number | undefined {
	if (!code?.startsWith('WS_ERR_')) return undefined;
	if (code.startsWith('WS_ERR_UNSUPPORTED_') && code.endsWith('_LENGTH')) return CloseCode.TOO_BIG;
	if (code === 'WS_ERR_INVALID_UTF8') return CloseCode.INVALID_PAYLOAD;
	if (code === 'WS_ERR_TOO_MANY_BUFFERED_PARTS') return CloseCode.POLICY_VIOLATION;
	return CloseCode.PROTOCOL_ERROR;
}

/** A close frame's reason must fit in 123 bytes of UTF-8. */
function closeFrameReason(detail: string): string {
	return detail.replace(/[^\x20-\x7e]/g, '?').slice(0, 120);
}
