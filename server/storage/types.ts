/**
 * Where boards live between relay restarts. Every implementation must pass the contract suite in
 * tests/server/storage-contract.test.ts.
 *
 * A board is stored as its latest compacted snapshot (a Yjs state update) plus the log of updates
 * accepted since. `append` is durable when it resolves: after a crash, `load` yields every update
 * appended before it. `compact` atomically replaces the snapshot and drops the log entries it
 * covers, so a crash mid-compaction leaves either the old or the new state, never a mix.
 */
import type { Role } from '../../src/lib/protocol/roles.ts';

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
	role: Role;
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

/**
 * The document log: each board's Yjs state as a snapshot plus the updates accepted since. This is
 * the relay's hot path (an append per event-loop turn), and asynchronous so that a networked
 * database (PostgreSQL) fits behind it as well as an embedded one.
 *
 * A store that can be shared by several relays fences writers by an epoch (postgres.ts): an
 * append or a compaction from a writer whose epoch is no longer the board's is refused with a
 * StaleEpochError, and writes nothing.
 */
export interface DocumentLog {
	/** Null for an unknown board. */
	load(id: string): Promise<StoredBoard | null>;
	/** Appends updates to the board's log, durably, in one write. Resolves to the last sequence number. */
	append(id: string, updates: readonly Uint8Array[]): Promise<number>;
	/**
	 * Appends to several boards in one durable write (one disk sync for all: the relay's group
	 * commit across rooms). Each entry succeeds or fails on its own: an unknown board gets an Error
	 * in its place and the others are still written. Resolves, per entry, to what `append` would.
	 */
	appendBatch(
		batch: readonly { id: string; updates: readonly Uint8Array[] }[]
	): Promise<(number | Error)[]>;
	/** Replaces the snapshot with `snapshot` and drops log entries up to and including `uptoSeq`. */
	compact(id: string, snapshot: Uint8Array, uptoSeq: number, title?: string): Promise<void>;
}

/** The directory: which boards exist, and their share links. */
export interface Directory {
	/**
	 * Creates the board record (and its document, from `initial`) if it does not exist. Resolves to
	 * false when it already did.
	 */
	create(info: { id: string; title: string }, initial?: Uint8Array): Promise<boolean>;
	/** Null for an unknown board. */
	info(id: string): Promise<BoardInfo | null>;
	/** Most recently updated first. */
	list(): Promise<BoardInfo[]>;
	/** Deletes the board, its log, its links and its votes. */
	delete(id: string): Promise<void>;
	/** Records a link; its board must exist. */
	createLink(link: Omit<LinkRecord, 'createdAt' | 'revokedAt'>): Promise<LinkRecord>;
	link(id: string): Promise<LinkRecord | null>;
	/** The board's links, oldest first, revoked ones included. */
	links(boardId: string): Promise<LinkRecord[]>;
	/** Marks a link revoked. False when it does not exist or already was. */
	revokeLink(id: string): Promise<boolean>;
}

/**
 * A board's votes (server/sync/votes.ts): each closed vote with its result, and the open one with
 * its ballots so a relay restart does not lose them. `data` is the relay's JSON, validated by the
 * relay when read back; the store only keeps it. Deleting the board deletes its votes.
 */
export interface StoredVote {
	boardId: string;
	id: string;
	state: 'open' | 'closed';
	/** Epoch ms; votes are listed in this order. */
	openedAt: number;
	data: string;
}

export interface VoteLog {
	/** Records vote `id` of its board, or replaces it. Rejects for an unknown board. */
	putVote(vote: StoredVote): Promise<void>;
	/** Forgets a vote (a cancelled one). */
	deleteVote(boardId: string, id: string): Promise<void>;
	/** The board's votes, oldest first (by openedAt, then id). */
	votes(boardId: string): Promise<StoredVote[]>;
}

/** One backend holds all three, so deleting a board takes its log and votes with it in one write. */
export interface BoardStore extends DocumentLog, Directory, VoteLog {
	close(): Promise<void>;
}

/** A write by a writer that no longer owns the board (its epoch is stale). Nothing was written. */
export class StaleEpochError extends Error {
	override name = 'StaleEpochError';
	constructor(id: string, epoch: number) {
		super(`board ${id}: epoch ${epoch} is no longer the board's; the write was refused`);
	}
}
