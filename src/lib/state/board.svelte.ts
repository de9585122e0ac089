/**
 * The UI's view of one board: a plain snapshot, replaced wholesale whenever the doc changes, and
 * a way to run model operations. Components read getters and call `run`; none of them touch Yjs.
 */
import * as Y from 'yjs';
import {
	ModelError,
	moveCard,
	moveLane,
	moveObjective,
	moveRisk,
	movePeriod,
	moveProgram,
	planIndex,
	previewMove,
	SnapshotReader,
	type BoardSnapshot,
	type PlanIndex,
	type PlannedMove,
	type Preview,
	positionWriterOf,
	type TextTarget
} from '$lib/model/index.ts';
import type { BoardConnection, ConnectionState } from '$lib/sync/connect-board.ts';
import { downloadCachedBoard } from '$lib/sync/board-cache.ts';
import type { Role } from '$lib/sync/links.ts';
import { setLockExemption, type EditTarget } from '$lib/model/locks.ts';
import { canFacilitate } from '$lib/protocol/roles.ts';
import { FacilitationState } from './facilitation.svelte.ts';
import { History } from './history.svelte.ts';
import { LockState } from './locks.svelte.ts';
import { KeyboardLift } from './lift.svelte.ts';
import { movedMessage, type Move } from './moves.ts';
import { PresenceState } from './presence.svelte.ts';
import { browserStorage } from './storage.ts';
import { reconcile } from './reconcile.ts';
import { MoveAnnouncer, movedItems, type MovedItem } from './remote-moves.ts';
import { TextSession, type MapOffset } from './text-session.ts';
import { VoteState } from './votes.svelte.ts';

const READ_ONLY_MESSAGES = {
	viewer: 'Your link lets you view this board, not change it.',
	newer: 'This board was saved by a newer version of Railyard and is read-only here.',
	closed: 'This board is no longer connected, so changes could not be saved.'
} as const;

/** Origins of this tab's own transactions; anything else came from someone else. */
const LOCAL_ORIGINS = new Set<unknown>(['local', 'migration', 'seed', 'restore']);

/** A model operation: the doc first, then one options object. */
export type Operation<O, R> = (doc: Y.Doc, opts: O) => R;

export class BoardState {
	#connection: BoardConnection;
	/** Re-reads only the records each transaction touched (model/snapshot-reader.ts). */
	#reader: SnapshotReader;
	#snapshot: BoardSnapshot;
	#connectionState: ConnectionState;
	#error = $state.raw<string | null>(null);
	#announcement = $state.raw('');
	/** Keyboard pick-up (Space, arrows, Space or Escape) for whichever item is lifted. */
	readonly lift: KeyboardLift;
	/** Undo and redo of this person's own changes only. */
	#history: History;
	#pending = false;
	/** Whether an update from someone else arrived since the last snapshot. */
	#remote = false;
	#destroyed = false;
	/** Who else is here and what they are doing (awareness), read only through this. */
	readonly presence: PresenceState;
	/** Votes (secret until closed): the open one's count, this person's ballot, past results. */
	readonly votes: VoteState;
	#moveAnnouncer: MoveAnnouncer;
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- callbacks, nothing renders it
	#remoteMoveListeners = new Set<(moved: MovedItem[]) => void>();
	#unsubscribe: () => void;

	/** What this person's link lets them do; a viewer's board is read-only. */
	readonly role: Role;
	/** What a facilitator locked, and why an item cannot be edited here (`locks.reason`). */
	readonly locks: LockState;
	/** The shared timer and, for a facilitator, the workshop's controls. */
	readonly facilitation: FacilitationState;

