/**
 * A record type in one place: which fields are shared texts and how long each may grow, which
 * are validated scalars (each with the default a reader falls back to, and a length limit for
 * short strings), which are keyed families, and what its position value looks like. The
 * TypeScript type (RecordOf), validation on read and on write, the operations and the limits a
 * component puts on an input (`limits` in records/index.ts) are all read from it.
 *
 * Reading never throws. A scalar that fails validation reads as its default; a record whose
 * position is unreadable is reported as `misplaced` so the reader can set it aside rather than
 * guess where it belongs; a value that is not a record at all is `not-a-record`.
 */
import * as v from 'valibot';
import * as Y from 'yjs';
import { isRank } from '../order.ts';
import { readText } from '../doc.ts';
import { ModelError } from '../errors.ts';

export const Rank = v.custom<string>(isRank, 'not an ordering key');
export const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(64));

type Schema<T> = v.GenericSchema<unknown, T>;
export interface Field<T> {
	schema: Schema<T>;
	fallback: T;
	/** Longest value accepted, for short strings; components read it for `maxlength`. */
	max?: number;
}
type Fields = Record<string, Field<unknown>>;
type FieldValues<F extends Fields> = { [K in keyof F]: F[K] extends Field<infer T> ? T : never };

/**
 * A family of scalars stored under one key per member (`name/member`), so two people setting
 * different members at once (a lane's capacity in two periods, two links of an objective) both
 * keep theirs; a single object value would keep only the last writer's.
 */
type Keyed = Record<string, Schema<unknown>>;
type KeyedValues<K extends Keyed> = {
	[N in keyof K]: Record<string, K[N] extends Schema<infer T> ? T : never>;
};

export interface RecordType<T extends string, F extends Fields, P, K extends Keyed = Keyed> {
	name: string;
	/** Each shared text field (a Y.Text, so people typing at once both keep their characters) and its length limit. */
	texts: Readonly<Record<T, number>>;
	fields: F;
	keyed?: K;
	pos: Schema<P>;
}

export type RecordOf<
	T extends string,
	F extends Fields,
	P,
	K extends Keyed = Record<never, never>
> = {
	id: string;
	pos: P;
} & { [N in T]: string } & FieldValues<F> &
	KeyedValues<K>;

/** The record a type describes. */
export type Infer<R> =
	R extends RecordType<infer T, infer F, infer P, infer K> ? RecordOf<T, F, P, K> : never;

export type ReadResult<R extends { pos: unknown }> =
	| { ok: true; record: R }
	| { ok: false; reason: 'not-a-record' }
	| { ok: false; reason: 'misplaced'; record: Omit<R, 'pos'> };

export function field<T>(schema: Schema<T>, fallback: T): Field<T> {
	return { schema, fallback };
}

/** A short single-writer string (a person's name): last writer wins, `max` characters at most. */
export function shortText(max: number, fallback = ''): Field<string> & { max: number } {
	const schema = v.pipe(v.string(), v.maxLength(max));
	return { schema: fallback ? v.pipe(schema, v.minLength(1)) : schema, fallback, max };
}

export function defineRecord<
	const T extends string,
	F extends Fields,
	P,
	K extends Keyed = Record<never, never>
>(type: RecordType<T, F, P, K>): RecordType<T, F, P, K> {
	return type;
}

/** The key a keyed family's member is stored under. */
export function keyOf(family: string, member: string): string {
	return `${family}/${member}`;
}

