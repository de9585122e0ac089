import * as v from 'valibot';
import { defineRecord, field, Id, Rank, type RecordOf } from './define.ts';

export const CARD_KINDS = ['deliverable', 'milestone'] as const;
export type CardKind = (typeof CARD_KINDS)[number];

/** A deliverable or milestone in one lane × period cell. */
export const CardType = defineRecord({
	name: 'card',
	texts: ['title'],
	fields: {
		kind: field(v.picklist(CARD_KINDS), 'deliverable' as CardKind),
		done: field(v.boolean(), false)
	},
	// The cell (lane and period) and the rank within it are one value, written in one go.
	pos: v.object({ lane: Id, period: Id, rank: Rank })
});

export type Card = RecordOf<
	'title',
	typeof CardType.fields,
	{ lane: string; period: string; rank: string }
>;
