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
	/** Deletes the board, its log, its links, its votes, its checkpoints, authors and history. */
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

/** A checkpoint: the whole board at one moment, kept until the board is deleted. */
export type CheckpointKind = 'named' | 'auto';

export interface CheckpointInfo {
	id: string;
	boardId: string;
	kind: CheckpointKind;
	/** What the person called it ("PI 7 committed"); for an automatic one, why it was taken. */
	name: string;
	createdAt: number;
	/** The display name of who saved it; for an automatic one, who had edited since the last. */
	authorName: string;
	/** The link it was saved through; null for an automatic one. */
	linkId: string | null;
	/** Size of the stored state. */
	bytes: number;
}

export interface Checkpoint extends CheckpointInfo {
	/** The board as one Yjs update (Y.encodeStateAsUpdate). */
	state: Uint8Array;
}

/**
 * Who sent a board's edits: one row per Yjs client id (one per browser tab and session), the link
 * it connected through and the display name it showed. Every item in a Yjs document carries its
 * client id, so this attributes any change in any snapshot, compacted or not, at one row per
 * session instead of one per update.
 */
export interface Author {
	clientId: number;
	linkId: string;
	/** The display name last seen for it ('' until its presence named it). */
	name: string;
	firstAt: number;
	lastAt: number;
}

export interface AuthorRecord {
	boardId: string;
	clientId: number;
	linkId: string;
	name: string;
	at: number;
}

/**
 * A board's history beside its log: checkpoints, authors and the timestamped updates replay
 * reads, deleted with the board.
 */
export interface BoardHistory extends ReplayLog {
	/** Stores a checkpoint (created now); rejects for an unknown board. */
	saveCheckpoint(
		checkpoint: Omit<CheckpointInfo, 'createdAt' | 'bytes'> & { state: Uint8Array }
	): Promise<CheckpointInfo>;
	/** The board's checkpoints, newest first, without their states. */
	checkpoints(boardId: string): Promise<CheckpointInfo[]>;
	/**
	 * Deletes the board's automatic checkpoints made before `before` (named ones are kept until the
	 * board is deleted). Resolves to how many were deleted.
	 */
	pruneCheckpoints(boardId: string, before: number): Promise<number>;
	/**
	 * Renames a checkpoint; an automatic one becomes a named one (kept until the board is
	 * deleted). Null when the board has no such checkpoint.
	 */
	renameCheckpoint(boardId: string, id: string, name: string): Promise<CheckpointInfo | null>;
	/** Deletes a checkpoint, named or automatic; false when the board has no such checkpoint. */
	deleteCheckpoint(boardId: string, id: string): Promise<boolean>;
	/** One checkpoint with its state; null when the board has no such checkpoint. */
	checkpoint(boardId: string, id: string): Promise<Checkpoint | null>;
	/**
	 * Records who sent edits, for any number of boards in one write: new client ids are added,
	 * known ones get `at` as their last time and the name when it is not empty. Rows for unknown
	 * boards are ignored.
	 */
	recordAuthors(authors: readonly AuthorRecord[]): Promise<void>;
	authors(boardId: string): Promise<Author[]>;
}

/**
 * One accepted update as the store took it, for replay (README "History"). Every append writes
 * its updates here too, in the same transaction as the document log (so with the same
 * durability, and in PostgreSQL behind the same epoch fence), stamped with the store's clock.
 * Stamps never go backwards within a board (a stamp is at least the board's previous one), so
 * "the board at time T" is always a prefix of the board's history in sequence order.
 */
export interface HistoryUpdate {
	seq: number;
	/** Epoch ms. */
	at: number;
	data: Uint8Array;
}

/**
 * Where a board's kept history starts: the board as it was at `at`, after every update up to
 * `uptoSeq` (older ones are folded into it as they expire). A new board's base is its initial
 * state at its creation; `state` is null for a board that started empty.
 */
export interface HistoryBase {
	state: Uint8Array | null;
	at: number;
	uptoSeq: number;
}

/** A board's timestamped history beside its log: replay reads it, retention folds it. */
export interface ReplayLog {
	/** Null for an unknown board. */
	historyBase(boardId: string): Promise<HistoryBase | null>;
	/**
	 * The board's kept updates with `seq > afterSeq` and `at <= until`, in sequence order, at most
	 * `limit` of them.
	 */
	history(
		boardId: string,
		opts: { afterSeq: number; until: number; limit: number }
	): Promise<HistoryUpdate[]>;
	/**
	 * Replaces the base with `base` and drops the updates up to `base.uptoSeq`, in one write, if the
	 * stored base still covers exactly `previousUptoSeq` (else another writer folded first: false,
	 * and nothing changed).
	 */
	foldHistory(
		boardId: string,
		base: { state: Uint8Array; at: number; uptoSeq: number },
		previousUptoSeq: number
	): Promise<boolean>;
}

/**
 * One backend holds them all, so deleting a board takes its log, votes and history with it in one
 * write.
 */
export interface BoardStore extends DocumentLog, Directory, VoteLog, BoardHistory {
	close(): Promise<void>;
}

/** A write by a writer that no longer owns the board (its epoch is stale). Nothing was written. */
export class StaleEpochError extends Error {
	override name = 'StaleEpochError';
	constructor(id: string, epoch: number) {
		super(`board ${id}: epoch ${epoch} is no longer the board's; the write was refused`);
	}
}
