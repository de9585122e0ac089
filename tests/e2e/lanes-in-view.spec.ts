import { createBoard, expect, openBoard, test } from './fixtures.ts';

/**
 * Issue 10, finding 6: on a 1280×720 laptop the owner's bar and the period row left room for only
 * two of the sample board's lanes. With the plan scrolled to its first lane (right under the
 * sticky period row), at least three lanes are wholly in view, nothing cut off at the bottom.
 */
test('three lanes are fully visible at 1280×720 for the owner', async ({ page, request }) => {
	// Known gap, kept as an expected failure until it is closed (Playwright then reports the
	// unexpected pass, and this line goes). The bar and the period row are down to about 111 px
	// of 720, but the sample board's first three lanes are 316 + 265 + 245 px at this width
	// (cards wrap in 240 px columns, every cell keeps 40 px for its hidden "Add card", loads wrap):
	// 826 px, more than the whole window. It takes denser lanes and cards (LaneRow, LaneCell,
	// CardItem), not a lower header.
	test.fail(true, 'lanes at 1280 px are too tall for three to fit; see the comment above');
	await page.setViewportSize({ width: 1280, height: 720 });
	const board = await createBoard(request, { template: 'sample' });
	await openBoard(page, board);
	const first = page.getByRole('row', { name: /^Priority 1: / }).first();
	await expect(first).toBeVisible();

	const counted = await page.evaluate(() => {
		const scroller = document.querySelector<HTMLElement>('[data-scroller]')!;
		const head = scroller.querySelector('.head')!;
		const lanes = [...scroller.querySelectorAll('[role="row"]')].filter((row) =>
			/^Priority \d+: /.test(row.getAttribute('aria-label') ?? '')
		);
		// Scroll so the first lane starts right under the period row.
		scroller.scrollTop +=
			lanes[0]!.getBoundingClientRect().top - head.getBoundingClientRect().bottom;
		const top = head.getBoundingClientRect().bottom;
		const bottom = Math.min(scroller.getBoundingClientRect().bottom, window.innerHeight);
		const whole = lanes.filter((lane) => {
			const box = lane.getBoundingClientRect();
			return box.top >= top - 1 && box.bottom <= bottom + 1;
		});
		return { whole: whole.length, top, bottom, heights: lanes.map((l) => l.clientHeight) };
	});
	await page.screenshot({ path: 'test-results/screenshots/lanes-1280x720.png' });
	expect(counted.whole, JSON.stringify(counted)).toBeGreaterThanOrEqual(3);
});
