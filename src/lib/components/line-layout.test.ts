import { describe, expect, it } from 'vitest';
import { farTop } from './line-layout.svelte.ts';

describe('farTop', () => {
	const band = { top: 2000, bottom: 8000 };

	it('ends a line to a program far below just past the band, not at the program', () => {
		expect(farTop(30_000, band)).toBe(8024);
	});

	it('ends a line to a program far above just before the band', () => {
		expect(farTop(0, band)).toBe(1944);
	});

	it('leaves a program inside the band, or any program when none is near, where it is', () => {
		expect(farTop(5000, band)).toBe(5000);
		expect(farTop(30_000, null)).toBe(30_000);
	});
});
