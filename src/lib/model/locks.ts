/**
 * Workshop locks: what a facilitator has locked, where that lives in the doc, and which changes a
 * lock forbids. The one home of the rule: the relay judges every participant's transaction with
 * `lockedChange`, and the app asks `lockReason` before it tries an edit, so the two cannot
 * disagree about what is locked.
 *
 * - structure: programs, lanes and periods — their order, names, creation and deletion. Other
 *   fields (a lane's health, a card anywhere) stay editable.
 * - program <id>: that program record, its lanes and their cards, its objectives, and the
 *   dependencies that touch one of those cards.
 * - freeze: the whole board, read-only for everyone but facilitators.
 *
 * Locks live in the top-level `locks` map (one key each: `structure`, `freeze`, `program/<id>`,
 * valued `{ by, at }`), written only by the relay: it is persisted and compacted with the board
 * and reaches every client, offline copies included, through the ordinary sync.
 */
import * as v from 'valibot';
import * as Y from 'yjs';
import { COLLECTIONS, collection, readText, type Collection } from './doc.ts';
import { ModelError } from './errors.ts';

export const LOCKS_ROOT = 'locks';

/** Any shared type (Yjs types its event parameter too narrowly to say `unknown`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SharedType = Y.AbstractType<any>;

export const LockInfo = v.object({
	/** The display name of the facilitator who set it. */
	by: v.pipe(v.string(), v.maxLength(120)),
	at: v.pipe(v.number(), v.finite())
});
export type LockInfo = v.InferOutput<typeof LockInfo>;

export interface Locks {
	structure: LockInfo | null;
	freeze: LockInfo | null;
	/** Locked programs by id. */
	programs: Readonly<Record<string, LockInfo>>;
}

export const NO_LOCKS: Locks = Object.freeze({ structure: null, freeze: null, programs: {} });

export type LockTarget =
	{ kind: 'structure' } | { kind: 'freeze' } | { kind: 'program'; id: string };

/** The key a lock is stored under in the `locks` map. */
export function lockKey(target: LockTarget): string {
	return target.kind === 'program' ? `program/${target.id}` : target.kind;
}

export function locksMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap(LOCKS_ROOT);
}

/** The board's locks. A malformed entry (no stock client can write a valid one) reads as unlocked. */
export function readLocks(doc: Y.Doc): Locks {
	const map = locksMap(doc);
	if (map.size === 0) return NO_LOCKS;
	const out = { structure: null, freeze: null, programs: {} } as {
		structure: LockInfo | null;
		freeze: LockInfo | null;
		programs: Record<string, LockInfo>;
	};
	for (const [key, value] of map.entries()) {
		const parsed = v.safeParse(LockInfo, value);
		if (!parsed.success) continue;
		if (key === 'structure' || key === 'freeze') out[key] = parsed.output;
		else if (key.startsWith('program/')) out.programs[key.slice('program/'.length)] = parsed.output;
	}
	return out;
}

export function anyLock(locks: Locks): boolean {
	return !!locks.structure || !!locks.freeze || Object.keys(locks.programs).length > 0;
}

/** Sets or clears one lock. Only the relay calls this (with its own origin). */
export function writeLock(
	doc: Y.Doc,
	opts: { target: LockTarget; lock: LockInfo | null; origin: unknown }
): void {
	doc.transact(() => {
		const map = locksMap(doc);
		const key = lockKey(opts.target);
		if (opts.lock) map.set(key, { by: opts.lock.by, at: opts.lock.at });
		else map.delete(key);
	}, opts.origin);
}

/** Makes the `locks` map hold exactly `locks` (undoing anyone else's write to it). */
export function rewriteLocks(doc: Y.Doc, locks: Locks, origin: unknown): void {
	const want = new Map<string, LockInfo>();
	if (locks.structure) want.set('structure', locks.structure);
	if (locks.freeze) want.set('freeze', locks.freeze);
	for (const [id, info] of Object.entries(locks.programs)) want.set(`program/${id}`, info);
	doc.transact(() => {
		const map = locksMap(doc);
		for (const key of [...map.keys()]) if (!want.has(key)) map.delete(key);
		for (const [key, info] of want) {
			const had = v.safeParse(LockInfo, map.get(key));
			if (!had.success || had.output.by !== info.by || had.output.at !== info.at) {
				map.set(key, { by: info.by, at: info.at });
			}
		}
	}, origin);
}

