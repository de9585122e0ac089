import * as v from 'valibot';
import { defineRecord, field, Id, Rank, type RecordOf } from './define.ts';

export const HEALTH = ['on-track', 'at-risk', 'off-track'] as const;
export type Health = (typeof HEALTH)[number];

/** A project lane: one project's track inside its program, ordered by priority. */
export const LaneType = defineRecord({
	name: 'lane',
	texts: ['name', 'scope'],
	fields: {
		manager: field(v.pipe(v.string(), v.maxLength(120)), ''),
		health: field(v.picklist(HEALTH), 'on-track' as Health),
		progress: field(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100)), 0)
	},
	// Parent and rank in one value: a concurrent move can never mix one user's program with
	// another user's rank.
	pos: v.object({ program: Id, rank: Rank })
});

export type Lane = RecordOf<
	'name' | 'scope',
	typeof LaneType.fields,
	{ program: string; rank: string }
>;
