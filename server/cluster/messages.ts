/**
 * What relays say to each other about a board, through two Redis streams per board:
 *
 *   <prefix>:board:<id>:in    relays -> the owner: a client joined, sent a frame, or left
 *   <prefix>:board:<id>:out   the owner -> relays: a broadcast, a frame for one client, a close
 *
 * Every message names the owner it is meant for or comes from (the owner's lease value: its relay
 * and tenure, ownership.ts), so a message from or to a former owner — or an earlier tenure of the
 * same relay — is recognised and dropped. The owner numbers what it sends
 * (`seq`, from 1 per lease), so a relay that misses one (a trimmed stream, a Redis restart) knows,
 * and closes its clients of the board to resync rather than let them drift.
 *
 * One binary field per stream entry, encoded with lib0 (as the y-websocket frames it carries).
 */
import { isRole, type Role } from '../../src/lib/protocol/roles.ts';
import type { PeerGrant } from '../sync/peer.ts';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export interface ClusterKeys {
	/** Held by the board's owner (SET NX PX); its value names the owner's relay and tenure. */
	lease(board: string): string;
	inbox(board: string): string;
	outbox(board: string): string;
	/** Present while the relay with this token is alive (its heartbeat). */
	node(token: string): string;
	/** Written to wake this relay's stream reader when what it reads changes. */
	wake(token: string): string;
}

export function clusterKeys(prefix: string): ClusterKeys {
	return {
		lease: (board) => `${prefix}:board:${board}:owner`,
		inbox: (board) => `${prefix}:board:${board}:in`,
		outbox: (board) => `${prefix}:board:${board}:out`,
		node: (token) => `${prefix}:node:${token}`,
		wake: (token) => `${prefix}:node:${token}:wake`
	};
}

/** A client on some relay, as the owner knows it. */
export interface SessionId {
	/** The token of the relay holding the client's socket. */
	relay: string;
	/** The connection's id on that relay. */
	conn: string;
}

export type InboxMessage =
	| ({
			type: 'open';
			owner: string;
			readOnly: boolean;
			/** The link the client came through: the owner's rules (votes, facilitation) need it. */
			grant: PeerGrant | null;
	  } & SessionId)
	| ({ type: 'frame'; owner: string; frame: Uint8Array } & SessionId)
	| ({ type: 'leave'; owner: string } & SessionId)
	/**
	 * An update from the server itself (an API import); `conn` names the request. The owner
	 * answers with a `close` to it: NORMAL once durable, else the refusal's close code.
	 */
	| ({ type: 'apply'; owner: string; update: Uint8Array; role: Role } & SessionId);

export type OutboxMessage =
	| { type: 'broadcast'; owner: string; seq: number; frame: Uint8Array }
	| ({
			type: 'send';
			owner: string;
			seq: number;
			frame: Uint8Array;
			/** Asked for by the client (its sync reply): exempt from its send-buffer cap. */
			reply: boolean;
	  } & SessionId)
	| ({ type: 'close'; owner: string; seq: number; code: number; reason: string } & SessionId)
	/** The owner gives the board up: every client attached to it reconnects. */
	| { type: 'end'; owner: string; seq: number; code: number; reason: string }
	/**
	 * A large frame several clients will be sent (the whole board, for joiners), published once;
	 * `sendShared` entries hand it to each of them by its `seq`.
	 */
	| { type: 'share'; owner: string; seq: number; frame: Uint8Array }
	/** The `share` entry numbered `ref`, as a reply to one client. */
	| ({ type: 'sendShared'; owner: string; seq: number; ref: number } & SessionId)
	/**
	 * Nothing to deliver: the owner's newest number, published once a board goes quiet, so a
	 * reader that lost the entries before it sees the gap (which it finds only by a later number).
	 */
	| { type: 'tip'; owner: string; seq: number };

const IN_TYPES = ['open', 'frame', 'leave', 'apply'] as const;
const OUT_TYPES = ['broadcast', 'send', 'close', 'end', 'share', 'sendShared', 'tip'] as const;

