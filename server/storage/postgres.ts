/**
 * The shared store: PostgreSQL (selected by DATABASE_URL), for relays that outgrow one machine.
 * Same contract as SQLite (tests/server/storage-contract.test.ts), through `pg`'s pool.
 *
 * Fencing: every board row carries an `epoch`. A store writes a board's log only with the epoch it
 * holds for that board — the board's epoch when it first read or wrote it, or the one `claim`
 * gave it — and every durable write (append, compaction) checks that epoch in SQL, in the same
 * statement or transaction, under the board row's lock (`UPDATE boards ... WHERE id = $1 AND
 * epoch = $2`).
 * Taking a board over (`claim`) bumps the epoch, so a former owner that wakes up from a pause can
 * never write again: its writes are refused with StaleEpochError and change nothing, and it keeps
 * being refused (reloading does not renew its epoch) until it claims the board again. One relay
 * alone never claims, and its epoch never moves.
 *
 * Durability: a statement in autocommit (an append), like a COMMIT, returns once PostgreSQL has
 * flushed its WAL (synchronous_commit's default).
 */
import pg from 'pg';
import { CorruptBoardError } from './corrupt.ts';
import { migrate } from './postgres-schema.ts';
import { sha256, toAuthor, toCheckpoint, toInfo, toLink } from './rows.ts';
import { StaleEpochError, type AuthorRecord, type BoardStore, type StoredBoard } from './types.ts';
import { postgresVotes } from './votes-sql.ts';

/**
 * A board's last sequence number and last history stamp as its own rows say (its history, and
 * what history folded: every logged update is in one or the other). `b` is the board row. The
 * counters on the row are never let fall below them, so they are right also for a board from
 * before them, or one a relay of that version appended to (GREATEST skips nulls).
 */
const SEQ_OF_ROWS = `(SELECT MAX(seq) FROM history WHERE board_id = b.id),
	(SELECT upto_seq FROM history_bases WHERE board_id = b.id)`;
const AT_OF_ROWS = `(SELECT at FROM history WHERE board_id = b.id ORDER BY seq DESC LIMIT 1),
	(SELECT at FROM history_bases WHERE board_id = b.id)`;

/**
 * Every append, of one board or of a batch of boards, in one statement (autocommit: one round
 * trip, atomic). The UPDATE is the fence: it takes each board row's lock only where the epoch is
 * still the writer's, and moves the board's counters on by its updates; the log and history rows
 * are written only for the rows it matched. Under the lock it reads the row's newest version (a
 * writer that waited for another's lock continues from that writer's counters), which is why the
 * numbers live on the row: the rest of the statement sees the tables as they were when it began.
 * One row per board comes back: its last sequence number, or null with whether the board exists
 * (a stale epoch, or an unknown board).
 *
 * $1 board ids (distinct), $2 the epoch held per board
 * (null: none held yet, take the board's), $3 updates per board, $4 each update's board, $5 each
 * update's place in its board's list (from 1), $6 the updates, $7 now.
 */
const APPEND = `
WITH input AS (
	SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS i(id, epoch, n)
), locked AS (
	-- The rows' locks in one order (by id) for every writer, whatever plan the UPDATE gets: two
	-- writers' batches over the same boards wait for each other rather than deadlock.
	SELECT id FROM boards WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE
), fenced AS (
	UPDATE boards b SET
		last_seq = GREATEST(b.last_seq, ${SEQ_OF_ROWS}, 0) + i.n,
		last_at = CASE WHEN i.n > 0
			THEN GREATEST(b.last_at, ${AT_OF_ROWS}, $7::bigint) ELSE b.last_at END,
		updated_at = $7
	FROM input i JOIN locked USING (id)
	WHERE b.id = i.id AND b.epoch = COALESCE(i.epoch, b.epoch)
	RETURNING b.id, b.epoch, b.last_seq - i.n AS base, b.last_at AS at
), logged AS (
	INSERT INTO updates (board_id, seq, data, epoch)
	SELECT f.id, f.base + u.ord, u.data, f.epoch
	FROM unnest($4::text[], $5::bigint[], $6::bytea[]) AS u(id, ord, data)
	JOIN fenced f ON f.id = u.id
	RETURNING board_id, seq, data
), kept AS (
	INSERT INTO history (board_id, seq, at, data)
	SELECT l.board_id, l.seq, f.at, l.data FROM logged l JOIN fenced f ON f.id = l.board_id
)
SELECT i.id, f.epoch, f.base + i.n AS seq, EXISTS (SELECT 1 FROM boards WHERE id = i.id) AS known
FROM input i LEFT JOIN fenced f ON f.id = i.id`;

