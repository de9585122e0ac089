import { createBoard, expect, openBoard, test } from './fixtures.ts';

/** A menu opened near the screen's edge must stay on screen, every entry reachable by mouse. */
test('the ⋯ menu of the last lane at the bottom of the screen opens upward, inside the viewport', async ({
	page,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	await openBoard(page, board);
	const button = page.getByRole('button', { name: 'Move or edit Observability rollout' });
	await button.scrollIntoViewIfNeeded();
	// Scroll the board as far down as it goes, so the button sits near the bottom edge.
	await page.locator('.scroller').evaluate((el) => {
		el.scrollTop = el.scrollHeight;
	});
	await button.click();
	const menu = page.getByRole('menu');
	await expect(menu).toBeVisible();
	const viewport = page.viewportSize()!;
	await expect
		.poll(async () => {
			const box = (await menu.boundingBox())!;
			return box.y >= 0 && box.y + box.height <= viewport.height;
		})
		.toBe(true);
	await page.screenshot({ path: 'test-results/screenshots/menu-near-bottom.png' });
	// The last entry is reachable by mouse: a click on it does what it says.
	await page.getByRole('menuitem', { name: 'Delete lane…' }).click();
	await expect(page.getByRole('dialog')).toBeVisible();
});
