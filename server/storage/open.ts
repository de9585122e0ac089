/**
 * Which store a relay (or the CLI) uses: PostgreSQL when DATABASE_URL is set, shared by every
 * relay that points at it; otherwise the embedded SQLite database in DATA_DIR, as always.
 */
import { openPostgresStore, redact } from './postgres.ts';
import { openSqliteStore } from './sqlite.ts';
import type { BoardStore } from './types.ts';

export async function openStore(opts: {
	databaseUrl: string | null;
	dataDir: string;
	/** The clock the store stamps with (tests set it: server/http/test-clock.ts). */
	now?: () => number;
}): Promise<BoardStore> {
	if (opts.databaseUrl) return openPostgresStore({ url: opts.databaseUrl, now: opts.now });
	return openSqliteStore({ dir: opts.dataDir, now: opts.now });
}

/** Where the boards are, for a log line (never the password). */
export function describeStore(opts: { databaseUrl: string | null; dataDir: string }): string {
	return opts.databaseUrl ? redact(opts.databaseUrl) : opts.dataDir;
}
