/** Dates as people read them: "3 hours ago" for the board list, ranges for periods. */
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
	['year', 365 * 86_400_000],
	['month', 30 * 86_400_000],
	['week', 7 * 86_400_000],
	['day', 86_400_000],
	['hour', 3_600_000],
	['minute', 60_000]
];

export function relativeTime(
	value: number | string | Date,
	opts: { now?: number; locale?: string } = {}
): string {
	const delta = new Date(value).getTime() - (opts.now ?? Date.now());
	if (!Number.isFinite(delta)) return 'at an unknown time';
	const format = new Intl.RelativeTimeFormat(opts.locale, { numeric: 'auto' });
	for (const [unit, size] of UNITS) {
		if (Math.abs(delta) >= size) return format.format(Math.round(delta / size), unit);
	}
	return 'just now';
}

export function fullDate(value: number | string | Date, locale?: string): string {
	const date = new Date(value);
	if (!Number.isFinite(date.getTime())) return '';
	return date.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

/** For `<time datetime>`; empty rather than throwing on a date the relay sent malformed. */
export function isoDate(value: number | string | Date): string {
	const date = new Date(value);
	return Number.isFinite(date.getTime()) ? date.toISOString() : '';
}

/** "Jan 1 – Mar 31, 2026" for a period's optional ISO dates (YYYY-MM-DD); empty when unset. */
export function dateRange(start: string | null, end: string | null, locale?: string): string {
	// ISO dates are calendar days: read and print them in UTC so no timezone shifts a day.
	const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
	const short = { month: 'short', day: 'numeric', timeZone: 'UTC' } as const;
	const long = { ...short, year: 'numeric' } as const;
	if (start && end) {
		const a = day(start);
		const b = day(end);
		const sameYear = a.getUTCFullYear() === b.getUTCFullYear();
		return `${a.toLocaleDateString(locale, sameYear ? short : long)} – ${b.toLocaleDateString(locale, long)}`;
	}
	if (start) return `From ${day(start).toLocaleDateString(locale, long)}`;
	if (end) return `Until ${day(end).toLocaleDateString(locale, long)}`;
	return '';
}
