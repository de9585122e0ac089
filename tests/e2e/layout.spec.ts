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

/**
 * Issue 10, finding 6: at 1280 × 720 only one or two lanes of the sample board were fully on
 * screen under the bar, the period row and a five-line program header. Three, for the owner.
 */
test('at 1280 × 720 the owner sees at least three lanes whole', async ({ page, request }) => {
	await page.setViewportSize({ width: 1280, height: 720 });
	const board = await createBoard(request, { template: 'sample' });
	await openBoard(page, board);
	await expect(page.getByRole('row', { name: /^Priority 1: / }).first()).toBeVisible();
	const whole = await page.evaluate(() => {
		const height = document.documentElement.clientHeight;
		return [...document.querySelectorAll('[role="row"]')].filter((row) => {
			if (!/^Priority \d+: /.test(row.getAttribute('aria-label') ?? '')) return false;
			const box = row.getBoundingClientRect();
			return box.top >= 0 && box.bottom <= height;
		}).length;
	});
	expect(whole).toBeGreaterThanOrEqual(3);
	await page.screenshot({ path: 'test-results/screenshots/board-1280x720.png' });
});

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

test('on a phone: no sideways scrolling, the tools in a menu, one program at a time as a list', async ({
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	const context = await browser.newContext({
		baseURL,
		viewport: { width: 390, height: 844 },
		hasTouch: true,
		isMobile: true
	});
	const page = await context.newPage();
	await openBoard(page, board);

	const program = page.getByRole('combobox', { name: 'Program' });
	await expect(program).toBeVisible();
	const first = page.getByRole('region', { name: /Priority 1: Self-serve checkout/ });
	await expect(first).toBeVisible();
	// The page is as wide as the phone, and the first lane starts in the screen's top half, not at y = 772.
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	expect((await first.boundingBox())!.y).toBeLessThan(844 / 2);
	// The tools are folded away until asked for.
	await expect(page.getByRole('button', { name: 'Add program' })).toBeHidden();
	await page.screenshot({ path: 'test-results/screenshots/phone.png' });

	await page.getByRole('button', { name: 'Board menu' }).click();
	await expect(page.getByRole('button', { name: 'Add program' })).toBeVisible();
	await page.screenshot({ path: 'test-results/screenshots/phone-menu.png' });
	await page.keyboard.press('Escape');

	// Another program, and a small change that reaches everyone: Move… reprioritises a lane.
	await program.selectOption({ label: 'Platform reliability (1 project)' });
	await expect(page.getByRole('heading', { name: 'Platform reliability', level: 2 })).toBeVisible();
	await program.selectOption({ label: 'Self-serve growth (5 projects)' });
	await page.getByRole('button', { name: 'Move or edit Partner API' }).click();
	await page.getByRole('menuitem', { name: 'Move to top priority' }).click();
	await expect(page.getByRole('region', { name: /Priority 1: Partner API/ })).toBeVisible();
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	await context.close();
});