	constructor(connection: BoardConnection, opts: { role?: Role } = {}) {
		this.#connection = connection;
		this.role = opts.role ?? 'editor';
		// A facilitator's own edits are never stopped by a lock, here or at the relay.
		setLockExemption(connection.doc, canFacilitate(this.role));
		this.locks = new LockState(connection.doc, { exempt: canFacilitate(this.role) });
		this.#reader = new SnapshotReader(connection.doc);
		this.#snapshot = $state.raw(this.#reader.read());
		this.#unit = this.#snapshot.unit;
		this.#connectionState = $state.raw(connection.state);
		this.#unsubscribe = connection.subscribe((state) => (this.#connectionState = state));
		connection.doc.on('afterTransaction', this.#schedule);
		this.lift = new KeyboardLift(this);
		this.#history = new History(connection.doc);
		this.presence = new PresenceState({
			awareness: connection.awareness,
			storage: browserStorage(),
			announce: (message) => this.announce(message)
		});
		this.votes = new VoteState({
			channel: connection.votes,
			announce: (message) => this.announce(message)
		});
		this.facilitation = new FacilitationState({
			channel: connection.facilitation,
			canFacilitate: canFacilitate(this.role),
			announce: (message) => this.announce(message),
			onRefusal: (message) => (this.#error = message),
			storage: browserStorage()
		});
		this.#moveAnnouncer = new MoveAnnouncer({
			announce: (message) => this.announce(message),
			// The person seen dragging it, else whoever wrote its position (a menu or keyboard move).
			movedBy: (item) =>
				this.presence.movedBy(item.kind, item.id) ?? this.#moverOf(item.kind, item.id)
		});
	}

	/**
	 * A remote sync or a local burst can fire many updates in one task; rebuilding once after
	 * the last of them keeps a big board responsive without ever showing a half-applied state.
	 * Heard after each transaction rather than as an 'update': Yjs encodes a transaction for its
	 * 'update' listeners, which for the first sync is the whole board encoded for nothing.
	 */
	#schedule = (transaction: Y.Transaction) => {
		if (transaction.changed.size === 0 && transaction.deleteSet.clients.size === 0) return;
		const origin = transaction.origin;
		// Undo and redo run with their UndoManager as the origin: still this person's own moves.
		if (!LOCAL_ORIGINS.has(origin) && !(origin instanceof Y.UndoManager)) this.#remote = true;
		if (this.#pending) return;
		this.#pending = true;
		queueMicrotask(() => this.refresh());
	};

