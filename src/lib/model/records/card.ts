import * as v from 'valibot';
import { defineRecord, field, Id, Rank, shortText, type Infer } from './define.ts';

export const CARD_KINDS = ['deliverable', 'milestone'] as const;
export type CardKind = (typeof CARD_KINDS)[number];

/** An amount in the board's unit: any finite number from 0. */
export const Amount = v.pipe(v.number(), v.finite(), v.minValue(0));
/** An estimate, or null when not estimated. */
export const Estimate = v.nullable(Amount);

/** A deliverable or milestone in one lane × period cell. */
export const CardType = defineRecord({
	name: 'card',
	texts: { title: 300 },
	fields: {
		kind: field(v.picklist(CARD_KINDS), 'deliverable' as CardKind),
		done: field(v.boolean(), false),
		estimate: field(Estimate, null as number | null),
		owner: shortText(120)
	},
	// The cell (lane and period) and the rank within it are one value, written in one go.
	pos: v.object({ lane: Id, period: Id, rank: Rank })
});

export type Card = Infer<typeof CardType>;
