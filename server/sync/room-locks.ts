/**
 * The relay's side of workshop locks (the rule itself is src/lib/model/locks.ts).
 *
 * The stock protocol cannot refuse an update, so a locked change is taken back: the update is
 * applied as usual, and if its transaction touched something locked, the relay at once undoes
 * that transaction as its own change (a Y.UndoManager scoped to the sender's transaction), in the
 * same turn. The update and its undo are stored and broadcast together (one merged append), so
 * every client — the sender too — ends where it was, and nobody is left diverged. The sender is
 * told why on the facilitation channel.
 *
 * The `locks` map itself is written only here: anyone else's write to it is rewritten back to
 * what the relay holds, locks active or not.
 *
 * With no lock active a participant's update costs one `afterTransaction` listener; with locks
 * active, also an UndoManager for the apply (`bench:relay` measures both).
 */
import * as Y from 'yjs';
import { COLLECTIONS, collection } from '../../src/lib/model/doc.ts';
import {
	anyLock,
	changesOf,
	lockedChange,
	locksMap,
	NO_LOCKS,
	readLocks,
	rewriteLocks,
	writeLock,
	type LockInfo,
	type Change,
	type LockRefusal,
	type Locks,
	type LockTarget,
	type SharedType
} from '../../src/lib/model/locks.ts';

export class RoomLocks {
	readonly #doc: Y.Doc;
	/** What the relay holds; the doc's `locks` map is kept equal to it. */
	#locks: Locks = NO_LOCKS;

	constructor(doc: Y.Doc) {
		this.#doc = doc;
	}

	/** Reads the stored locks once the doc is built. */
	load(): void {
		this.#locks = readLocks(this.#doc);
	}

	get current(): Locks {
		return this.#locks;
	}

	/** Sets or clears a lock, as the relay's own change (stored and broadcast like any update). */
	set(target: LockTarget, lock: LockInfo | null): void {
		writeLock(this.#doc, { target, lock, origin: this });
		this.#locks = readLocks(this.#doc);
	}

	/**
	 * Runs `apply` (which applies `peer`'s update with `peer` as origin) and takes back what it
	 * did if it touched a lock. `exempt`: a facilitator, whom only the `locks` map is closed to.
	 * Returns why it was taken back, or null.
	 */
	guard(peer: object, exempt: boolean, apply: () => void): LockRefusal | null {
		const locks = exempt ? NO_LOCKS : this.#locks;
		if (!anyLock(locks)) return this.#guardLocksMap(peer, apply);
		const doc = this.#doc;
		const undo = new Y.UndoManager(this.#scope(), {
			trackedOrigins: new Set([peer]),
			captureTimeout: 0,
			// Restore the value from before even when the sender wrote the key more than once.
			ignoreRemoteMapChanges: true
		});
		let refusal: LockRefusal | null = null;
		// Runs after the UndoManager's own listener (registered first) and before Yjs collects
		// the replaced values, so what a change overwrote can still be read.
		const judge = (tr: Y.Transaction) => {
			if (tr.origin === peer && !refusal) refusal = lockedChange(tr, changesOf(tr), locks);
		};
		doc.on('afterTransaction', judge);
		try {
			apply();
			doc.off('afterTransaction', judge);
			if (refusal) {
				// Take back only what is locked: the records (or, for a record made, deleted or
				// replaced, its collection) the locked changes touched; the rest of the update stands.
				undo.scope = this.#narrowScope((refusal as LockRefusal).locked);
				undo.undo();
				if ((refusal as LockRefusal).kind === 'locks') rewriteLocks(doc, this.#locks, this);
			}
		} finally {
			doc.off('afterTransaction', judge);
			undo.destroy();
		}
		return refusal;
	}

	#guardLocksMap(peer: object, apply: () => void): LockRefusal | null {
		const map = locksMap(this.#doc);
		let touched = false;
		const watch = (tr: Y.Transaction) => {
			if (tr.origin === peer && tr.changedParentTypes.has(map as SharedType)) {
				touched = true;
			}
		};
		this.#doc.on('afterTransaction', watch);
		try {
			apply();
		} finally {
			this.#doc.off('afterTransaction', watch);
		}
		if (!touched) return null;
		rewriteLocks(this.#doc, this.#locks, this);
		return {
			kind: 'locks',
			message: 'Locks are set by a facilitator, not by editing the board',
			locked: [{ root: 'locks', id: null, field: null }]
		};
	}

	/** The shared types whose changes must be undone to take back `locked`. */
	#narrowScope(locked: Change[]): SharedType[] {
		const doc = this.#doc;
		const out = new Set<SharedType>();
		for (const change of locked) {
			if (change.root === 'other') continue;
			if (change.root === 'locks') out.add(locksMap(doc) as SharedType);
			else if (change.root === 'board') {
				out.add(doc.getMap('meta') as SharedType).add(doc.getText('title') as SharedType);
			} else {
				const coll = collection(doc, change.root);
				const record = change.id === null ? undefined : coll.get(change.id);
				out.add((change.field !== null && record instanceof Y.Map ? record : coll) as SharedType);
			}
		}
		return [...out];
	}

	#scope(): SharedType[] {
		const doc = this.#doc;
		return [
			...COLLECTIONS.map((name) => collection(doc, name)),
			doc.getMap('meta'),
			doc.getText('title'),
			locksMap(doc)
		] as SharedType[];
	}
}