/** "Structure locked by Ana", "Program “Payments” locked by Ana", "Board frozen by Ana". */
export function describeLock(
	kind: 'structure' | 'freeze' | 'program',
	info: LockInfo,
	programName = ''
): string {
	const what =
		kind === 'structure'
			? 'Structure locked'
			: kind === 'freeze'
				? 'Board frozen'
				: programName
					? `Program “${programName}” locked`
					: 'Program locked';
	return info.by ? `${what} by ${info.by}` : what;
}

// ---------------------------------------------------------------------------------------------
// Judging a transaction (the relay)

/**
 * One record (or board-level value) a transaction changed. `field` is the record's key that
 * changed, or null when the record itself was created, deleted or replaced.
 */
export interface Change {
	root: Collection | 'board' | 'locks' | 'other';
	id: string | null;
	field: string | null;
}

const STRUCTURE_FIELDS = new Set(['pos', 'name']);

/**
 * Every record a transaction touched, read from `tr.changed`: a key of a collection (a record
 * made, deleted or replaced), a key of a record (a field set), or a shared text in a record.
 */
export function changesOf(tr: Y.Transaction): Change[] {
	const roots = rootNames(tr.doc);
	const out: Change[] = [];
	for (const [type, keys] of tr.changed) {
		const rootName = roots.get(type);
		if (rootName !== undefined) {
			const root = rootOf(rootName);
			if (root === 'board' || root === 'locks' || root === 'other') {
				out.push({ root, id: null, field: null });
			} else {
				for (const key of keys) if (key !== null) out.push({ root, id: key, field: null });
			}
			continue;
		}
		// A record (a map directly under a collection) or something inside one.
		let child: SharedType = type;
		let field: string | null = null;
		for (;;) {
			const item = child._item;
			if (!item) break;
			const parent = item.parent as SharedType;
			const name = roots.get(parent);
			if (name !== undefined) {
				const root = rootOf(name);
				const id = item.parentSub;
				if (root === 'board' || root === 'locks' || root === 'other' || id === null) {
					out.push({
						root: root === 'board' || root === 'locks' ? root : 'other',
						id: null,
						field: null
					});
				} else if (child === type) {
					for (const key of keys) out.push({ root, id, field: key });
				} else {
					out.push({ root, id, field });
				}
				break;
			}
			field = item.parentSub;
			child = parent;
		}
	}
	return out;
}

function rootNames(doc: Y.Doc): Map<unknown, string> {
	const out = new Map<unknown, string>();
	for (const [name, type] of doc.share) out.set(type, name);
	return out;
}

function rootOf(name: string): Change['root'] {
	if ((COLLECTIONS as readonly string[]).includes(name)) return name as Collection;
	if (name === 'meta' || name === 'title') return 'board';
	if (name === LOCKS_ROOT) return 'locks';
	return 'other';
}

/** A refusal: which lock a change ran into, said as a person would read it. */
export interface LockRefusal {
	/** The first lock run into (the one the message names). */
	kind: 'structure' | 'freeze' | 'program' | 'locks';
	message: string;
	/** Every change of the transaction that a lock forbids: what must be taken back. */
	locked: Change[];
}

const LOCKS_MESSAGE = 'Locks are set by a facilitator, not by editing the board';

/**
 * The changes (from transaction `tr`, already applied) that run into a lock, or null when none
 * does. Where a record was before the transaction is read from what the transaction replaced.
 */
export function lockedChange(
	tr: Y.Transaction,
	changes: Change[],
	locks: Locks
): LockRefusal | null {
	let first: Omit<LockRefusal, 'locked'> | null = null;
	const locked: Change[] = [];
	const places = Object.keys(locks.programs).length > 0 ? new Places(tr) : null;
	for (const change of changes) {
		const refusal = refusalFor(tr, change, locks, places);
		if (!refusal) continue;
		first ??= refusal;
		locked.push(change);
	}
	return first ? { ...first, locked } : null;
}

