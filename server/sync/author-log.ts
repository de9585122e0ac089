/**
 * Who sent each board's edits (room-history.ts), written for every room at once, at most every
 * `everyMs`: one write (one disk sync) per interval while new people start editing, instead of one
 * per person on the relay's hot path. Attribution is not part of the board, so a crash may lose
 * the last interval's rows: those changes then show no author, and nothing else is lost.
 */
import type { Logger } from '../log.ts';
import type { AuthorRecord, BoardHistory } from '../storage/types.ts';

export class AuthorLog {
	readonly #store: BoardHistory;
	readonly #log: Logger;
	readonly #everyMs: number;
	#pending: AuthorRecord[] = [];
	#timer: NodeJS.Timeout | null = null;
	#writing: Promise<void> = Promise.resolve();

	constructor(opts: { store: BoardHistory; logger: Logger; everyMs?: number }) {
		this.#store = opts.store;
		this.#log = opts.logger;
		this.#everyMs = opts.everyMs ?? 1000;
	}

	add(rows: readonly AuthorRecord[]): void {
		this.#pending.push(...rows);
		if (this.#timer) return;
		this.#timer = setTimeout(() => void this.flush(), this.#everyMs);
		this.#timer.unref();
	}

	/** Writes what is pending now; resolves once every write started so far is done. */
	flush(): Promise<void> {
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		const rows = this.#pending;
		this.#pending = [];
		if (rows.length > 0) {
			this.#writing = this.#writing.then(() =>
				this.#store.recordAuthors(rows).catch((err: unknown) => {
					this.#log.error({ err, rows: rows.length }, 'could not record who edited');
				})
			);
		}
		return this.#writing;
	}
}