const LINK_COLUMNS = `id, board_id AS "boardId", role, label, created_at AS "createdAt",
	expires_at AS "expiresAt", revoked_at AS "revokedAt"`;
const CHECKPOINT_COLUMNS = `id, board_id AS "boardId", kind, name, created_at AS "createdAt",
	author_name AS "authorName", link_id AS "linkId", octet_length(state) AS bytes`;
const INFO_COLUMNS = `id, title, created_at AS "createdAt", updated_at AS "updatedAt"`;

// BIGINT arrives as a string (it may exceed 2^53); ours are milliseconds and counters.
const num = (n: unknown): number => Number(n);

export interface PostgresStore extends BoardStore {
	/**
	 * Takes the board over: bumps its epoch and holds the new one, so every writer holding an
	 * older epoch is refused from now on. Resolves to the new epoch; rejects for an unknown board.
	 */
	claim(id: string): Promise<number>;
	/** The epoch this store writes `id` with (read from the board if it holds none yet). */
	epoch(id: string): Promise<number>;
}

export interface PostgresStoreOptions {
	/** A libpq connection string (DATABASE_URL). */
	url: string;
	/** Tables live in this schema (created if missing); default: the connection's search_path. */
	schema?: string;
	now?: () => number;
	/** Connections in the pool. */
	max?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openPostgresStore(opts: PostgresStoreOptions): Promise<PostgresStore> {
	const now = opts.now ?? Date.now;
	if (opts.schema !== undefined && !SCHEMA_NAME.test(opts.schema)) {
		throw new Error(`not a schema name: ${opts.schema}`);
	}
	const pool = new pg.Pool({
		connectionString: opts.url,
		max: opts.max ?? 4,
		// Fail at once, with the address, rather than hang a relay (or a test) on a dead server.
		connectionTimeoutMillis: 5000,
		// A relay paused mid-transaction (SIGSTOP, a long GC pause) holds its board row's lock; PostgreSQL
		// ends such a session after 2 s, so the relay taking the board over (claim) is not kept waiting
		// for as long as the pause lasts. The paused relay's COMMIT then fails: nothing it had not
		// acknowledged is lost, and nothing of it is written.
		idle_in_transaction_session_timeout: 2000,
		options: opts.schema ? `-c search_path=${opts.schema}` : undefined
	});
	// An idle client losing its connection is reported here; the pool replaces it.
	pool.on('error', () => {});
	// A session that dies while checked out (terminated, or ended by the timeout above) is reported
	// as an 'error' event on its client, which would end the relay when nothing listens: the query
	// under way fails instead, and the client is thrown away when it is released.
	const broken = new WeakSet<pg.Client>();
	pool.on('connect', (client) => client.on('error', () => broken.add(client)));
	const release = (client: pg.PoolClient) => client.release(broken.has(client) || undefined);
	try {
		const client = await pool.connect();
		try {
			if (opts.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${opts.schema}`);
			// Two relays starting at once must not race each other's CREATE TABLE.
			await client.query('SELECT pg_advisory_lock(7146504)');
			try {
				await migrate(client, now());
			} finally {
				await client.query('SELECT pg_advisory_unlock(7146504)');
			}
		} finally {
			release(client);
		}
	} catch (err) {
		await pool.end().catch(() => {});
		throw new Error(
			`PostgreSQL at ${redact(opts.url)} is not reachable or not usable: ${(err as Error).message}`,
			{ cause: err }
		);
	}

	let closed = false;
	/** The epoch this store holds per board. */
	const held = new Map<string, number>();

	async function transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
		const client = await pool.connect();
		try {
			await client.query('BEGIN');
			const out = await fn(client);
			await client.query('COMMIT');
			return out;
		} catch (err) {
			await client.query('ROLLBACK').catch(() => {});
			throw err;
		} finally {
			release(client);
		}
	}

	async function epochOf(id: string, client: pg.ClientBase | pg.Pool = pool): Promise<number> {
		const known = held.get(id);
		if (known !== undefined) return known;
		const { rows } = await client.query('SELECT epoch FROM boards WHERE id = $1', [id]);
		if (rows.length === 0) throw new Error(`unknown board ${id}`);
		const epoch = num(rows[0].epoch);
		held.set(id, epoch);
		return epoch;
	}

	/**
	 * The fence of a compaction: locks the board row if `epoch` is still the board's, else throws
	 * (an unknown board, or StaleEpochError). Everything written after it in the transaction is
	 * fenced. (An append fences itself, in its own statement: APPEND.)
	 */
	async function fence(client: pg.ClientBase, id: string, epoch: number): Promise<void> {
		const { rowCount } = await client.query(
			'UPDATE boards SET epoch = epoch WHERE id = $1 AND epoch = $2',
			[id, epoch]
		);
		if (rowCount === 1) return;
		const { rows } = await client.query('SELECT 1 FROM boards WHERE id = $1', [id]);
		if (rows.length === 0) throw new Error(`unknown board ${id}`);
		throw new StaleEpochError(id, epoch);
	}

	/**
	 * Appends to every board of the batch in one statement (APPEND). Entries for the same board are
	 * written together, in their order, and each gets the sequence number of its own last update.
	 * Rejects only if the statement fails as a whole (then nothing of it was written).
	 */
	async function appendAll(
		batch: readonly { id: string; updates: readonly Uint8Array[] }[]
	): Promise<(number | Error)[]> {
		const byBoard = new Map<string, Uint8Array[]>();
		/** Per entry: how many of its board's updates in the batch are its own or an earlier entry's. */
		const upto = batch.map(({ id, updates }) => {
			const list = byBoard.get(id) ?? [];
			byBoard.set(id, list);
			list.push(...updates);
			return list.length;
		});
		const ids = [...byBoard.keys()].sort();
		const ordOf: number[] = [];
		const boardOf: string[] = [];
		const data: Buffer[] = [];
		for (const id of ids) {
			byBoard.get(id)!.forEach((u, i) => {
				boardOf.push(id);
				ordOf.push(i + 1);
				data.push(Buffer.from(u.buffer, u.byteOffset, u.byteLength));
			});
		}
		const epochs = ids.map((id) => held.get(id) ?? null);
		const { rows } = await pool.query({
			// Named: each pooled connection plans it once, not on every append.
			name: 'railyard-append',
			text: APPEND,
			values: [ids, epochs, ids.map((id) => byBoard.get(id)!.length), boardOf, ordOf, data, now()]
		});
		const outcome = new Map<string, { last: number } | Error>();
		for (const r of rows as {
			id: string;
			epoch: string | null;
			seq: string | null;
			known: boolean;
		}[]) {
			const epoch = epochs[ids.indexOf(r.id)];
			if (r.seq !== null) {
				// A first write takes the board's epoch, as a first read does.
				if (epoch === null && !held.has(r.id)) held.set(r.id, num(r.epoch));
				outcome.set(r.id, { last: num(r.seq) });
			} else if (r.known && epoch != null) outcome.set(r.id, new StaleEpochError(r.id, epoch));
			else outcome.set(r.id, new Error(`unknown board ${r.id}`));
		}
		return batch.map(({ id }, i) => {
			const result = outcome.get(id) ?? new Error(`no outcome for board ${id}`);
			if (result instanceof Error) return result;
			// The board's last number, less the updates of later entries for the same board.
			return result.last - (byBoard.get(id)!.length - upto[i]!);
		});
	}

	const store: PostgresStore = {
		...postgresVotes(pool),
		async create({ id, title }, initial) {
			const t = now();
			// The board and the start of its history, in one statement.
			const { rows } = await pool.query(
				`WITH made AS (
				 	INSERT INTO boards (id, title, created_at, updated_at, snapshot, snapshot_sha256,
				 		last_seq, last_at)
				 	VALUES ($1, $2, $3, $3, $4, $5, 0, $3) ON CONFLICT (id) DO NOTHING RETURNING id
				 ), based AS (
				 	INSERT INTO history_bases (board_id, state, at, upto_seq)
				 	SELECT id, $4, $3, 0 FROM made
				 )
				 SELECT id FROM made`,
				[id, title, t, initial ? Buffer.from(initial) : null, initial ? sha256(initial) : null]
			);
			return rows.length === 1;
		},
		async info(id) {
			const { rows } = await pool.query(`SELECT ${INFO_COLUMNS} FROM boards WHERE id = $1`, [id]);
			return rows[0] ? toInfo(rows[0]) : null;
		},
		async list() {
			const { rows } = await pool.query(
				`SELECT ${INFO_COLUMNS} FROM boards ORDER BY updated_at DESC, id`
			);
			return rows.map(toInfo);
		},
		async load(id): Promise<StoredBoard | null> {
			// One snapshot of the database for both reads (REPEATABLE READ), so a compaction
			// committed in between cannot make the log and the snapshot disagree.
			const client = await pool.connect();
			try {
				await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
				const board = await client.query(
					'SELECT snapshot, snapshot_sha256 AS sha, epoch FROM boards WHERE id = $1',
					[id]
				);
				const row = board.rows[0] as
					{ snapshot: Buffer | null; sha: Buffer | null; epoch: string } | undefined;
				if (!row) {
					await client.query('COMMIT');
					return null;
				}
				const log = await client.query(
					'SELECT seq, data FROM updates WHERE board_id = $1 ORDER BY seq',
					[id]
				);
				await client.query('COMMIT');
				const updates: Uint8Array[] = log.rows.map((r: { data: Buffer }) => r.data);
				if (row.snapshot) {
					if (row.sha && Buffer.compare(sha256(row.snapshot), row.sha) !== 0) {
						throw new CorruptBoardError(id);
					}
					updates.unshift(row.snapshot);
				}
				if (!held.has(id)) held.set(id, num(row.epoch));
				const lastSeq = log.rows.length ? num(log.rows[log.rows.length - 1].seq) : 0;
				return { updates, lastSeq };
			} catch (err) {
				await client.query('ROLLBACK').catch(() => {});
				throw err;
			} finally {
				release(client);
			}
		},
		async append(id, updates) {
			const [result] = await appendAll([{ id, updates }]);
			if (result instanceof Error) throw result;
			return result!;
		},
		async appendBatch(batch) {
			if (batch.length === 0) return [];
			try {
				return await appendAll(batch);
			} catch (err) {
				return batch.map(() => (err instanceof Error ? err : new Error(String(err))));
			}
		},
		async compact(id, snapshot, uptoSeq, title) {
			await transaction(async (client) => {
				const epoch = await epochOf(id, client);
				await fence(client, id, epoch);
				await client.query(
					`UPDATE boards SET snapshot = $2, snapshot_sha256 = $3, title = COALESCE($4, title)
					 WHERE id = $1`,
					[id, Buffer.from(snapshot), sha256(snapshot), title ?? null]
				);
				await client.query('DELETE FROM updates WHERE board_id = $1 AND seq <= $2', [id, uptoSeq]);
			});
		},
		async saveCheckpoint(c) {
			const t = now();
			await pool.query(
				`INSERT INTO checkpoints (id, board_id, kind, name, created_at, author_name, link_id, state)
				 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
				[c.id, c.boardId, c.kind, c.name, t, c.authorName, c.linkId, Buffer.from(c.state)]
			);
			const { state, ...info } = c;
			return { ...info, createdAt: t, bytes: state.length };
		},
		async checkpoints(boardId) {
			const { rows } = await pool.query(
				`SELECT ${CHECKPOINT_COLUMNS} FROM checkpoints WHERE board_id = $1
				 ORDER BY created_at DESC, ord DESC`,
				[boardId]
			);
			return rows.map(toCheckpoint);
		},
		async pruneCheckpoints(boardId, before) {
			const { rowCount } = await pool.query(
				`DELETE FROM checkpoints WHERE board_id = $1 AND kind = 'auto' AND created_at < $2`,
				[boardId, before]
			);
			return rowCount ?? 0;
		},
		async renameCheckpoint(boardId, id, name) {
			const { rows } = await pool.query(
				`UPDATE checkpoints SET name = $3, kind = 'named' WHERE board_id = $1 AND id = $2
				 RETURNING ${CHECKPOINT_COLUMNS}`,
				[boardId, id, name]
			);
			return rows[0] ? toCheckpoint(rows[0]) : null;
		},
		async deleteCheckpoint(boardId, id) {
			const { rowCount } = await pool.query(
				'DELETE FROM checkpoints WHERE board_id = $1 AND id = $2',
				[boardId, id]
			);
			return rowCount === 1;
		},
		async historyBase(boardId) {
			const { rows } = await pool.query(
				'SELECT state, at, upto_seq FROM history_bases WHERE board_id = $1',
				[boardId]
			);
			const row = rows[0];
			if (!row) return null;
			return {
				state: row.state ? new Uint8Array(row.state as Buffer) : null,
				at: num(row.at),
				uptoSeq: num(row.upto_seq)
			};
		},
		async history(boardId, { afterSeq, until, limit }) {
			const { rows } = await pool.query(
				`SELECT seq, at, data FROM history WHERE board_id = $1 AND seq > $2 AND at <= $3
				 ORDER BY seq LIMIT $4`,
				[boardId, afterSeq, Math.min(until, Number.MAX_SAFE_INTEGER), limit]
			);
			return rows.map((r: { seq: string; at: string; data: Buffer }) => ({
				seq: num(r.seq),
				at: num(r.at),
				data: new Uint8Array(r.data)
			}));
		},
		async foldHistory(boardId, base, previousUptoSeq) {
			return transaction(async (client) => {
				const { rowCount } = await client.query(
					`UPDATE history_bases SET state = $2, at = $3, upto_seq = $4
					 WHERE board_id = $1 AND upto_seq = $5`,
					[boardId, Buffer.from(base.state), base.at, base.uptoSeq, previousUptoSeq]
				);
				if (rowCount !== 1) return false;
				await client.query('DELETE FROM history WHERE board_id = $1 AND seq <= $2', [
					boardId,
					base.uptoSeq
				]);
				return true;
			});
		},
		async checkpoint(boardId, id) {
			const { rows } = await pool.query(
				`SELECT ${CHECKPOINT_COLUMNS}, state FROM checkpoints WHERE board_id = $1 AND id = $2`,
				[boardId, id]
			);
			const row = rows[0];
			return row ? { ...toCheckpoint(row), state: new Uint8Array(row.state as Buffer) } : null;
		},
		async recordAuthors(authors) {
			// One row per board and client id: an upsert may not touch a row twice in one statement.
			const rows = new Map<string, AuthorRecord>();
			for (const a of authors) {
				const key = `${a.boardId}\u0000${a.clientId}`;
				const had = rows.get(key);
				rows.set(key, had ? { ...a, name: a.name || had.name, at: Math.max(a.at, had.at) } : a);
			}
			if (rows.size === 0) return;
			const list = [...rows.values()];
			await pool.query(
				`INSERT INTO authors (board_id, client_id, link_id, name, first_at, last_at)
				 SELECT a.board_id, a.client_id, a.link_id, a.name, a.at, a.at
				 FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bigint[])
				      AS a(board_id, client_id, link_id, name, at)
				 WHERE EXISTS (SELECT 1 FROM boards WHERE id = a.board_id)
				 ON CONFLICT (board_id, client_id) DO UPDATE SET
				 	last_at = GREATEST(authors.last_at, excluded.last_at),
				 	name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE authors.name END`,
				[
					list.map((a) => a.boardId),
					list.map((a) => a.clientId),
					list.map((a) => a.linkId),
					list.map((a) => a.name),
					list.map((a) => a.at)
				]
			);
		},
		async authors(boardId) {
			const { rows } = await pool.query(
				`SELECT client_id AS "clientId", link_id AS "linkId", name, first_at AS "firstAt",
				 last_at AS "lastAt" FROM authors WHERE board_id = $1 ORDER BY client_id`,
				[boardId]
			);
			return rows.map(toAuthor);
		},
		async delete(id) {
			await pool.query('DELETE FROM boards WHERE id = $1', [id]);
			held.delete(id);
		},
		async createLink(link) {
			const t = now();
			await pool.query(
				`INSERT INTO links (id, board_id, role, label, created_at, expires_at)
				 VALUES ($1, $2, $3, $4, $5, $6)`,
				[link.id, link.boardId, link.role, link.label, t, link.expiresAt]
			);
			return { ...link, createdAt: t, revokedAt: null };
		},
		async link(id) {
			const { rows } = await pool.query(`SELECT ${LINK_COLUMNS} FROM links WHERE id = $1`, [id]);
			return rows[0] ? toLink(rows[0]) : null;
		},
		async links(boardId) {
			const { rows } = await pool.query(
				`SELECT ${LINK_COLUMNS} FROM links WHERE board_id = $1 ORDER BY created_at, id`,
				[boardId]
			);
			return rows.map(toLink);
		},
		async revokeLink(id) {
			const { rowCount } = await pool.query(
				'UPDATE links SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL',
				[id, now()]
			);
			return rowCount === 1;
		},
		async claim(id) {
			const { rows } = await pool.query(
				'UPDATE boards SET epoch = epoch + 1 WHERE id = $1 RETURNING epoch',
				[id]
			);
			if (rows.length === 0) throw new Error(`unknown board ${id}`);
			const epoch = num(rows[0].epoch);
			held.set(id, epoch);
			return epoch;
		},
		epoch: (id) => epochOf(id),
		async close() {
			if (closed) return;
			closed = true;
			await pool.end();
		}
	};
	return store;
}

/** The connection string without its password, for messages and logs. */
export function redact(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password) parsed.password = '***';
		return parsed.toString();
	} catch {
		return '(an unparsable DATABASE_URL)';
	}
}