function refusalFor(
	tr: Y.Transaction,
	change: Change,
	locks: Locks,
	places: Places | null
): Omit<LockRefusal, 'locked'> | null {
	if (change.root === 'locks') return { kind: 'locks', message: LOCKS_MESSAGE };
	if (locks.freeze) {
		return {
			kind: 'freeze',
			message: `${describeLock('freeze', locks.freeze)}: nothing can change`
		};
	}
	if (locks.structure && isStructural(change)) {
		return {
			kind: 'structure',
			message: `${describeLock('structure', locks.structure)}: programs, lanes and periods cannot be added, removed, renamed or reordered`
		};
	}
	for (const program of places?.programsOf(change) ?? []) {
		const info = locks.programs[program];
		if (!info) continue;
		const name = programName(tr.doc, program);
		return {
			kind: 'program',
			message: `${describeLock('program', info, name)}: its lanes and cards cannot change`
		};
	}
	return null;
}

function isStructural(change: Change): boolean {
	if (change.root !== 'programs' && change.root !== 'lanes' && change.root !== 'periods')
		return false;
	return change.field === null || STRUCTURE_FIELDS.has(change.field);
}

type Item = NonNullable<SharedType['_item']>;

/**
 * Reads where records are now and where they were before a transaction: a record's value
 * before is the entry the transaction replaced or deleted, still readable until Yjs collects it
 * after the transaction's observers have run.
 */
class Places {
	readonly #tr: Y.Transaction;
	constructor(tr: Y.Transaction) {
		this.#tr = tr;
	}

