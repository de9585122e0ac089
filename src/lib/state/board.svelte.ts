/**
 * The UI's view of one board: a plain snapshot, replaced wholesale whenever the doc changes, and
 * a way to run model operations. Components read getters and call `run`; none of them touch Yjs.
 */
import type * as Y from 'yjs';
import { ModelError, readBoard, type BoardSnapshot } from '$lib/model/index.ts';
import type { BoardConnection, ConnectionState } from '$lib/sync/connect-board.ts';

/** A model operation: the doc first, then one options object. */
export type Operation<O, R> = (doc: Y.Doc, opts: O) => R;

export class BoardState {
	#connection: BoardConnection;
	#snapshot: BoardSnapshot;
	#connectionState: ConnectionState;
	#error = $state.raw<string | null>(null);
	#pending = false;
	#destroyed = false;
	#unsubscribe: () => void;

	constructor(connection: BoardConnection) {
		this.#connection = connection;
		this.#snapshot = $state.raw(readBoard(connection.doc));
		this.#connectionState = $state.raw(connection.state);
		this.#unsubscribe = connection.subscribe((state) => (this.#connectionState = state));
		connection.doc.on('update', this.#schedule);
	}

	/**
	 * A remote sync or a local burst can fire many updates in one task; rebuilding once after
	 * the last of them keeps a big board responsive without ever showing a half-applied state.
	 */
	#schedule = () => {
		if (this.#pending) return;
		this.#pending = true;
		queueMicrotask(() => {
			this.#pending = false;
			if (!this.#destroyed) this.#snapshot = readBoard(this.#connection.doc);
		});
	};

	get snapshot(): BoardSnapshot {
		return this.#snapshot;
	}

	get status() {
		return this.#connectionState.status;
	}

	/** False until the relay's copy has arrived: before that an empty board means nothing. */
	get loaded(): boolean {
		return this.#connectionState.loaded;
	}

	/** A newer Railyard wrote this board; writing with an older schema could damage it. */
	get readOnly(): boolean {
		return this.#connectionState.migration?.status === 'newer';
	}

	/** The message of the last operation the model refused, until the next one succeeds. */
	get error(): string | null {
		return this.#error;
	}

	dismissError(): void {
		this.#error = null;
	}

	/**
	 * Run a model operation against this board. A refusal (ModelError, e.g. the lane was just
	 * deleted by someone else) is kept in `error` for the UI and yields undefined; anything else
	 * is a bug and is rethrown.
	 */
	run<O, R>(operation: Operation<O, R>, opts: O): R | undefined {
		if (this.readOnly) {
			this.#error = 'This board was saved by a newer version of Railyard and is read-only here.';
			return undefined;
		}
		try {
			const result = operation(this.#connection.doc, opts);
			this.#error = null;
			return result;
		} catch (error) {
			if (!(error instanceof ModelError)) throw error;
			this.#error = error.message;
			return undefined;
		}
	}

	destroy(): void {
		this.#destroyed = true;
		this.#connection.doc.off('update', this.#schedule);
		this.#unsubscribe();
		this.#connection.destroy();
	}
}
