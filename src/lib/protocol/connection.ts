/**
 * Where a browser's connection to a board's relay stands, as the app shows it (the connection
 * badge) and the sync layer reports it. Pure: no IO.
 */
export type ConnectionStatus =
	| 'connecting'
	| 'connected'
	| 'disconnected'
	/** The relay refused us for good (a 44xx close code); y-websocket stops retrying. */
	| 'closed';
