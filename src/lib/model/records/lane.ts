import * as v from 'valibot';
import { defineRecord, field, Id, Rank, shortText, type Infer } from './define.ts';
import { Amount, Estimate } from './card.ts';

export const HEALTH = ['on-track', 'at-risk', 'off-track'] as const;
export type Health = (typeof HEALTH)[number];

/** A project lane: one project's track inside its program, ordered by priority. */
export const LaneType = defineRecord({
	name: 'lane',
	texts: { name: 200, scope: 10_000 },
	fields: {
		manager: shortText(120),
		/** Null until someone judges it: a new lane is not "on track" just because it is new. */
		health: field(v.nullable(v.picklist(HEALTH)), null as Health | null),
		progress: field(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100)), 0),
		/** What the lane can carry in any period, in the board's unit; null when not set. */
		capacity: field(Estimate, null as number | null)
	},
	// One key per period (`periodCapacity/<periodId>`), so setting two periods at once keeps both.
	keyed: { periodCapacity: Amount },
	// Parent and rank in one value: a concurrent move can never mix one user's program with
	// another user's rank.
	pos: v.object({ program: Id, rank: Rank })
});

export type Lane = Infer<typeof LaneType>;
