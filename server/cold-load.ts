/**
 * The cold-load fast path. A compacted board (one stored snapshot) is not replayed into its doc
 * before the first joiner is answered: the snapshot already is the full-state reply, so after a
 * restart the first person in gets the board without waiting for Yjs to rebuild it. The doc is
 * built once that reply has been written out (REPLAY_FALLBACK_MS after the first join at the
 * latest), or at once when something needs its content (an update, a diff for a client that has
 * part of the board). Joiners that came before it get the relay's step 1 once it is built.
 */
import type { Peer } from './peer.ts';

/** For joiners that never ask for the whole board (stock clients ask at once). */
export const REPLAY_FALLBACK_MS = 1000;

export class ColdLoad {
	/** Stored updates not yet replayed into the doc, else null. */
	#unreplayed: Uint8Array[] | null;
	#timer: NodeJS.Timeout | null = null;
	readonly #waiting = new Set<Peer>();
	readonly #build: (updates: Uint8Array[], waiting: Peer[]) => void;

	constructor(opts: {
		/** Null: the doc is built already. */
		updates: Uint8Array[] | null;
		/** Replays `updates` into the doc, then owes `waiting` their step 1. May throw. */
		build: (updates: Uint8Array[], waiting: Peer[]) => void;
	}) {
		this.#unreplayed = opts.updates;
		this.#build = opts.build;
	}

	/** Whether the doc is still to be built. */
	get pending(): boolean {
		return this.#unreplayed !== null;
	}

	get timerPending(): boolean {
		return this.#timer !== null;
	}

	/** Builds the doc now, once. Throws what building threw. */
	ensure(): void {
		const updates = this.#unreplayed;
		if (!updates) return;
		this.#unreplayed = null;
		this.#clearTimer();
		const waiting = [...this.#waiting];
		this.#waiting.clear();
		this.#build(updates, waiting);
	}

	/** A joiner before the doc exists: its step 1 waits (see the header). */
	wait(peer: Peer): void {
		this.#waiting.add(peer);
		if (!this.#timer) this.later(REPLAY_FALLBACK_MS);
	}

	forget(peer: Peer): void {
		this.#waiting.delete(peer);
	}

	/** Builds the doc `delayMs` from now; a failure is handled by `build`'s caller. */
	later(delayMs: number): void {
		if (!this.#unreplayed) return;
		this.#clearTimer();
		this.#timer = setTimeout(() => {
			this.#timer = null;
			try {
				this.ensure();
			} catch {
				// Handled where the doc is built: the room was closed.
			}
		}, delayMs);
		this.#timer.unref();
	}

	close(): void {
		this.#clearTimer();
		this.#unreplayed = null;
		this.#waiting.clear();
	}

	#clearTimer(): void {
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
	}
}
