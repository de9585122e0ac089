/**
 * WebSocket close codes the relay uses, by name. 1xxx are the protocol's own; 4xxx are
 * Railyard's (the 4000-4999 range is reserved for applications).
 */
export const CloseCode = {
	/** The relay is shutting down or unloading the room. Clients reconnect. */
	GOING_AWAY: 1001,
	/** A frame was not a message of the y-websocket protocol (bad type, truncated, garbage). */
	PROTOCOL_ERROR: 1002,
	/** A frame was larger than MAX_FRAME_BYTES. */
	TOO_BIG: 1009,
	/** The relay failed while handling the message; the stored board is unaffected. */
	INTERNAL_ERROR: 1011,
	/** The client could not keep up with what the room sends (its send buffer hit the cap). */
	TRY_AGAIN_LATER: 1013,
	/** A document update that Yjs could not decode or apply. */
	BAD_UPDATE: 4400,
	/** The board was deleted while the client was connected. */
	BOARD_GONE: 4404
} as const;

export type CloseCodeName = keyof typeof CloseCode;

export function closeReason(code: number): CloseCodeName | 'unknown' {
	for (const [name, value] of Object.entries(CloseCode))
		if (value === code) return name as CloseCodeName;
	return 'unknown';
}