	/** The programs a change touches, before and after. */
	programsOf(change: Change): string[] {
		if (change.id === null) return [];
		const id = change.id;
		switch (change.root) {
			case 'programs':
				return [id];
			case 'lanes':
			case 'objectives':
				return this.#posField(change.root, id, 'program');
			case 'cards':
				return this.#cardPrograms(id);
			case 'dependencies': {
				const ends = this.#positions('dependencies', id);
				const cards = ends.flatMap((p) => [p.from, p.to]).filter(isString);
				return cards.flatMap((card) => this.#cardPrograms(card));
			}
			default:
				return [];
		}
	}

	#cardPrograms(card: string): string[] {
		return this.#posField('cards', card, 'lane').flatMap((lane) =>
			this.#posField('lanes', lane, 'program')
		);
	}

	#posField(root: Collection, id: string, key: string): string[] {
		return this.#positions(root, id)
			.map((pos) => pos[key])
			.filter(isString);
	}

	/** The record's position now and before the transaction (when either is readable). */
	#positions(root: Collection, id: string): Record<string, unknown>[] {
		const out: Record<string, unknown>[] = [];
		const coll = collection(this.#tr.doc, root);
		const now = coll.get(id);
		if (now instanceof Y.Map) pushObject(out, now.get('pos'));
		const before = valueBefore(coll, id, this.#tr);
		if (before instanceof Y.Map) pushObject(out, valueBefore(before, 'pos', this.#tr));
		return out;
	}
}

/** A program's name as people see it (shortened), or '' when it has none. */
export function programName(doc: Y.Doc, id: string): string {
	const record = collection(doc, 'programs').get(id);
	return record instanceof Y.Map ? readText(record, 'name').slice(0, 80) : '';
}

function pushObject(out: Record<string, unknown>[], value: unknown): void {
	if (value && typeof value === 'object') out.push(value as Record<string, unknown>);
}

function isString(value: unknown): value is string {
	return typeof value === 'string';
}

/** What `map[key]` held before `tr`, read from the entry `tr` replaced or deleted. */
function valueBefore(map: Y.Map<unknown>, key: string, tr: Y.Transaction): unknown {
	let item = (map as unknown as { _map: Map<string, Item> })._map.get(key) ?? null;
	const insertedHere = (it: Item) => it.id.clock >= (tr.beforeState.get(it.id.client) ?? 0);
	while (item && insertedHere(item)) item = item.left as Item | null;
	if (!item) return undefined;
	if (item.deleted && !Y.isDeleted(tr.deleteSet, item.id)) return undefined;
	const content = item.content.getContent();
	return content[content.length - 1];
}

// ---------------------------------------------------------------------------------------------
// Asking before an edit (the app)

/** What an edit the app is about to make touches. */
export type EditTarget =
	| { kind: 'structure' }
	| { kind: 'program'; id: string; structural?: boolean }
	| { kind: 'lane'; id: string; structural?: boolean }
	| { kind: 'card'; id: string }
	| { kind: 'cell'; laneId: string }
	| { kind: 'objective'; id: string }
	| { kind: 'board' };

/**
 * Why `target` cannot be edited now, or null. `exempt` is a facilitator, whom no lock stops.
 * `structural` marks an edit of order, name, creation or deletion.
 */
export function lockReason(doc: Y.Doc, locks: Locks, target: EditTarget): string | null {
	if (locks.freeze) return describeLock('freeze', locks.freeze);
	const structural =
		target.kind === 'structure' ||
		((target.kind === 'program' || target.kind === 'lane') && target.structural === true);
	if (structural && locks.structure) return describeLock('structure', locks.structure);
	const program = programOfTarget(doc, target);
	const info = program ? locks.programs[program] : undefined;
	return program && info ? describeLock('program', info, programName(doc, program)) : null;
}

/** Throws a ModelError (`locked`) when `target` is locked. */
export function assertUnlocked(doc: Y.Doc, locks: Locks, target: EditTarget): void {
	const reason = lockReason(doc, locks, target);
	if (reason) throw new ModelError('locked', reason);
}

function programOfTarget(doc: Y.Doc, target: EditTarget): string | null {
	const posOf = (root: Collection, id: string, key: string): string | null => {
		const record = collection(doc, root).get(id);
		const pos = record instanceof Y.Map ? record.get('pos') : null;
		const value = pos && typeof pos === 'object' ? (pos as Record<string, unknown>)[key] : null;
		return typeof value === 'string' ? value : null;
	};
	switch (target.kind) {
		case 'program':
			return target.id;
		case 'lane':
			return posOf('lanes', target.id, 'program');
		case 'cell':
			return posOf('lanes', target.laneId, 'program');
		case 'objective':
			return posOf('objectives', target.id, 'program');
		case 'card': {
			const lane = posOf('cards', target.id, 'lane');
			return lane ? posOf('lanes', lane, 'program') : null;
		}
		default:
			return null;
	}
}

/** Docs edited by a facilitator, whom no lock stops (set by the app's state from the link's role). */
const exempt = new WeakSet<Y.Doc>();

export function setLockExemption(doc: Y.Doc, isExempt: boolean): void {
	if (isExempt) exempt.add(doc);
	else exempt.delete(doc);
}

/**
 * Refuses, before anything is written, an edit of something locked: every operation asks this
 * first, so a participant's app never sends a change the relay would take back. Throws a
 * ModelError (`locked`) naming the lock and who set it.
 */
export function guardEdit(doc: Y.Doc, ...targets: EditTarget[]): void {
	if (exempt.has(doc)) return;
	const locks = readLocks(doc);
	if (!anyLock(locks)) return;
	for (const target of targets) assertUnlocked(doc, locks, target);
}

/** What editing a shared text field touches. */
export function textEditTarget(target: {
	collection: Collection | 'board';
	id?: string;
	field: string;
}): EditTarget {
	const structural = target.field === 'name';
	const id = target.id ?? '';
	switch (target.collection) {
		case 'programs':
			return { kind: 'program', id, structural };
		case 'lanes':
			return { kind: 'lane', id, structural };
		case 'periods':
			return structural ? { kind: 'structure' } : { kind: 'board' };
		case 'cards':
			return { kind: 'card', id };
		case 'objectives':
			return { kind: 'objective', id };
		default:
			return { kind: 'board' };
	}
}
