/**
 * The embedded default store: one SQLite database (node:sqlite, WAL mode) in DATA_DIR.
 *
 * Durability: `synchronous=FULL`, so an append has reached the disk when it returns; the relay
 * broadcasts an update only after that. Compaction writes the new snapshot and deletes the log
 * rows it covers in one transaction, so a crash leaves the old or the new state, never a mix.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { CorruptBoardError } from './corrupt.ts';
import { ROLE_CHECK, sha256, toAuthor, toCheckpoint, toInfo, toLink } from './rows.ts';
import type {
	Author,
	BoardInfo,
	BoardStore,
	Checkpoint,
	CheckpointInfo,
	LinkRecord,
	StoredBoard
} from './types.ts';
import { sqliteVotes } from './votes-sql.ts';

export { CorruptBoardError };

const SCHEMA = `
CREATE TABLE IF NOT EXISTS boards (
	id TEXT PRIMARY KEY,
	title TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	snapshot BLOB,
	snapshot_sha256 BLOB
) STRICT;
CREATE TABLE IF NOT EXISTS updates (
	board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
	seq INTEGER NOT NULL,
	data BLOB NOT NULL,
	PRIMARY KEY (board_id, seq)
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS links (
	id TEXT PRIMARY KEY,
	board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
	role TEXT NOT NULL CHECK (${ROLE_CHECK}),
	label TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	expires_at INTEGER,
	revoked_at INTEGER
) STRICT;
CREATE INDEX IF NOT EXISTS links_by_board ON links (board_id, created_at);
-- History (issue 14). A database from before it gains these tables at its next start.
CREATE TABLE IF NOT EXISTS checkpoints (
	id TEXT NOT NULL,
	board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('named', 'auto')),
	name TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	author_name TEXT NOT NULL,
	link_id TEXT,
	state BLOB NOT NULL,
	PRIMARY KEY (board_id, id)
) STRICT;
CREATE INDEX IF NOT EXISTS checkpoints_by_time ON checkpoints (board_id, created_at);
CREATE TABLE IF NOT EXISTS authors (
	board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
	client_id INTEGER NOT NULL,
	link_id TEXT NOT NULL,
	name TEXT NOT NULL,
	first_at INTEGER NOT NULL,
	last_at INTEGER NOT NULL,
	PRIMARY KEY (board_id, client_id)
) STRICT, WITHOUT ROWID;
`;

const CHECKPOINT_COLUMNS = `id, board_id AS boardId, kind, name, created_at AS createdAt,
	author_name AS authorName, link_id AS linkId, length(state) AS bytes`;

const LINK_COLUMNS = `id, board_id AS boardId, role, label, created_at AS createdAt,
	expires_at AS expiresAt, revoked_at AS revokedAt`;

export function openSqliteStore(opts: { dir: string; now?: () => number }): BoardStore {
	const now = opts.now ?? Date.now;
	fs.mkdirSync(opts.dir, { recursive: true });
	const db = new DatabaseSync(path.join(opts.dir, 'railyard.db'));
	db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;');
	db.exec('PRAGMA busy_timeout = 5000;');
	db.exec(SCHEMA);
	// Databases made before snapshots carried a checksum: add the column (their snapshots are
	// checked from the next compaction on).
	const columns = db.prepare('PRAGMA table_info(boards)').all() as { name: string }[];
	if (!columns.some((c) => c.name === 'snapshot_sha256')) {
		db.exec('ALTER TABLE boards ADD COLUMN snapshot_sha256 BLOB');
	}
	migrateLinkRoles(db);

	const q = {
		insertBoard: db.prepare(
			'INSERT OR IGNORE INTO boards (id, title, created_at, updated_at, snapshot, snapshot_sha256) VALUES (?, ?, ?, ?, ?, ?)'
		),
		info: db.prepare(
			'SELECT id, title, created_at AS createdAt, updated_at AS updatedAt FROM boards WHERE id = ?'
		),
		list: db.prepare(
			'SELECT id, title, created_at AS createdAt, updated_at AS updatedAt FROM boards ORDER BY updated_at DESC, id'
		),
		snapshot: db.prepare('SELECT snapshot, snapshot_sha256 AS sha FROM boards WHERE id = ?'),
		log: db.prepare('SELECT seq, data FROM updates WHERE board_id = ? ORDER BY seq'),
		lastSeq: db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM updates WHERE board_id = ?'),
		insertUpdate: db.prepare('INSERT INTO updates (board_id, seq, data) VALUES (?, ?, ?)'),
		touch: db.prepare('UPDATE boards SET updated_at = ? WHERE id = ?'),
		setSnapshot: db.prepare(
			'UPDATE boards SET snapshot = ?, snapshot_sha256 = ?, title = COALESCE(?, title) WHERE id = ?'
		),
		trimLog: db.prepare('DELETE FROM updates WHERE board_id = ? AND seq <= ?'),
		delete: db.prepare('DELETE FROM boards WHERE id = ?'),
		insertLink: db.prepare(
			'INSERT INTO links (id, board_id, role, label, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)'
		),
		link: db.prepare(`SELECT ${LINK_COLUMNS} FROM links WHERE id = ?`),
		links: db.prepare(
			`SELECT ${LINK_COLUMNS} FROM links WHERE board_id = ? ORDER BY created_at, id`
		),
		revokeLink: db.prepare('UPDATE links SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
		insertCheckpoint: db.prepare(
			`INSERT INTO checkpoints (id, board_id, kind, name, created_at, author_name, link_id, state)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
		),
		checkpoints: db.prepare(
			`SELECT ${CHECKPOINT_COLUMNS} FROM checkpoints WHERE board_id = ?
			 ORDER BY created_at DESC, rowid DESC`
		),
		pruneCheckpoints: db.prepare(
			`DELETE FROM checkpoints WHERE board_id = ? AND kind = 'auto' AND created_at < ?`
		),
		checkpoint: db.prepare(
			`SELECT ${CHECKPOINT_COLUMNS}, state FROM checkpoints WHERE board_id = ? AND id = ?`
		),
		upsertAuthor: db.prepare(
			`INSERT INTO authors (board_id, client_id, link_id, name, first_at, last_at)
			 SELECT ?1, ?2, ?3, ?4, ?5, ?5 WHERE EXISTS (SELECT 1 FROM boards WHERE id = ?1)
			 ON CONFLICT (board_id, client_id) DO UPDATE SET
			 	last_at = max(last_at, excluded.last_at),
			 	name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE name END`
		),
		authors: db.prepare(
			`SELECT client_id AS clientId, link_id AS linkId, name, first_at AS firstAt,
			 last_at AS lastAt FROM authors WHERE board_id = ? ORDER BY client_id`
		)
	};
	// The next sequence number per board, so appends need no read.
	const nextSeq = new Map<string, number>();

	function inTransaction<T>(fn: () => T): T {
		db.exec('BEGIN IMMEDIATE');
		try {
			const out = fn();
			db.exec('COMMIT');
			return out;
		} catch (err) {
			db.exec('ROLLBACK');
			throw err;
		}
	}

	function seqOf(id: string): number {
		let seq = nextSeq.get(id);
		if (seq === undefined) {
			seq = Number((q.lastSeq.get(id) as { seq: number }).seq);
			nextSeq.set(id, seq);
		}
		return seq;
	}

	function appendNow(id: string, updates: readonly Uint8Array[]): number {
		// An unknown board fails the foreign key and rolls back.
		return inTransaction(() => {
			let seq = seqOf(id);
			for (const data of updates) q.insertUpdate.run(id, ++seq, data);
			q.touch.run(now(), id);
			nextSeq.set(id, seq);
			return seq;
		});
	}

	// node:sqlite is synchronous: each method does its work before it returns its promise, so
	// writes happen in call order, as the relay's commit pipeline expects.
	const store: BoardStore = {
		...sqliteVotes(db),
		async create({ id, title }, initial) {
			const t = now();
			const result = q.insertBoard.run(
				id,
				title,
				t,
				t,
				initial ?? null,
				initial ? sha256(initial) : null
			);
			return Number(result.changes) === 1;
		},
		async info(id) {
			const row = q.info.get(id) as unknown as BoardInfo | undefined;
			return row ? toInfo(row) : null;
		},
		list: async () => (q.list.all() as unknown as BoardInfo[]).map(toInfo),
		async load(id): Promise<StoredBoard | null> {
			const row = q.snapshot.get(id) as
				{ snapshot: Uint8Array | null; sha: Uint8Array | null } | undefined;
			if (!row) return null;
			const rows = q.log.all(id) as unknown as { seq: number; data: Uint8Array }[];
			const updates = rows.map((r) => r.data);
			if (row.snapshot) {
				// The relay may hand a stored snapshot to clients before it parses it (cold load),
				// so a snapshot damaged on disk must be caught here, not in a browser.
				if (row.sha && Buffer.compare(sha256(row.snapshot), row.sha) !== 0) {
					throw new CorruptBoardError(id);
				}
				updates.unshift(row.snapshot);
			}
			const lastSeq = rows.length ? Number(rows[rows.length - 1]?.seq) : 0;
			nextSeq.set(id, Math.max(lastSeq, nextSeq.get(id) ?? 0));
			return { updates, lastSeq };
		},
		append: async (id, updates) => appendNow(id, updates),
		async appendBatch(batch) {
			// The usual case on a quiet server: one board this turn, no savepoints needed.
			if (batch.length === 1) {
				const { id, updates } = batch[0]!;
				try {
					return [appendNow(id, updates)];
				} catch (err) {
					return [err instanceof Error ? err : new Error(String(err))];
				}
			}
			const results: (number | Error)[] = [];
			const written = new Map<string, number>();
			try {
				inTransaction(() => {
					for (const { id, updates } of batch) {
						// A savepoint per board, so one unknown board does not roll back the others.
						db.exec('SAVEPOINT board');
						try {
							let seq = written.get(id) ?? seqOf(id);
							for (const data of updates) q.insertUpdate.run(id, ++seq, data);
							q.touch.run(now(), id);
							db.exec('RELEASE board');
							written.set(id, seq);
							results.push(seq);
						} catch (err) {
							db.exec('ROLLBACK TO board');
							db.exec('RELEASE board');
							results.push(err instanceof Error ? err : new Error(String(err)));
						}
					}
				});
			} catch (err) {
				return batch.map(() => (err instanceof Error ? err : new Error(String(err))));
			}
			for (const [id, seq] of written) nextSeq.set(id, seq);
			return results;
		},
		async compact(id, snapshot, uptoSeq, title) {
			inTransaction(() => {
				const changed = q.setSnapshot.run(snapshot, sha256(snapshot), title ?? null, id);
				if (Number(changed.changes) !== 1) throw new Error(`unknown board ${id}`);
				q.trimLog.run(id, uptoSeq);
			});
		},
		async saveCheckpoint(c) {
			const t = now();
			q.insertCheckpoint.run(c.id, c.boardId, c.kind, c.name, t, c.authorName, c.linkId, c.state);
			const { state, ...info } = c;
			return { ...info, createdAt: t, bytes: state.length };
		},
		checkpoints: async (boardId) =>
			(q.checkpoints.all(boardId) as unknown as CheckpointInfo[]).map(toCheckpoint),
		pruneCheckpoints: async (boardId, before) =>
			Number(q.pruneCheckpoints.run(boardId, before).changes),
		async checkpoint(boardId, id) {
			const row = q.checkpoint.get(boardId, id) as unknown as Checkpoint | undefined;
			return row ? { ...toCheckpoint(row), state: row.state } : null;
		},
		async recordAuthors(authors) {
			if (authors.length === 0) return;
			inTransaction(() => {
				for (const a of authors) q.upsertAuthor.run(a.boardId, a.clientId, a.linkId, a.name, a.at);
			});
		},
		authors: async (boardId) => (q.authors.all(boardId) as unknown as Author[]).map(toAuthor),
		async delete(id) {
			q.delete.run(id);
			nextSeq.delete(id);
		},
		async createLink(link) {
			const t = now();
			q.insertLink.run(link.id, link.boardId, link.role, link.label, t, link.expiresAt);
			return { ...link, createdAt: t, revokedAt: null };
		},
		async link(id) {
			const row = q.link.get(id) as unknown as LinkRecord | undefined;
			return row ? toLink(row) : null;
		},
		links: async (boardId) => (q.links.all(boardId) as unknown as LinkRecord[]).map(toLink),
		revokeLink: async (id) => Number(q.revokeLink.run(now(), id).changes) === 1,
		async close() {
			if (db.isOpen) db.close();
		}
	};
	return store;
}

/**
 * Databases made before the facilitator role check `links.role` against the old list, and SQLite
 * cannot alter a CHECK: the table is rebuilt under the new one (same rows, same index) in one
 * transaction, so a crash leaves the old table or the new one. Nothing references `links`.
 */
function migrateLinkRoles(db: DatabaseSync): void {
	const row = db
		.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'links'")
		.get() as { sql: string } | undefined;
	if (!row || row.sql.includes(ROLE_CHECK)) return;
	const create = SCHEMA.slice(SCHEMA.indexOf('CREATE TABLE IF NOT EXISTS links'));
	db.exec('BEGIN IMMEDIATE');
	try {
		// The index goes with the old table; the new table's is made with it.
		db.exec('DROP INDEX IF EXISTS links_by_board');
		db.exec('ALTER TABLE links RENAME TO links_before_roles');
		db.exec(create);
		db.exec(
			`INSERT INTO links (id, board_id, role, label, created_at, expires_at, revoked_at)
			 SELECT id, board_id, role, label, created_at, expires_at, revoked_at FROM links_before_roles`
		);
		db.exec('DROP TABLE links_before_roles');
		db.exec('COMMIT');
	} catch (err) {
		db.exec('ROLLBACK');
		throw err;
	}
}