export function readRecord<T extends string, F extends Fields, P, K extends Keyed>(
	type: RecordType<T, F, P, K>,
	id: string,
	value: unknown
): ReadResult<RecordOf<T, F, P, K>> {
	if (!(value instanceof Y.Map)) return { ok: false, reason: 'not-a-record' };
	const map = value as Y.Map<unknown>;
	const out: Record<string, unknown> = { id };
	for (const name of Object.keys(type.texts)) out[name] = readText(map, name);
	for (const [name, f] of Object.entries(type.fields)) {
		const parsed = v.safeParse(f.schema, map.get(name));
		out[name] = parsed.success ? parsed.output : f.fallback;
	}
	if (type.keyed) {
		const families = Object.keys(type.keyed);
		const found: Record<string, Record<string, unknown>> = {};
		for (const family of families) found[family] = {};
		// Sorted so the same doc reads as the same object (key order included) on every peer.
		for (const key of [...map.keys()].sort()) {
			const slash = key.indexOf('/');
			if (slash < 0) continue;
			const family = key.slice(0, slash);
			const schema = type.keyed[family];
			if (!schema) continue;
			const parsed = v.safeParse(schema, map.get(key));
			// An unreadable member reads as absent: it is only ever an override or a link.
			if (parsed.success && parsed.output !== null) {
				(found[family] as Record<string, unknown>)[key.slice(slash + 1)] = parsed.output;
			}
		}
		Object.assign(out, found);
	}
	const pos = v.safeParse(type.pos, map.get('pos'));
	if (!pos.success) {
		return { ok: false, reason: 'misplaced', record: out as Omit<RecordOf<T, F, P, K>, 'pos'> };
	}
	out.pos = pos.output;
	return { ok: true, record: out as RecordOf<T, F, P, K> };
}

/** Validate a patch of scalar fields for a write. Unknown fields and bad values are errors. */
export function checkFields<F extends Fields>(
	type: { name: string; fields: F },
	patch: Partial<FieldValues<F>>
): Partial<FieldValues<F>> {
	const out: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(patch)) {
		if (value === undefined) continue;
		const f = type.fields[name];
		if (!f) throw new ModelError('invalid', `${type.name} has no field "${name}"`);
		if (f.max !== undefined && typeof value === 'string' && value.length > f.max) {
			throw tooLong(`${type.name} ${name}: longer than ${f.max} characters`, name, f.max);
		}
		const parsed = v.safeParse(f.schema, value);
		if (!parsed.success) {
			throw new ModelError(
				'invalid',
				`${type.name} ${name}: ${parsed.issues[0]?.message ?? 'rejected'}`
			);
		}
		out[name] = parsed.output;
	}
	return out as Partial<FieldValues<F>>;
}

function tooLong(message: string, field: string, limit: number): ModelError {
	return new ModelError('too-long', message, { field, limit });
}

/**
 * Validate the shared texts of a write against the type's limits. Over-long text is refused
 * (a ModelError with code `too-long`, naming the field and its limit) rather than cut, so the
 * UI can tell the person instead of silently dropping what they wrote.
 */
export function checkTexts<T extends string>(
	type: { name: string; texts: Readonly<Record<T, number>> },
	patch: Partial<Record<T, unknown>>
): Partial<Record<T, string>> {
	const out: Partial<Record<T, string>> = {};
	// Only the type's own texts are read: `patch` may be a whole options object.
	for (const [name, limit] of Object.entries(type.texts) as [T, number][]) {
		const value = patch[name];
		if (value === undefined) continue;
		if (typeof value !== 'string') throw new ModelError('invalid', `${name} must be text`);
		if (value.length > limit) {
			throw tooLong(`${name} is longer than ${limit} characters`, name, limit);
		}
		out[name] = value;
	}
	return out;
}

/** Default values for every scalar field (used when creating a record). */
export function defaults<F extends Fields>(type: { fields: F }): FieldValues<F> {
	const out: Record<string, unknown> = {};
	for (const [name, f] of Object.entries(type.fields)) out[name] = f.fallback;
	return out as FieldValues<F>;
}

/** Every length limit a type declares: its texts and its short strings. */
export function limitsOf<T extends string, F extends Fields>(type: {
	texts: Readonly<Record<T, number>>;
	fields: F;
}): Readonly<
	Record<T, number> & { [N in keyof F as F[N] extends { max: number } ? N : never]: number }
> {
	const out: Record<string, number> = { ...type.texts };
	for (const [name, f] of Object.entries(type.fields)) if (f.max !== undefined) out[name] = f.max;
	return out as never;
}
