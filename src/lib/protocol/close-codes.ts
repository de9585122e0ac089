/**
 * WebSocket close codes, by name. 1xxx are the protocol's own; 4xxx are Railyard's (the 4000-4999
 * range is reserved for applications). Every close the relay logs or counts carries one of these
 * names, whichever side closed, and the browser reads the same names: one contract, one module.
 * Pure: imported by the relay (server/) and the app (src/lib) alike.
 */
export const CloseCode = {
	/** The client closed normally. */
	NORMAL: 1000,
	/** The relay is shutting down or unloading the room, or the client navigated away. */
	GOING_AWAY: 1001,
	/** A frame was not a message of the y-websocket protocol (bad type, truncated, garbage, text). */
	PROTOCOL_ERROR: 1002,
	/** The client closed without a status code. */
	NO_STATUS: 1005,
	/** The connection dropped without a close frame. */
	ABNORMAL: 1006,
	/** A text frame was not valid UTF-8 (ws checks this before the relay sees it). */
	INVALID_PAYLOAD: 1007,
	/** ws refused the framing itself (e.g. too many fragments). */
	POLICY_VIOLATION: 1008,
	/** A frame was larger than MAX_FRAME_BYTES. */
	TOO_BIG: 1009,
	/** The relay failed while handling the message; the stored board is unaffected. */
	INTERNAL_ERROR: 1011,
	/** The client could not keep up with what the room sends (its send buffer hit the cap). */
	TRY_AGAIN_LATER: 1013,
	// 4400-4499 mirror HTTP 4xx and tell a stock y-websocket client (3.x) to stop reconnecting for
	// good: right for a bad update, a dead link or a deleted board. Temporary conditions (a missed
	// ping, a rate limit) sit outside that range so the client comes back after its backoff.
	/** A document update that Yjs could not decode or apply. */
	BAD_UPDATE: 4400,
	/** The connection's share link expired while it was connected. */
	LINK_EXPIRED: 4401,
	/** The connection's share link was revoked while it was connected. */
	LINK_REVOKED: 4403,
	/** The board was deleted while the client was connected. */
	BOARD_GONE: 4404,
	/**
	 * Cluster mode: the relay that owned the board stopped owning it (it lost its lease, was fenced
	 * out, or died). Nothing acknowledged is lost; the client reconnects and resyncs with the new
	 * owner, offering whatever it holds that the board lacks.
	 */
	BOARD_MOVED: 4012,
	/** The connection did not answer a ping in time (half-open socket); the client may reconnect. */
	PING_TIMEOUT: 4008,
	/** The update would have grown the board past MAX_BOARD_BYTES; the board is unchanged. */
	BOARD_TOO_BIG: 4413,
	/**
	 * The connection sent more messages than RATE_LIMIT_MESSAGES_PER_SECOND and RATE_LIMIT_BURST
	 * allow; the client may reconnect after its backoff, with a fresh bucket.
	 */
	RATE_LIMITED: 4029
} as const;

export type CloseCodeName = keyof typeof CloseCode;

const NAMES = new Map<number, CloseCodeName>(
	Object.entries(CloseCode).map(([name, code]) => [code, name as CloseCodeName])
);

export function closeReason(code: number): CloseCodeName | 'unknown' {
	return NAMES.get(code) ?? 'unknown';
}

/** The connection's share link is done for (expired or revoked): reloading will not help. */
export function linkEnded(code: number | null): boolean {
	return code === CloseCode.LINK_EXPIRED || code === CloseCode.LINK_REVOKED;
}
