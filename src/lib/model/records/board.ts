import { shortText } from './define.ts';

/**
 * Board-wide settings: the title (a top-level Y.Text) and scalars kept in the `meta` map beside
 * the schema version.
 */
export const BoardType = {
	name: 'board',
	texts: { title: 300 },
	fields: {
		/** The unit estimates and capacities are counted in ("points", "days", "person-weeks"). */
		unit: shortText(24, 'points')
	}
} as const;