	/**
	 * Rebuild the snapshot now if the doc changed since the last one. A move calls it so the
	 * moved item's new place can be announced and focused in the same task. Unchanged lanes and
	 * cards keep their object identity (reconcile), so only what changed re-renders.
	 */
	refresh(): void {
		if (!this.#pending || this.#destroyed) return;
		this.#pending = false;
		const before = this.#snapshot;
		this.#snapshot = reconcile(before, this.#reader.read(before));
		this.locks.refresh();
		if (this.#snapshot.unit !== this.#unit) this.#unit = this.#snapshot.unit;
		if (this.#remote) {
			this.#remote = false;
			const moved = movedItems(before, this.#snapshot);
			if (moved.length === 0) return;
			// Listeners run before the DOM updates: the place an item leaves can still be measured.
			for (const listener of this.#remoteMoveListeners) listener(moved);
			this.#moveAnnouncer.add(this.#snapshot, moved);
		}
	}

	/**
	 * Calls `listener` with the items someone else just moved, after the snapshot changed and
	 * before the page re-renders (so their old places can be measured). Returns the unsubscribe.
	 */
	onRemoteMoves(listener: (moved: MovedItem[]) => void): () => void {
		this.#remoteMoveListeners.add(listener);
		return () => this.#remoteMoveListeners.delete(listener);
	}

	get snapshot(): BoardSnapshot {
		return this.#snapshot;
	}

	/** Dependencies between cards on the board, with health; those set aside are in orphans. */
	get dependencies(): BoardSnapshot['dependencies'] {
		return this.#snapshot.dependencies;
	}

	/** Risks by ROAM column. */
	get risks(): BoardSnapshot['risks'] {
		return this.#snapshot.risks;
	}

	/** The board's predictability; each program carries its own. */
	get predictability(): BoardSnapshot['predictability'] {
		return this.#snapshot.predictability;
	}

	/** The unit estimates and capacities are counted in. */
	/**
	 * Its own state, not read through the snapshot: every card shows it, and 5,000 cards
	 * depending on the snapshot would all be checked again at every change anyone makes.
	 */
	#unit = $state.raw('points');

	get unit(): string {
		return this.#unit;
	}

	#plan: { of: BoardSnapshot; index: PlanIndex } | null = null;

	/**
	 * Where every card is and what every cell carries, built once per snapshot (on first use),
	 * so a drag preview costs only what the move touches.
	 */
	get plan(): PlanIndex {
		if (this.#plan?.of !== this.#snapshot) {
			this.#plan = { of: this.#snapshot, index: planIndex(this.#snapshot) };
		}
		return this.#plan.index;
	}

	/** What `move` would change (dependency health, cell and program loads), before it is made. */
	preview(move: PlannedMove): Preview {
		return previewMove(this.plan, move);
	}

	get status() {
		return this.#connectionState.status;
	}

	/** False until the relay's copy has arrived: before that an empty board means nothing. */
	get loaded(): boolean {
		return this.#connectionState.loaded;
	}

	/** Whether the browser has a network at all (offline vs. reconnecting). */
	get online(): boolean {
		return this.#connectionState.online;
	}

	/** True once this tab has synced with the relay; before that the board may be the cached copy. */
	get synced(): boolean {
		return this.#connectionState.synced;
	}

	/** Changes made here that the server has not yet confirmed it holds. */
	get pending(): number {
		return this.#connectionState.pending;
	}

	/**
	 * Why this board cannot be changed here, or null when it can: a viewer's link; a newer
	 * Railyard wrote it (an older schema could damage it); or the relay ended the connection
	 * for good (revoked or expired link), so changes could never be saved.
	 */
	get readOnlyReason(): 'viewer' | 'newer' | 'closed' | 'frozen' | null {
		return this.#readOnlyReason;
	}

	// Derived, so the thousands of controls that ask re-run only when the answer changes, not
	// at every change of the connection's state (status, synced, the pending count).
	readonly #readOnlyReason = $derived.by((): 'viewer' | 'newer' | 'closed' | 'frozen' | null => {
		if (this.#connectionState.status === 'closed') return 'closed';
		if (this.role === 'viewer') return 'viewer';
		if (this.#connectionState.migration?.status === 'newer') return 'newer';
		if (this.locks.frozen) return 'frozen';
		return null;
	});

	readonly #readOnly = $derived(this.#readOnlyReason !== null);

	get readOnly(): boolean {
		return this.#readOnly;
	}

	/** The relay's close code when it ended the connection for good (a CloseCode). */
	get closedCode(): number | null {
		return this.#connectionState.status === 'closed'
			? (this.#connectionState.closed?.code ?? null)
			: null;
	}

	/** Why the relay ended the connection for good, e.g. "this link has been revoked". */
	get closedReason(): string | null {
		return this.#connectionState.status === 'closed'
			? (this.#connectionState.closed?.reason ?? 'the server closed the connection')
			: null;
	}

	/** The message of the last operation the model refused, until the next one succeeds. */
	get error(): string | null {
		return this.#error;
	}

	dismissError(): void {
		this.#error = null;
	}

	/** The last sentence for the live region, e.g. "Billing moved to priority 2 of 5 in Payments". */
	get announcement(): string {
		return this.#announcement;
	}

	announce(message: string): void {
		// The same words twice in a row must still be spoken: a changed node is what gets read.
		this.#announcement = this.#announcement === message ? `${message}\u00a0` : message;
	}

	/**
	 * Run one move (drag, keyboard or menu) as the model's single-write move operation and
	 * announce where the item ended up. Returns whether it moved.
	 */
	/** Saves this browser's copy of the board as a file: the changes the server never got. */
	downloadCopy(boardId: string): Promise<boolean> {
		return downloadCachedBoard(boardId);
	}

	#ownerWanted = $state.raw<Extract<Move, { kind: 'risk' }> | null>(null);

	/** A move to Owned waiting for someone to name the owner (asked on this screen only). */
	get ownerWanted(): Extract<Move, { kind: 'risk' }> | null {
		return this.#ownerWanted;
	}

	/** Owned needs an owner: a risk without one asks for it instead of moving (false if not). */
	#askOwner(move: Extract<Move, { kind: 'risk' }>): boolean {
		if (move.roam !== 'owned' || move.owner?.trim() || this.readOnly) return false;
		const risk = Object.values(this.#snapshot.risks)
			.flat()
			.find((r) => r.id === move.id);
		if (!risk || risk.owner.trim()) return false;
		this.#ownerWanted = move;
		this.announce(`Who owns ${risk.title || 'Untitled risk'}? Type a name to move it to Owned.`);
		return true;
	}

	/** The answer to `ownerWanted`: a name makes the move with it; null leaves the risk put. */
	answerOwner(owner: string | null): boolean {
		const move = this.#ownerWanted;
		this.#ownerWanted = null;
		if (!move || owner === null) return false;
		return this.move({ ...move, owner });
	}

	move(move: Move, opts: { announce?: boolean } = {}): boolean {
		const { id, index } = move;
		// Before the write: the others learn who moves it as the move reaches them.
		this.presence.moved({ kind: move.kind, id });
		if (move.kind === 'lane') this.run(moveLane, { id, index, programId: move.programId });
		else if (move.kind === 'card') {
			this.run(moveCard, { id, index, laneId: move.laneId, periodId: move.periodId });
		} else if (move.kind === 'objective') {
			this.run(moveObjective, { id, index, programId: move.programId });
		} else if (move.kind === 'risk') {
			if (this.#askOwner(move)) return false;
			this.run(moveRisk, { id, index, roam: move.roam, owner: move.owner });
		} else if (move.kind === 'program') this.run(moveProgram, { id, index });
		else this.run(movePeriod, { id, index });
		// run() keeps a refusal (say, someone deleted the item a moment ago) in `error`.
		if (this.#error) return false;
		this.refresh();
		if (opts.announce !== false) this.announce(movedMessage(this.#snapshot, move.kind, move.id));
		return true;
	}

	/**
	 * Start editing one shared text field live: each input is a splice, remote typing arrives
	 * through `onremote`, and cancel() takes back only this session's edits. Null if read-only.
	 */
	editText(
		target: TextTarget,
		onremote: (value: string, map: MapOffset) => void
	): TextSession | null {
		if (this.readOnly) return null;
		return new TextSession({
			doc: this.#connection.doc,
			target,
			onremote,
			history: this.#history,
			onrefused: (message) => (this.#error = message)
		});
	}

	get canUndo(): boolean {
		return !this.readOnly && this.#history.canUndo;
	}

	get canRedo(): boolean {
		return !this.readOnly && this.#history.canRedo;
	}

	/** Take back this person's last change; everyone else's changes stay. */
	undo(): void {
		if (this.canUndo) this.#history.undo();
	}

	redo(): void {
		if (this.canRedo) this.#history.redo();
	}

	/**
	 * Run a model operation against this board. A refusal (ModelError, e.g. the lane was just
	 * deleted by someone else) is kept in `error` for the UI and yields undefined; anything else
	 * is a bug and is rethrown.
	 */
	run<O, R>(operation: Operation<O, R>, opts: O): R | undefined {
		if (this.readOnly) {
			const reason = this.readOnlyReason!;
			this.#error = reason === 'frozen' ? this.locks.frozen : READ_ONLY_MESSAGES[reason];
			return undefined;
		}
		try {
			// One gesture, one undo step, however quickly the next one follows.
			this.#history.checkpoint();
			const result = operation(this.#connection.doc, opts);
			this.#error = null;
			return result;
		} catch (error) {
			if (!(error instanceof ModelError)) throw error;
			this.#error = error.message;
			return undefined;
		}
	}

	/** The name of whoever last put this item where it is, if they are still here. */
	#moverOf(kind: MovedItem['kind'], id: string): string | null {
		const writer = positionWriterOf(this.#connection.doc, kind, id);
		return writer === null ? null : this.presence.nameOfClient(writer);
	}

	/** Reads the board's doc without writing (an export, an import's preview): viewers too. */
	read<R>(reader: (doc: Y.Doc) => R): R {
		return reader(this.#connection.doc);
	}

	/**
	 * Whether `target` is locked for this person; if so, says why in `error` (an edit about to
	 * start, such as a rename, is stopped before it begins).
	 */
	blocked(target: EditTarget): boolean {
		const reason = this.locks.reason(target);
		if (reason) this.#error = reason;
		return reason !== null;
	}

	destroy(): void {
		this.#destroyed = true;
		this.facilitation.destroy();
		this.#moveAnnouncer.destroy();
		this.#remoteMoveListeners.clear();
		// Before the socket closes, so everyone else sees this person leave at once.
		this.presence.destroy();
		this.votes.destroy();
		this.#history.destroy();
		this.#connection.doc.off('afterTransaction', this.#schedule);
		this.#reader.destroy();
		this.#unsubscribe();
		this.#connection.destroy();
	}
}
