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
}): Promise<BoardStore> {
	if (opts.databaseUrl) return openPostgresStore({ url: opts.databaseUrl });
	return openSqliteStore({ dir: opts.dataDir });
}

/** Where the boards are, for a log line (never the password). */
export function describeStore(opts: { databaseUrl: string | null; dataDir: string }): string {
	return opts.databaseUrl ? redact(opts.databaseUrl) : opts.dataDir;
}
