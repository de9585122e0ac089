import * as v from 'valibot';
import { defineRecord, field, Id, type Infer } from './define.ts';

/**
 * `finish-to-start`: the dependent card needs the prerequisite finished first (the usual "B
 * needs A"). `start-to-start`: it may start in the same period the prerequisite does.
 */
export const DEPENDENCY_KINDS = ['finish-to-start', 'start-to-start'] as const;
export type DependencyKind = (typeof DEPENDENCY_KINDS)[number];

/**
 * "Card `to` needs card `from` first." A flat record whose id is made from its endpoints
 * (dependencyId), so two people creating the same dependency at once write the same key and
 * end with one. The endpoints are its position: a record whose endpoints do not match its id,
 * or are unreadable, is set aside rather than drawn between the wrong cards.
 */
export const DependencyType = defineRecord({
	name: 'dependency',
	texts: {},
	fields: {
		kind: field(v.picklist(DEPENDENCY_KINDS), 'finish-to-start' as DependencyKind)
	},
	pos: v.object({ from: Id, to: Id })
});

export type Dependency = Infer<typeof DependencyType>;

/** The one id a dependency from `from` to `to` can have. */
export function dependencyId(from: string, to: string): string {
	return `${from}>${to}`;
}
