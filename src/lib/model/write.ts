/**
 * What every operation shares: one transaction with a typed origin, ids, finding a record,
 * its ranked siblings, and writing a new record's fields. Operations live in operations*.ts.
 */
import * as v from 'valibot';
import * as Y from 'yjs';
import { nanoid } from 'nanoid';
import { collection, replaceText, textField, type Collection } from './doc.ts';
import { ModelError } from './errors.ts';
import { compareRanked, rankAt, type Ranked, type Rng } from './order.ts';
import { LOCAL, type Origin } from './origin.ts';
import { Id } from './records/define.ts';

export interface TxOptions {
	/** Defaults to `local`. */
	origin?: Origin;
	/** Randomness for ids and rank jitter; tests pass a seeded one. */
	rng?: Rng;
}

const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

function newId(rng: Rng | undefined): string {
	if (!rng) return nanoid(12);
	let id = '';
	for (let i = 0; i < 12; i++) id += ID_ALPHABET[Math.floor(rng() * ID_ALPHABET.length)];
	return id;
}

/**
 * The id for a new record: a fresh one, or the caller's after checking it. A taken id would
 * replace that record wholesale, and one the position schema rejects would orphan its children.
 */
export function idFor(
	doc: Y.Doc,
	name: Collection,
	label: string,
	opts: { id?: string; rng?: Rng }
): string {
	if (opts.id === undefined) return newId(opts.rng);
	const parsed = v.safeParse(Id, opts.id);
	if (!parsed.success) {
		throw new ModelError('invalid', `${label} id: ${parsed.issues[0]?.message ?? 'rejected'}`);
	}
	if (collection(doc, name).has(opts.id)) {
		throw new ModelError('invalid', `${label} ${opts.id} already exists`);
	}
	return opts.id;
}

export function transact<T>(doc: Y.Doc, opts: TxOptions, fn: () => T): T {
	let out: T | undefined;
	doc.transact(() => {
		out = fn();
	}, opts.origin ?? LOCAL);
	return out as T;
}

export function recordOf(doc: Y.Doc, name: Collection, label: string, id: string): Y.Map<unknown> {
	const value = collection(doc, name).get(id);
	if (!(value instanceof Y.Map)) throw new ModelError('not-found', `${label} ${id} does not exist`);
	return value as Y.Map<unknown>;
}

/** The ranked siblings that satisfy `inParent`, sorted, leaving out `exclude`. */
export function siblings<P extends { rank: string }>(
	doc: Y.Doc,
	name: Collection,
	type: { pos: v.GenericSchema<unknown, P> },
	inParent: (pos: P) => boolean,
	exclude?: string
): Ranked[] {
	const out: Ranked[] = [];
	for (const [id, value] of collection(doc, name).entries()) {
		if (id === exclude || !(value instanceof Y.Map)) continue;
		const pos = v.safeParse(type.pos, value.get('pos'));
		if (pos.success && inParent(pos.output)) out.push({ id, rank: pos.output.rank });
	}
	return out.sort(compareRanked);
}

export function end(list: readonly unknown[], index: number | undefined): number {
	return index ?? list.length;
}

export function newRecord(
	texts: Record<string, string | undefined>,
	scalars: Record<string, unknown>,
	pos: object
): Y.Map<unknown> {
	const map = new Y.Map<unknown>();
	for (const [field, value] of Object.entries(texts)) map.set(field, new Y.Text(value ?? ''));
	for (const [field, value] of Object.entries(scalars)) map.set(field, value);
	map.set('pos', pos);
	return map;
}

export function applyTexts(map: Y.Map<unknown>, texts: Record<string, string | undefined>): void {
	for (const [field, value] of Object.entries(texts)) {
		if (value !== undefined) replaceText(textField(map, field), value);
	}
}

export function applyFields(map: Y.Map<unknown>, fields: Record<string, unknown>): void {
	for (const [field, value] of Object.entries(fields)) map.set(field, value);
}

/** Every text of a type, empty unless given: what a create writes. */
export function allTexts<T extends string>(
	type: { texts: Readonly<Record<T, number>> },
	given: Partial<Record<T, string>>
): Record<T, string> {
	const out = {} as Record<T, string>;
	for (const name of Object.keys(type.texts) as T[]) out[name] = given[name] ?? '';
	return out;
}

/**
 * The edit every record type has: its texts (each diffed, so concurrent typing survives) and
 * scalars, in one transaction. `check` sees the stored record first and may refuse.
 */
export function updateRecord(
	doc: Y.Doc,
	opts: TxOptions & { id: string },
	where: { name: Collection; label: string },
	change: { texts: Record<string, string | undefined>; fields: Record<string, unknown> },
	check?: (map: Y.Map<unknown>) => void
): void {
	transact(doc, opts, () => {
		const map = recordOf(doc, where.name, where.label, opts.id);
		check?.(map);
		applyTexts(map, change.texts);
		applyFields(map, change.fields);
	});
}

/**
 * Put a record at `index` among the children of `programId` (its own program or another).
 * One write of `pos`, parent and rank together.
 */
export function moveIntoProgram(
	doc: Y.Doc,
	opts: TxOptions & { id: string; programId: string; index: number },
	where: {
		name: Collection;
		label: string;
		type: { pos: v.GenericSchema<unknown, { program: string; rank: string }> };
	}
): void {
	transact(doc, opts, () => {
		const map = recordOf(doc, where.name, where.label, opts.id);
		recordOf(doc, 'programs', 'Program', opts.programId);
		const inProgram = (p: { program: string }) => p.program === opts.programId;
		const peers = siblings(doc, where.name, where.type, inProgram, opts.id);
		map.set('pos', { program: opts.programId, rank: rankAt(peers, opts.index, opts.rng) });
	});
}
