/**
 * The board's workshop locks as the UI reads them: what is locked, by whom, and why a given
 * item cannot be edited now (`reason`), so components disable it and say so. The rule is the
 * model's (model/locks.ts); a facilitator is never stopped.
 */
import type * as Y from 'yjs';
import {
	anyLock,
	describeLock,
	lockReason,
	NO_LOCKS,
	programName,
	readLocks,
	type EditTarget,
	type Locks
} from '$lib/model/locks.ts';

export class LockState {
	readonly #doc: Y.Doc;
	readonly #exempt: boolean;
	#locks = $state.raw<Locks>(NO_LOCKS);

	constructor(doc: Y.Doc, opts: { exempt: boolean }) {
		this.#doc = doc;
		this.#exempt = opts.exempt;
		this.refresh();
	}

	/** Re-reads the locks (the board calls it on every change). */
	refresh(): void {
		const next = readLocks(this.#doc);
		if (JSON.stringify(next) !== JSON.stringify(this.#locks)) this.#locks = next;
	}

	get current(): Locks {
		return this.#locks;
	}

	get active(): boolean {
		return anyLock(this.#locks);
	}

	/** Whether this person may still edit what is locked (a facilitator). */
	get exempt(): boolean {
		return this.#exempt;
	}

	/** The freeze, said as a sentence ("Board frozen by Ana"), when it stops this person. */
	get frozen(): string | null {
		const freeze = this.#locks.freeze;
		return freeze && !this.#exempt ? describeLock('freeze', freeze) : null;
	}

	/** Why `target` cannot be edited by this person now, or null. */
	reason(target: EditTarget): string | null {
		return this.#exempt ? null : lockReason(this.#doc, this.#locks, target);
	}

	isLocked(target: EditTarget): boolean {
		return this.reason(target) !== null;
	}

	/** Every active lock as a sentence, for the banner everyone sees. */
	get summary(): string[] {
		const locks = this.#locks;
		const out: string[] = [];
		if (locks.freeze) out.push(describeLock('freeze', locks.freeze));
		if (locks.structure) out.push(describeLock('structure', locks.structure));
		for (const [id, info] of Object.entries(locks.programs)) {
			out.push(describeLock('program', info, programName(this.#doc, id)));
		}
		return out;
	}
}
