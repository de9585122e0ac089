import * as v from 'valibot';
import { defineRecord, field, Rank, type Infer } from './define.ts';

/** A real calendar day as YYYY-MM-DD (valibot's isoDate checks the shape, so 2027-02-30 passed). */
const IsoDate = v.nullable(
	v.pipe(
		v.string(),
		v.isoDate(),
		v.check((day) => {
			// Runs even after isoDate reported an issue, so it must not throw on garbage.
			const date = new Date(`${day}T00:00:00Z`);
			return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
		}, 'not a calendar date')
	)
);

/** A column of the board: a quarter, a sprint, or Now / Next / Later. Dates are optional. */
export const PeriodType = defineRecord({
	name: 'period',
	texts: { name: 200 },
	fields: {
		start: field(IsoDate, null as string | null),
		end: field(IsoDate, null as string | null)
	},
	pos: v.object({ rank: Rank })
});

export type Period = Infer<typeof PeriodType>;
