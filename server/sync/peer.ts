/**
 * One connected client as the room sees it: a transport-free handle, so rooms can be tested with
 * in-memory peers and the WebSocket details stay in connection.ts.
 */
export interface Peer {
	readonly id: string;
	/**
	 * A viewer: the room drops its document updates and keeps only presence fields of its
	 * awareness. Absent means it may edit.
	 */
	readonly readOnly?: boolean;
	/** The share link it connected through; absent for the relay itself (an API import). */
	readonly linkId?: string;
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
