/**
 * One connected client as the room sees it: a transport-free handle, so rooms can be tested with
 * in-memory peers and the WebSocket details stay in connection.ts.
 */
import type { Role } from '../../src/lib/protocol/roles.ts';

/** The link a peer connected with: who it votes as, and what its role lets it do. */
export interface PeerGrant {
	readonly linkId: string;
	readonly role: Role;
}

export interface Peer {
	readonly id: string;
	/** The link it connected with (absent for in-memory test peers). */
	readonly grant?: PeerGrant;
	/**
	 * A viewer: the room drops its document updates and keeps only presence fields of its
	 * awareness. Absent means it may edit.
	 */
	readonly readOnly?: boolean;
	/**
	 * A client held by another relay (cluster mode): the room's broadcasts reach it through the
	 * room's fanout, once per frame for all such peers, not through its `send`.
	 */
	readonly remote?: boolean;
	/** Pushes a frame the room sends on its own (broadcasts); a peer that cannot keep up is closed. */
	send(frame: Uint8Array): void;
	/**
	 * Sends a frame the peer asked for (its initial sync, an awareness query). Not counted against
	 * its send-buffer cap, so a large board still reaches a slow link. `written` runs once the
	 * frame has been handed to the OS.
	 */
	reply(frame: Uint8Array, written?: () => void): void;
	close(code: number, reason: string): void;
}
