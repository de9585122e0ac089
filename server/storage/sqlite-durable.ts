/**
 * SQLite's commits made durable without blocking the relay's event loop.
 *
 * With `synchronous=FULL`, SQLite calls fsync inside every COMMIT, on the thread that commits:
 * the relay's main thread, which then sits idle for the disk (0.5 ms on a quiet disk, 10 ms and
 * more on a busy one) once per event-loop turn with edits, sending nothing to anyone meanwhile.
 *
 * Instead the database runs with `synchronous=NORMAL` — in WAL mode SQLite then syncs only
 * around checkpoints (the WAL before one, the database file after it), so a checkpoint never
 * leaves the only copy of a commit unsynced — and the store syncs the WAL file itself, through
 * libuv's thread pool (fdatasync), before a write's promise resolves. A commit is on disk once
 * the WAL frames up to its commit frame are, so a write still resolves only once it is durable,
 * exactly as before; what changed is that the main thread keeps serving sockets meanwhile, and
 * that writes committed while a sync runs share the next one (group commit).
 *
 * The document log's writes (the hot path) always wait for a sync. For every other method, whether
 * it wrote is read from SQLite itself (`total_changes()` before and after), so every write method
 * — including ones added later — waits for its sync, and reads never do.
 *
 * A failed sync is final: the data it covered may or may not be on disk (Linux may report the
 * next fsync clean after dropping the dirty pages), so every later write fails too, loudly,
 * until the relay restarts and SQLite recovers the WAL.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';

/** Flushes a file's data to disk (fdatasync in production; tests pass their own). */
export type SyncFile = (fd: number) => Promise<void>;

const fdatasync: SyncFile = (fd) =>
	new Promise((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));

export class StorageSyncError extends Error {
	override name = 'StorageSyncError';
}

/** Group fsync of one WAL file: every caller is resolved by a sync that started after it called. */
export class WalSync {
	readonly #fd: number;
	readonly #sync: SyncFile;
	/** The sync under way. */
	#running: Promise<void> | null = null;
	/** The sync that starts when the running one ends: for everyone who asked meanwhile. */
	#next: Promise<void> | null = null;
	#failed: StorageSyncError | null = null;
	#closed = false;

	/** `dbFile`: the database; its WAL is `<dbFile>-wal`, created here if SQLite has not yet. */
	constructor(dbFile: string, sync: SyncFile = fdatasync) {
		this.#sync = sync;
		this.#fd = fs.openSync(`${dbFile}-wal`, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
		// The WAL's directory entry must be on disk too, or a power cut could take the whole file.
		const dir = fs.openSync(path.dirname(dbFile), 'r');
		try {
			fs.fsyncSync(dir);
		} finally {
			fs.closeSync(dir);
		}
	}

	/** Resolves once everything written to the WAL before this call is on disk. */
	synced(): Promise<void> {
		if (this.#failed) return Promise.reject(this.#failed);
		if (this.#closed) return Promise.reject(new StorageSyncError('the store is closed'));
		if (!this.#running) {
			const running = this.#sync(this.#fd).then(
				() => {
					this.#running = null;
				},
				(err: unknown) => {
					this.#running = null;
					this.#failed ??= new StorageSyncError(
						`could not sync the database to disk (${(err as Error).message}); ` +
							'nothing is written until the relay restarts'
					);
					throw this.#failed;
				}
			);
			this.#running = running;
			return running;
		}
		// The running sync may have started before this caller's write: it needs the next one.
		this.#next ??= this.#running
			.catch(() => {})
			.then(() => {
				this.#next = null;
				return this.synced();
			});
		return this.#next;
	}

	/** Waits for the syncs under way, then lets go of the file. */
	async close(): Promise<void> {
		if (this.#closed) return;
		await Promise.allSettled([this.#running, this.#next]);
		this.#closed = true;
		fs.closeSync(this.#fd);
	}
}

/**
 * `store` with every method that wrote to `db` resolving only once the WAL is synced. `close`
 * closes the store first (SQLite checkpoints and syncs on close), then the WAL handle.
 */
/** Methods that always write: no need to ask SQLite whether they did. */
const WRITES = new Set(['append', 'appendBatch', 'compact']);

export function durableWrites<T extends { close(): Promise<void> }>(
	store: T,
	db: DatabaseSync,
	wal: WalSync
): T {
	const changes = db.prepare('SELECT total_changes() AS n');
	const count = () => Number((changes.get() as { n: number | bigint }).n);
	const wrapped: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(store)) {
		if (typeof value !== 'function' || name === 'close') {
			wrapped[name] = value;
			continue;
		}
		const method = value as (...args: unknown[]) => unknown;
		if (WRITES.has(name)) {
			wrapped[name] = async (...args: unknown[]) => {
				const result = await method.apply(store, args);
				await wal.synced();
				return result;
			};
			continue;
		}
		wrapped[name] = async (...args: unknown[]) => {
			const before = db.isOpen ? count() : 0;
			const result = await method.apply(store, args);
			if (db.isOpen && count() !== before) await wal.synced();
			return result;
		};
	}
	wrapped.close = async () => {
		await Promise.allSettled([wal.synced()]);
		await store.close();
		await wal.close();
	};
	return wrapped as T;
}
