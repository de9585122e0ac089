import { describe, expect, it } from 'vitest';
import { dateRange, relativeTime } from './dates.ts';

describe('relativeTime', () => {
	const now = Date.parse('2026-03-10T12:00:00Z');
	const opts = { now, locale: 'en' };

	it('says just now for the last minute', () => {
		expect(relativeTime(now - 20_000, opts)).toBe('just now');
	});

	it('uses the largest whole unit', () => {
		expect(relativeTime(now - 5 * 60_000, opts)).toBe('5 minutes ago');
		expect(relativeTime(now - 3 * 3_600_000, opts)).toBe('3 hours ago');
		expect(relativeTime(now - 86_400_000, opts)).toBe('yesterday');
		expect(relativeTime('2026-01-01T00:00:00Z', opts)).toBe('2 months ago');
	});

	it('copes with a date it cannot read', () => {
		expect(relativeTime('not a date', opts)).toBe('at an unknown time');
	});
});

describe('dateRange', () => {
	it('prints a range, with the year once when both ends share it', () => {
		expect(dateRange('2026-01-01', '2026-03-31', 'en-US')).toBe('Jan 1 – Mar 31, 2026');
		expect(dateRange('2025-12-01', '2026-02-28', 'en-US')).toBe('Dec 1, 2025 – Feb 28, 2026');
	});

	it('handles open ends and no dates', () => {
		expect(dateRange('2026-04-01', null, 'en-US')).toBe('From Apr 1, 2026');
		expect(dateRange(null, '2026-06-30', 'en-US')).toBe('Until Jun 30, 2026');
		expect(dateRange(null, null)).toBe('');
	});
});
