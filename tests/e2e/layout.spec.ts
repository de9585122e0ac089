import { createBoard, expect, openBoard, test } from './fixtures.ts';

/**
 * The owner's bar fits one row on a laptop, and the bar plus the period row leave room for the
 * plan instead of taking 170 px of a 720 px screen.
 */
for (const viewport of [
	{ width: 1280, height: 720 },
	{ width: 1440, height: 900 }
]) {
	test(`the owner's toolbar fits one row at ${viewport.width} px`, async ({ page, request }) => {
		await page.setViewportSize(viewport);
		const board = await createBoard(request, { template: 'sample' });
		await openBoard(page, board);
		const bar = page.getByRole('banner');
		// One row: every control's vertical middle lies within the bar's single line.
		const rows = await bar.evaluate((element) => {
			const controls = [...element.querySelectorAll('button, input, h1, [role="status"]')];
			const middles = controls
				.filter((control) => (control as HTMLElement).offsetParent !== null)
				.map((control) => {
					const box = control.getBoundingClientRect();
					return Math.round((box.top + box.bottom) / 2 / 24);
				});
			return new Set(middles).size;
		});
		expect(rows).toBe(1);
		// And nothing runs off the right edge (a bar that grew could push Share out of sight).
		const overflow = await bar.evaluate(
			(element) =>
				Math.max(
					...[...element.querySelectorAll('button, a, input, [role="status"]')].map(
						(control) => control.getBoundingClientRect().right
					)
				) - document.documentElement.clientWidth
		);
		expect(overflow).toBeLessThanOrEqual(0);
		await page.screenshot({ path: `test-results/screenshots/toolbar-${viewport.width}.png` });

		// The bar and the period row together: about 170 px before, under 120 now.
		const chrome = await page.evaluate(
			() => document.querySelector('.head')!.getBoundingClientRect().bottom
		);
		expect(chrome).toBeLessThanOrEqual(120);
	});
}

test('a program added at the bottom of the board is scrolled into view', async ({
	page,
	request
}) => {
	await page.setViewportSize({ width: 1280, height: 720 });
	const board = await createBoard(request, { template: 'sample' });
	await openBoard(page, board);
	await page.getByRole('button', { name: 'Add program' }).click();
	await page.getByRole('textbox', { name: 'Add program' }).fill('Data platform');
	await page.keyboard.press('Enter');
	await expect(page.getByRole('heading', { name: 'Data platform' })).toBeInViewport();
});
