import * as v from 'valibot';
import { defineRecord, field, Rank, shortText, type Infer } from './define.ts';

/** Colours offered for programs; any #rrggbb is accepted. */
export const PROGRAM_COLORS = [
	'#3b6fd4',
	'#0f8a73',
	'#b4561b',
	'#8a4fc7',
	'#c23c5b',
	'#5f7a1f'
] as const;

export const ProgramType = defineRecord({
	name: 'program',
	// `objective` is the single sentence boards had before objectives (records/objective.ts);
	// migration 2 copied it into each program's first objective.
	texts: { name: 200, objective: 2000 },
	fields: {
		manager: shortText(120),
		color: field(v.pipe(v.string(), v.hexColor()), PROGRAM_COLORS[0] as string)
	},
	pos: v.object({ rank: Rank })
});

export type Program = Infer<typeof ProgramType>;
