/**
 * The PostgreSQL store's tables and their migrations, run by every relay at start under an
 * advisory lock (postgres.ts): each statement is idempotent, so relays starting together, or a
 * relay restarting, run them again harmlessly.
 */
import type pg from 'pg';
import { ROLES } from '../../src/lib/protocol/roles.ts';
import { ROLE_CHECK } from './rows.ts';
import { POSTGRES_VOTES_SCHEMA } from './votes-sql.ts';

/** Every statement is idempotent, so each relay may run it at start. */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS boards (
	id TEXT PRIMARY KEY,
	title TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	snapshot BYTEA,
	snapshot_sha256 BYTEA,
	epoch BIGINT NOT NULL DEFAULT 0
);
-- The append's counters (README "Running several relays"): the board's last sequence number and
-- last history stamp, kept on the row the fence locks. Null on a board from before them (its next
-- append takes them from its rows).
ALTER TABLE boards ADD COLUMN IF NOT EXISTS last_seq BIGINT;
ALTER TABLE boards ADD COLUMN IF NOT EXISTS last_at BIGINT;
CREATE TABLE IF NOT EXISTS updates (
	board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
	seq BIGINT NOT NULL,
	data BYTEA NOT NULL,
	epoch BIGINT NOT NULL,
	PRIMARY KEY (board_id, seq)
);
CREATE TABLE IF NOT EXISTS links (
	id TEXT PRIMARY KEY,
	board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
	role TEXT NOT NULL CONSTRAINT links_role_check CHECK (${ROLE_CHECK}),
	label TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	expires_at BIGINT,
	revoked_at BIGINT
);
CREATE INDEX IF NOT EXISTS links_by_board ON links (board_id, created_at);
-- History (issue 14). A database from before it gains these tables at the next start.
CREATE TABLE IF NOT EXISTS checkpoints (
	id TEXT NOT NULL,
	board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('named', 'auto')),
	name TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	author_name TEXT NOT NULL,
	link_id TEXT,
	state BYTEA NOT NULL,
	ord BIGSERIAL,
	PRIMARY KEY (board_id, id)
);
CREATE INDEX IF NOT EXISTS checkpoints_by_time ON checkpoints (board_id, created_at);
CREATE TABLE IF NOT EXISTS authors (
	board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
	client_id BIGINT NOT NULL,
	link_id TEXT NOT NULL,
	name TEXT NOT NULL,
	first_at BIGINT NOT NULL,
	last_at BIGINT NOT NULL,
	PRIMARY KEY (board_id, client_id)
);
-- Replay (README "History"): every appended update again, stamped, written by the append's own
-- statement behind its epoch fence; the base is the board where the kept history starts.
CREATE TABLE IF NOT EXISTS history (
	board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
	seq BIGINT NOT NULL,
	at BIGINT NOT NULL,
	data BYTEA NOT NULL,
	PRIMARY KEY (board_id, seq)
);
CREATE TABLE IF NOT EXISTS history_bases (
	board_id TEXT PRIMARY KEY REFERENCES boards(id) ON DELETE CASCADE,
	state BYTEA,
	at BIGINT NOT NULL,
	upto_seq BIGINT NOT NULL
);
`;

/**
 * Boards from before replay have no history: it starts now, from the board as stored (its
 * snapshot, then a copy of its log stamped now). Run under the schema lock, in one transaction.
 */
const START_HISTORY = `
INSERT INTO history (board_id, seq, at, data)
	SELECT u.board_id, u.seq, $1, u.data FROM updates u
	WHERE NOT EXISTS (SELECT 1 FROM history_bases h WHERE h.board_id = u.board_id);
INSERT INTO history_bases (board_id, state, at, upto_seq)
	SELECT b.id, b.snapshot, $1, 0 FROM boards b
	WHERE NOT EXISTS (SELECT 1 FROM history_bases h WHERE h.board_id = b.id);
`;

/** Creates what is missing and migrates what is old; the caller holds the schema lock. */
export async function migrate(client: pg.PoolClient, at: number): Promise<void> {
	await client.query(SCHEMA);
	await client.query(POSTGRES_VOTES_SCHEMA);
	await migrateLinkRoles(client);
	await startHistory(client, at);
}

async function startHistory(client: pg.PoolClient, at: number): Promise<void> {
	await client.query('BEGIN');
	try {
		for (const statement of START_HISTORY.split(';').filter((t) => t.trim())) {
			await client.query(statement, [at]);
		}
		await client.query('COMMIT');
	} catch (err) {
		await client.query('ROLLBACK').catch(() => {});
		throw err;
	}
}

/**
 * Databases made before the facilitator role check `links.role` against the old list: swap the
 * constraint for the one made from ROLES, in one transaction (the caller holds the schema lock).
 * PostgreSQL prints the check back in its own words, so the roles are compared, not the text.
 */
async function migrateLinkRoles(client: pg.PoolClient): Promise<void> {
	const { rows } = await client.query(
		`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint
		 WHERE conname = 'links_role_check' AND conrelid = 'links'::regclass`
	);
	const def: string = rows[0]?.def ?? '';
	if (ROLES.every((role) => def.includes(`'${role}'`))) return;
	await client.query('BEGIN');
	try {
		await client.query('ALTER TABLE links DROP CONSTRAINT IF EXISTS links_role_check');
		await client.query(`ALTER TABLE links ADD CONSTRAINT links_role_check CHECK (${ROLE_CHECK})`);
		await client.query('COMMIT');
	} catch (err) {
		await client.query('ROLLBACK').catch(() => {});
		throw err;
	}
}
