/**
 * Where boards live between relay restarts. Every implementation must pass the contract suite in
 * tests/server/storage-contract.test.ts.
 *
 * A board is stored as its latest compacted snapshot (a Yjs state update) plus the log of updates
 * accepted since. `append` is durable when it returns: after a crash, `load` yields every update
 * appended before it. `compact` atomically replaces the snapshot and drops the log entries it
 * covers, so a crash mid-compaction leaves either the old or the new state, never a mix.
 */
export interface BoardInfo {
	id: string;
	title: string;
	createdAt: number;
	updatedAt: number;
}

/** A share link. Its token is not stored: only the server's signature can vouch for one. */
export interface LinkRecord {
	id: string;
	boardId: string;
	role: 'owner' | 'editor' | 'viewer';
	label: string;
	createdAt: number;
	/** Epoch ms, or null: never expires. */
	expiresAt: number | null;
	/** Epoch ms, or null: still valid. */
	revokedAt: number | null;
}

export interface StoredBoard {
	/** Snapshot first (if any), then every logged update in order. */
	updates: Uint8Array[];
	/** Sequence number of the last logged update, to pass to `compact`. 0 when the log is empty. */
	lastSeq: number;
}

export interface BoardStore {
	/** Creates the board record if it does not exist. Returns false when it already did. */
	create(info: { id: string; title: string }, initial?: Uint8Array): boolean;
	/** Null for an unknown board. */
	info(id: string): BoardInfo | null;
	list(): BoardInfo[];
	/** Null for an unknown board. */
	load(id: string): StoredBoard | null;
	/** Appends updates to the board's log, durably, in one write. Returns the last sequence number. */
	append(id: string, updates: readonly Uint8Array[]): number;
	/**
	 * Appends to several boards in one durable write (one disk sync for all: the relay's group
	 * commit across rooms). Each entry succeeds or fails on its own: an unknown board gets an Error
	 * in its place and the others are still written. Returns, per entry, what `append` would have.
	 */
	appendBatch(batch: readonly { id: string; updates: readonly Uint8Array[] }[]): (number | Error)[];
	/** Replaces the snapshot with `snapshot` and drops log entries up to and including `uptoSeq`. */
	compact(id: string, snapshot: Uint8Array, uptoSeq: number, title?: string): void;
	/** Deletes the board, its log and its links. */
	delete(id: string): void;
	/** Records a link; its board must exist. */
	createLink(link: Omit<LinkRecord, 'createdAt' | 'revokedAt'>): LinkRecord;
	link(id: string): LinkRecord | null;
	/** The board's links, oldest first, revoked ones included. */
	links(boardId: string): LinkRecord[];
	/** Marks a link revoked. False when it does not exist or already was. */
	revokeLink(id: string): boolean;
	close(): void;
}
