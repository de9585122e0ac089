import * as v from 'valibot';
import { defineRecord, field, Id, Rank, type Infer } from './define.ts';

export const COMMITMENTS = ['committed', 'stretch'] as const;
export type Commitment = (typeof COMMITMENTS)[number];

export const LINK_KINDS = ['lane', 'card'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

/** A business value as the workshop scores it: a whole number in [min, 10]; null until scored. */
const Value = (min: number) =>
	v.nullable(v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(10)));

/**
 * A program objective: what the program commits to (or stretches for) and the business value
 * planned for it (1–10) and achieved (0–10). Ordered within its program like every list.
 */
export const ObjectiveType = defineRecord({
	name: 'objective',
	texts: { name: 200, description: 2000 },
	fields: {
		commitment: field(v.picklist(COMMITMENTS), 'committed' as Commitment),
		planned: field(Value(1), null as number | null),
		actual: field(Value(0), null as number | null)
	},
	// The lanes and cards that deliver it, one key each (`link/<id>` = 'lane' | 'card'), so two
	// people linking different items at once keep both.
	keyed: { link: v.picklist(LINK_KINDS) },
	pos: v.object({ program: Id, rank: Rank })
});

export type Objective = Infer<typeof ObjectiveType>;

/** The id migration 2 gives the objective it makes from a program's objective sentence. */
export function firstObjectiveId(programId: string): string {
	return `${programId}.objective`;
}
