import type { Browser } from '@playwright/test';
import { createBoard, expect, openBoard, test, type BoardRef } from './fixtures.ts';

/**
 * Presentation mode for the projector: P (or the Present button) enlarges the plan and takes
 * the editing controls away; whoever follows the presenter sees it the same way.
 */
async function join(browser: Browser, baseURL: string | undefined, board: BoardRef, name: string) {
	const context = await browser.newContext({ baseURL, viewport: { width: 1920, height: 1080 } });
	await context.addInitScript((preset) => {
		if (location.origin === 'null') return;
		localStorage.setItem('railyard:name', preset);
	}, name);
	const page = await context.newPage();
	await openBoard(page, board);
	return { page, context };
}

test('P presents: cards at 20 px or more, no editing chrome; a follower sees it too; Escape ends it', async ({
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	const a = await join(browser, baseURL, board, 'Paula Presenter');
	const b = await join(browser, baseURL, board, 'Felix Follower');
	const cardSize = (page: typeof a.page) =>
		page
			.locator('[data-item^="card:"]')
			.first()
			.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));

	await b.page.getByRole('button', { name: 'Paula Presenter: follow their view' }).click();
	expect(await cardSize(a.page)).toBeLessThan(20);

	await a.page.locator('body').press('p');
	await expect(a.page.getByRole('button', { name: /Exit presentation/ })).toBeVisible();
	await expect(a.page.getByRole('button', { name: 'Add program' })).toBeHidden();
	await expect(a.page.getByRole('button', { name: /^Move or edit/ })).toHaveCount(0);
	await expect(a.page.getByRole('button', { name: /^Details of/ })).toHaveCount(0);
	await expect(a.page.getByRole('status').filter({ hasText: 'Live' })).toHaveCount(0);
	expect(await cardSize(a.page)).toBeGreaterThanOrEqual(20);
	// Who is here stays in the bar.
	await expect(a.page.getByRole('button', { name: /Felix Follower/ })).toBeVisible();
	await a.page.screenshot({ path: 'test-results/screenshots/presentation-1920.png' });

	// The follower's screen shows the presentation as well, without its own Exit button.
	await expect(b.page.locator('[data-presenting]')).toHaveCount(1);
	await expect.poll(() => cardSize(b.page)).toBeGreaterThanOrEqual(20);
	await expect(b.page.getByRole('button', { name: 'Add program' })).toBeHidden();

	await a.page.keyboard.press('Escape');
	await expect(a.page.getByRole('button', { name: 'Add program' })).toBeVisible();
	await expect(b.page.locator('[data-presenting]')).toHaveCount(0);
	expect(await cardSize(b.page)).toBeLessThan(20);
	await Promise.all([a.context.close(), b.context.close()]);
});

test('the board menu starts it, and typing P in a field does not', async ({ page, request }) => {
	const board = await createBoard(request, { template: 'sample' });
	await openBoard(page, board);
	await page.getByRole('button', { name: 'Add program' }).click();
	await page.getByRole('textbox', { name: 'Add program' }).fill('Platform');
	await expect(page.locator('[data-presenting]')).toHaveCount(0);
	await page.keyboard.press('Escape');
	await page.getByRole('button', { name: 'Board actions' }).click();
	await page.getByRole('menuitem', { name: 'Present on a projector (P)' }).click();
	await expect(page.locator('[data-presenting]')).toHaveCount(1);
	await page.getByRole('button', { name: /Exit presentation/ }).click();
	await expect(page.locator('[data-presenting]')).toHaveCount(0);
});
