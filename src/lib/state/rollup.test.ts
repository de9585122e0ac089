import { expect, it } from 'vitest';
import { rollup } from './rollup.ts';

it('counts lanes by health and averages their progress', () => {
	expect(
		rollup([
			{ health: 'on-track', progress: 50 },
			{ health: 'at-risk', progress: 25 },
			{ health: 'on-track', progress: 0 },
			{ health: null, progress: 50 }
		])
	).toEqual({
		health: { 'on-track': 2, 'at-risk': 1, 'off-track': 0 },
		unset: 1,
		progress: 31
	});
	expect(rollup([]).progress).toBeNull();
});
