/**
 * A record type in one place: which fields are shared texts, which are validated scalars (each
 * with the default a reader falls back to), and what its position value looks like.
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
}
type Fields = Record<string, Field<unknown>>;
type FieldValues<F extends Fields> = { [K in keyof F]: F[K] extends Field<infer T> ? T : never };

export interface RecordType<T extends string, F extends Fields, P> {
	name: string;
	texts: readonly T[];
	fields: F;
	pos: Schema<P>;
}

export type RecordOf<T extends string, F extends Fields, P> = { id: string; pos: P } & {
	[K in T]: string;
} & FieldValues<F>;

export type ReadResult<R extends { pos: unknown }> =
	| { ok: true; record: R }
	| { ok: false; reason: 'not-a-record' }
	| { ok: false; reason: 'misplaced'; record: Omit<R, 'pos'> };

export function field<T>(schema: Schema<T>, fallback: T): Field<T> {
	return { schema, fallback };
}

export function defineRecord<const T extends string, F extends Fields, P>(
	type: RecordType<T, F, P>
): RecordType<T, F, P> {
	return type;
}

export function readRecord<T extends string, F extends Fields, P>(
	type: RecordType<T, F, P>,
	id: string,
	value: unknown
): ReadResult<RecordOf<T, F, P>> {
	if (!(value instanceof Y.Map)) return { ok: false, reason: 'not-a-record' };
	const map = value as Y.Map<unknown>;
	const out: Record<string, unknown> = { id };
	for (const name of type.texts) out[name] = readText(map, name);
	for (const [name, f] of Object.entries(type.fields)) {
		const parsed = v.safeParse(f.schema, map.get(name));
		out[name] = parsed.success ? parsed.output : f.fallback;
	}
	const pos = v.safeParse(type.pos, map.get('pos'));
	if (!pos.success) {
		return { ok: false, reason: 'misplaced', record: out as Omit<RecordOf<T, F, P>, 'pos'> };
	}
	out.pos = pos.output;
	return { ok: true, record: out as RecordOf<T, F, P> };
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

/** Default values for every scalar field (used when creating a record). */
export function defaults<F extends Fields>(type: { fields: F }): FieldValues<F> {
	const out: Record<string, unknown> = {};
	for (const [name, f] of Object.entries(type.fields)) out[name] = f.fallback;
	return out as FieldValues<F>;
}
