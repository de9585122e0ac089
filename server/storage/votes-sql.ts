/**
 * The votes table (types.ts `VoteLog`) for the two SQL stores. Kept apart from sqlite.ts and
 * postgres.ts so each store adds votes with one schema statement and one spread.
 */
import type { DatabaseSync } from 'node:sqlite';
import type pg from 'pg';
import type { StoredVote, VoteLog } from './types.ts';

export const SQLITE_VOTES_SCHEMA = `
CREATE TABLE IF NOT EXISTS votes (
	board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
	id TEXT NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
	opened_at INTEGER NOT NULL,
	data TEXT NOT NULL,
	PRIMARY KEY (board_id, id)
) STRICT;
`;

export const POSTGRES_VOTES_SCHEMA = `
CREATE TABLE IF NOT EXISTS votes (
	board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
	id TEXT NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
	opened_at BIGINT NOT NULL,
	data TEXT NOT NULL,
	PRIMARY KEY (board_id, id)
);
`;

const COLUMNS = `board_id AS "boardId", id, state, opened_at AS "openedAt", data`;

const toVote = (row: StoredVote): StoredVote => ({
	boardId: row.boardId,
	id: row.id,
	state: row.state,
	openedAt: Number(row.openedAt),
	data: row.data
});

export function sqliteVotes(db: DatabaseSync): VoteLog {
	db.exec(SQLITE_VOTES_SCHEMA);
	const q = {
		put: db.prepare(
			`INSERT INTO votes (board_id, id, state, opened_at, data) VALUES (?, ?, ?, ?, ?)
			 ON CONFLICT (board_id, id) DO UPDATE SET state = excluded.state, data = excluded.data`
		),
		delete: db.prepare('DELETE FROM votes WHERE board_id = ? AND id = ?'),
		list: db.prepare(`SELECT ${COLUMNS} FROM votes WHERE board_id = ? ORDER BY opened_at, id`)
	};
	return {
		async putVote(vote) {
			q.put.run(vote.boardId, vote.id, vote.state, vote.openedAt, vote.data);
		},
		async deleteVote(boardId, id) {
			q.delete.run(boardId, id);
		},
		votes: async (boardId) => (q.list.all(boardId) as unknown as StoredVote[]).map(toVote)
	};
}

export function postgresVotes(pool: pg.Pool): VoteLog {
	return {
		async putVote(vote) {
			await pool.query(
				`INSERT INTO votes (board_id, id, state, opened_at, data) VALUES ($1, $2, $3, $4, $5)
				 ON CONFLICT (board_id, id) DO UPDATE SET state = excluded.state, data = excluded.data`,
				[vote.boardId, vote.id, vote.state, vote.openedAt, vote.data]
			);
		},
		async deleteVote(boardId, id) {
			await pool.query('DELETE FROM votes WHERE board_id = $1 AND id = $2', [boardId, id]);
		},
		async votes(boardId) {
			const { rows } = await pool.query(
				`SELECT ${COLUMNS} FROM votes WHERE board_id = $1 ORDER BY opened_at, id`,
				[boardId]
			);
			return (rows as StoredVote[]).map(toVote);
		}
	};
}
