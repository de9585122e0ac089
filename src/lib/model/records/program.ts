import * as v from 'valibot';
import { defineRecord, field, Rank, type RecordOf } from './define.ts';

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
	texts: ['name', 'objective'],
	fields: {
		manager: field(v.pipe(v.string(), v.maxLength(120)), ''),
		color: field(v.pipe(v.string(), v.hexColor()), PROGRAM_COLORS[0] as string)
	},
	pos: v.object({ rank: Rank })
});

export type Program = RecordOf<'name' | 'objective', typeof ProgramType.fields, { rank: string }>;
