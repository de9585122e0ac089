/**
 * Restoring a board, one program or one lane to a checkpoint (README "History"): a new change on
 * top, never a rewind. The checkpoint must be an earlier state of the same board. The checkpoint's records in scope are written into the live doc in one
 * transaction (origin `restore`, which the restorer's undo manager tracks), so everyone sees it
 * live, the restorer can undo it, and the history keeps the state it replaced.
 *
 * What is in scope, read from both the checkpoint and the live board:
 * - board: every record, the title and the unit. The board becomes the checkpoint's.
 * - program: the program, the lanes in it (then or now), their cards, the program's objectives.
 * - lane: the lane and the cards in it (then or now).
 * and the dependencies touching a card in scope. Each record in scope is written back as it was
 * (a record that was elsewhere then goes back there), re-created when it has been deleted since
 * (so a deleted program comes back with its lanes and cards), or deleted when it did not exist
 * then. Everything out of scope — other people's unrelated edits since — is left alone.
 *
 * Existing records are updated in place, field by field (texts diffed), so a field nobody changed
 * is not rewritten and someone typing elsewhere keeps their characters. A restored lane or card
 * whose program or period has since been deleted brings that record back too, rather than
 * becoming an orphan; a dependency whose other end no longer exists is not restored.
 */
import * as Y from 'yjs';
import { collection, COLLECTIONS, meta, replaceText, titleText, type Collection } from './doc.ts';
import { ModelError } from './errors.ts';
import type { Origin } from './origin.ts';
import { transact, type TxOptions } from './write.ts';

export type RestoreScope =
	{ kind: 'board' } | { kind: 'program'; id: string } | { kind: 'lane'; id: string };

export interface RestoreSummary {
	/** Records brought back (deleted since the checkpoint, or never in the live doc). */
	recreated: number;
	/** Records written back to what they were. */
	reverted: number;
	/** Records made since the checkpoint, removed. */
	removed: number;
}

export const RESTORE: Origin = 'restore';

type Ids = Partial<Record<Collection, Set<string>>>;

/** A record's position fields as stored (unvalidated: a restore copies what was there). */
function posOf(map: Y.Map<unknown>, id: string): Record<string, unknown> {
	const value = map.get(id);
	if (!(value instanceof Y.Map)) return {};
	const pos = value.get('pos');
	return typeof pos === 'object' && pos !== null ? (pos as Record<string, unknown>) : {};
}

/** Ids of `name` in either doc whose position satisfies `test`. */
function idsWhere(
	docs: readonly Y.Doc[],
	name: Collection,
	test: (pos: Record<string, unknown>, id: string) => boolean
): Set<string> {
	const out = new Set<string>();
	for (const doc of docs) {
		const map = collection(doc, name);
		for (const id of map.keys()) if (test(posOf(map, id), id)) out.add(id);
	}
	return out;
}

function scopeIds(live: Y.Doc, from: Y.Doc, scope: RestoreScope): Ids {
	const docs = [live, from];
	if (scope.kind === 'board') {
		const all: Ids = {};
		for (const name of COLLECTIONS) all[name] = idsWhere(docs, name, () => true);
		return all;
	}
	const lanes =
		scope.kind === 'lane'
			? new Set([scope.id])
			: idsWhere(docs, 'lanes', (pos) => pos.program === scope.id);
	const cards = idsWhere(docs, 'cards', (pos) => lanes.has(String(pos.lane)));
	const ids: Ids = {
		lanes,
		cards,
		dependencies: idsWhere(
			docs,
			'dependencies',
			(pos) => cards.has(String(pos.from)) || cards.has(String(pos.to))
		)
	};
	if (scope.kind === 'program') {
		ids.programs = new Set([scope.id]);
		ids.objectives = idsWhere(docs, 'objectives', (pos) => pos.program === scope.id);
	}
	return ids;
}

function isEmptyUpdate(update: Uint8Array): boolean {
	const { structs, ds } = Y.decodeUpdate(update);
	return structs.length === 0 && ds.clients.size === 0;
}

function sameValue(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	return JSON.stringify(a) === JSON.stringify(b);
}

/** A stored value as a fresh one the live doc can hold (a Y type cannot be in two docs). */
function copyValue(value: unknown): unknown {
	if (value instanceof Y.Text) return new Y.Text(value.toString());
	if (value instanceof Y.AbstractType) return value.toJSON();
	if (typeof value === 'object' && value !== null) return structuredClone(value);
	return value;
}

