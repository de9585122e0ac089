/**
 * One connected client as the room sees it: a transport-free handle, so rooms can be tested with
 * in-memory peers and the WebSocket details stay in relay.ts.
 */
export interface Peer {
	readonly id: string;
	send(frame: Uint8Array): void;
	close(code: number, reason: string): void;
}
