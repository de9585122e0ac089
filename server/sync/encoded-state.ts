/**
 * A room's board as joiners receive it, encoded at most once per change. Every joiner with an
 * empty doc needs the same bytes, so a join storm on a large board costs one full encode (not one
 * per joiner) and every joiner is sent the same buffer. Any doc update invalidates the cache.
 *
 * It also keeps an upper bound on the board's encoded size without re-encoding after each update:
 * the last exact size plus the bytes of every update applied since.
 *
 * The owner calls `invalidate` from the doc's 'update' event (the room keeps a single listener,
 * so it can detach it while it replays a stored board).
 */
import * as Y from 'yjs';
import { encodeSyncStep1, encodeSyncStep2, ProtocolError } from './protocol.ts';

export class EncodedState {
	readonly #doc: Y.Doc;
	/** A sync step 2 frame carrying the whole board; the full update is its tail. */
	#fullFrame: Uint8Array | null = null;
	#full: Uint8Array | null = null;
	#stateVector: Uint8Array | null = null;
	#step1Frame: Uint8Array | null = null;
	/** Size of the last full encoding, or -1 before the first. */
	#lastSize = -1;
	#grownBy = 0;

	/**
	 * `snapshot`: the doc's whole state as one update, when the caller has it already (a room
	 * loaded from a compacted board), so even the first joiner needs no encode.
	 */
	constructor(doc: Y.Doc, opts: { snapshot?: Uint8Array } = {}) {
		this.#doc = doc;
		if (opts.snapshot) this.#setFull(opts.snapshot);
	}

	/** Call with every update applied to the doc. */
	invalidate(update: Uint8Array): void {
		this.#fullFrame = null;
		this.#full = null;
		this.#stateVector = null;
		this.#step1Frame = null;
		this.#grownBy += update.length;
	}

	#setFull(full: Uint8Array): void {
		const frame = encodeSyncStep2(full);
		this.#fullFrame = frame;
		// Keep one copy: the full update is the frame's tail.
		this.#full = frame.subarray(frame.length - full.length);
		this.#lastSize = full.length;
		this.#grownBy = 0;
	}

	/** The whole board as one update. */
	full(): Uint8Array {
		if (!this.#full) this.#setFull(Y.encodeStateAsUpdate(this.#doc));
		return this.#full as Uint8Array;
	}

	stateVector(): Uint8Array {
		this.#stateVector ??= Y.encodeStateVector(this.#doc);
		return this.#stateVector;
	}

	/** The relay's sync step 1, sent to every joiner. */
	step1Frame(): Uint8Array {
		this.#step1Frame ??= encodeSyncStep1(this.stateVector());
		return this.#step1Frame;
	}

	/** Whether a client's state vector is empty (a new joiner): it needs the whole board. */
	static isEmpty(clientStateVector: Uint8Array): boolean {
		try {
			return Y.decodeStateVector(clientStateVector).size === 0;
		} catch {
			return false; // step2For reports it
		}
	}

	/**
	 * The sync step 2 answering a client's step 1. A client that holds nothing the board has (a
	 * new joiner, or one with only its own offline edits) gets the cached full-state frame.
	 */
	step2For(clientStateVector: Uint8Array): Uint8Array {
		let theirs: Map<number, number>;
		try {
			theirs = Y.decodeStateVector(clientStateVector);
		} catch (err) {
			throw new ProtocolError(`bad state vector: ${(err as Error).message}`);
		}
		const knowsSome = [...theirs].some(([client, clock]) => clock > 0 && this.#knows(client));
		if (!knowsSome) {
			this.full();
			return this.#fullFrame as Uint8Array;
		}
		try {
			return encodeSyncStep2(Y.encodeStateAsUpdate(this.#doc, clientStateVector));
		} catch (err) {
			throw new ProtocolError(`bad state vector: ${(err as Error).message}`);
		}
	}

	#knows(client: number): boolean {
		return this.#doc.store.clients.has(client);
	}

	/** The board's encoded size now. Encodes (and caches) when the last encoding is stale. */
	size(): number {
		return this.full().length;
	}

	/** An upper bound on `size()` that never encodes: exact right after an encode, loose after. */
	sizeBound(): number {
		if (this.#full) return this.#full.length;
		if (this.#lastSize < 0) return this.size();
		return this.#lastSize + this.#grownBy;
	}
}