export function encodeInbox(m: InboxMessage): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, IN_TYPES.indexOf(m.type));
	encoding.writeVarString(e, m.owner);
	encoding.writeVarString(e, m.relay);
	encoding.writeVarString(e, m.conn);
	if (m.type === 'open') {
		encoding.writeVarUint(e, m.readOnly ? 1 : 0);
		encoding.writeVarString(e, m.grant?.linkId ?? '');
		encoding.writeVarString(e, m.grant?.role ?? '');
	} else if (m.type === 'frame') encoding.writeVarUint8Array(e, m.frame);
	else if (m.type === 'apply') {
		encoding.writeVarUint8Array(e, m.update);
		encoding.writeVarString(e, m.role);
	}
	return encoding.toUint8Array(e);
}

export function decodeInbox(bytes: Uint8Array): InboxMessage {
	const d = decoding.createDecoder(bytes);
	const type = IN_TYPES[decoding.readVarUint(d)];
	const owner = decoding.readVarString(d);
	const relay = decoding.readVarString(d);
	const conn = decoding.readVarString(d);
	switch (type) {
		case 'open': {
			const readOnly = decoding.readVarUint(d) === 1;
			const linkId = decoding.readVarString(d);
			const role = decoding.readVarString(d);
			const grant = linkId && isRole(role) ? { linkId, role } : null;
			return { type, owner, relay, conn, readOnly, grant };
		}
		case 'frame':
			return { type, owner, relay, conn, frame: decoding.readVarUint8Array(d) };
		case 'leave':
			return { type, owner, relay, conn };
		case 'apply': {
			const update = decoding.readVarUint8Array(d);
			const role = decoding.readVarString(d);
			// An unknown role is judged as the weakest that may write.
			return { type, owner, relay, conn, update, role: isRole(role) ? role : 'editor' };
		}
		default:
			throw new Error('unknown inbox message');
	}
}

export function encodeOutbox(m: OutboxMessage): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, OUT_TYPES.indexOf(m.type));
	encoding.writeVarString(e, m.owner);
	encoding.writeVarUint(e, m.seq);
	if (m.type === 'send' || m.type === 'close' || m.type === 'sendShared') {
		encoding.writeVarString(e, m.relay);
		encoding.writeVarString(e, m.conn);
	}
	if (m.type === 'sendShared') encoding.writeVarUint(e, m.ref);
	if (m.type === 'broadcast' || m.type === 'send' || m.type === 'share') {
		encoding.writeVarUint8Array(e, m.frame);
	}
	if (m.type === 'send') encoding.writeVarUint(e, m.reply ? 1 : 0);
	if (m.type === 'close' || m.type === 'end') {
		encoding.writeVarUint(e, m.code);
		encoding.writeVarString(e, m.reason);
	}
	return encoding.toUint8Array(e);
}

export function decodeOutbox(bytes: Uint8Array): OutboxMessage {
	const d = decoding.createDecoder(bytes);
	const type = OUT_TYPES[decoding.readVarUint(d)];
	const owner = decoding.readVarString(d);
	const seq = decoding.readVarUint(d);
	switch (type) {
		case 'broadcast':
			return { type, owner, seq, frame: decoding.readVarUint8Array(d) };
		case 'send': {
			const relay = decoding.readVarString(d);
			const conn = decoding.readVarString(d);
			const frame = decoding.readVarUint8Array(d);
			return { type, owner, seq, relay, conn, frame, reply: decoding.readVarUint(d) === 1 };
		}
		case 'close': {
			const relay = decoding.readVarString(d);
			const conn = decoding.readVarString(d);
			const code = decoding.readVarUint(d);
			return { type, owner, seq, relay, conn, code, reason: decoding.readVarString(d) };
		}
		case 'end': {
			const code = decoding.readVarUint(d);
			return { type, owner, seq, code, reason: decoding.readVarString(d) };
		}
		case 'share':
			return { type, owner, seq, frame: decoding.readVarUint8Array(d) };
		case 'sendShared': {
			const relay = decoding.readVarString(d);
			const conn = decoding.readVarString(d);
			return { type, owner, seq, relay, conn, ref: decoding.readVarUint(d) };
		}
		case 'tip':
			return { type, owner, seq };
		default:
			throw new Error('unknown outbox message');
	}
}