function copyRecord(record: Y.Map<unknown>): Y.Map<unknown> {
	const map = new Y.Map<unknown>();
	for (const [key, value] of record.entries()) map.set(key, copyValue(value));
	return map;
}

/** Makes `live` hold what `was` held, touching only the fields that differ. */
function revertRecord(live: Y.Map<unknown>, was: Y.Map<unknown>): boolean {
	let changed = false;
	for (const [key, value] of was.entries()) {
		const current = live.get(key);
		if (value instanceof Y.Text && current instanceof Y.Text) {
			if (current.toString() !== value.toString()) {
				replaceText(current, value.toString());
				changed = true;
			}
		} else if (value instanceof Y.AbstractType || !sameValue(current, value)) {
			live.set(key, copyValue(value));
			changed = true;
		}
	}
	for (const key of [...live.keys()]) {
		// A checkpoint taken while a move was half-received can hold a record without its
		// position: keep the live one rather than unplace the record.
		if (!was.has(key) && key !== 'pos') {
			live.delete(key);
			changed = true;
		}
	}
	return changed;
}

/**
 * Writes the records of `from` (a checkpoint's doc) in `scope` into `doc`, as one transaction.
 * Throws ModelError `not-found` when the program or lane exists neither in the checkpoint nor now.
 */
export function restoreCheckpoint(
	doc: Y.Doc,
	opts: TxOptions & { from: Y.Doc; scope: RestoreScope }
): RestoreSummary {
	const { from, scope } = opts;
	// A checkpoint is an earlier state of this same board, so anything in it this doc has not
	// received yet (a lagging peer) is part of the board's history and arrives anyway: take it in
	// first, as the sync would, so the restore compares against it instead of writing it twice.
	const missing = Y.encodeStateAsUpdate(from, Y.encodeStateVector(doc));
	if (!isEmptyUpdate(missing)) Y.applyUpdate(doc, missing, from);
	if (scope.kind !== 'board') {
		const name = scope.kind === 'program' ? 'programs' : 'lanes';
		if (!collection(from, name).has(scope.id) && !collection(doc, name).has(scope.id)) {
			throw new ModelError('not-found', `${scope.kind} ${scope.id} is in neither board`);
		}
	}
	const summary: RestoreSummary = { recreated: 0, reverted: 0, removed: 0 };
	const ids = scopeIds(doc, from, scope);
	const bringBack = (name: Collection, id: string): boolean => {
		const was = collection(from, name).get(id);
		const target = collection(doc, name);
		const live = target.get(id);
		if (!(was instanceof Y.Map)) {
			if (live === undefined) return false;
			target.delete(id);
			summary.removed += 1;
			return true;
		}
		if (live instanceof Y.Map) {
			if (revertRecord(live, was)) summary.reverted += 1;
			return true;
		}
		// Nowhere to put it back (see revertRecord): leave it out rather than add it unplaced.
		if (!was.has('pos')) return false;
		target.set(id, copyRecord(was));
		summary.recreated += 1;
		return true;
	};
	transact(doc, { ...opts, origin: opts.origin ?? RESTORE }, () => {
		if (scope.kind === 'board') {
			replaceText(titleText(doc), titleText(from).toString());
			const unit = meta(from).get('unit');
			if (unit === undefined) meta(doc).delete('unit');
			else if (meta(doc).get('unit') !== unit) meta(doc).set('unit', unit);
		}
		// Parents first: a lane's program and a card's period come back if they are gone.
		const exists = (name: Collection, id: unknown) =>
			typeof id === 'string' && collection(doc, name).has(id);
		for (const name of ['programs', 'objectives', 'periods', 'lanes', 'cards', 'risks'] as const) {
			for (const id of ids[name] ?? []) {
				const pos = posOf(collection(from, name), id);
				if (name === 'lanes' && !exists('programs', pos.program)) {
					bringBack('programs', String(pos.program));
				}
				if (name === 'cards' && !exists('periods', pos.period)) {
					bringBack('periods', String(pos.period));
				}
				bringBack(name, id);
			}
		}
		for (const id of ids.dependencies ?? []) {
			const pos = posOf(collection(from, 'dependencies'), id);
			const ends = collection(from, 'dependencies').has(id);
			if (ends && !(exists('cards', pos.from) && exists('cards', pos.to))) {
				// The other end is gone and out of scope: a dependency on nothing is not restored.
				continue;
			}
			bringBack('dependencies', id);
		}
	});
	return summary;
}
