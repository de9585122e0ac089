import * as v from 'valibot';
import { defineRecord, field, Rank, type RecordOf } from './define.ts';

const IsoDate = v.nullable(v.pipe(v.string(), v.isoDate()));

/** A column of the board: a quarter, a sprint, or Now / Next / Later. Dates are optional. */
export const PeriodType = defineRecord({
	name: 'period',
	texts: ['name'],
	fields: {
		start: field(IsoDate, null as string | null),
		end: field(IsoDate, null as string | null)
	},
	pos: v.object({ rank: Rank })
});

export type Period = RecordOf<'name', typeof PeriodType.fields, { rank: string }>;
