import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { createBoard, expect, openBoard, test } from './fixtures.ts';

/**
 * axe-core over every screen a person meets, in its open states: zero violations of WCAG 2.1
 * A/AA and axe's best practices. A finding names the rule and the elements, so the failure
 * message says what to fix.
 */
async function violations(page: Page, include?: string) {
	let builder = new AxeBuilder({ page }).withTags([
		'wcag2a',
		'wcag2aa',
		'wcag21a',
		'wcag21aa',
		'best-practice'
	]);
	if (include) builder = builder.include(include);
	const { violations } = await builder.analyze();
	return violations.map(
		(v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target).join(' | ')}`
	);
}

test('the home page, the board and its dialogs have no accessibility violations', async ({
	page,
	request
}) => {
	// Six full axe scans: on a slow machine (CI ran them in 88–95 s) they need more than one
	// test's time, which says nothing about the pages.
	test.slow();
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	expect(await violations(page), 'home page').toEqual([]);

	const board = await createBoard(request, { template: 'sample' });
	await openBoard(page, board);
	expect(await violations(page), 'board').toEqual([]);

	await page.getByRole('button', { name: 'Details of Billing platform migration' }).click();
	await expect(page.getByRole('dialog', { name: 'Project lane details' })).toBeVisible();
	expect(await violations(page), 'details panel').toEqual([]);
	await page.keyboard.press('Escape');

	await page.getByRole('button', { name: 'Share' }).click();
	await expect(page.getByRole('dialog', { name: 'Share this board' })).toBeVisible();
	expect(await violations(page), 'share dialog').toEqual([]);
	await page.keyboard.press('Escape');

	await page.getByRole('button', { name: 'Filter', exact: true }).click();
	await expect(page.getByRole('form', { name: 'Filter the board' })).toBeVisible();
	expect(await violations(page), 'filter bar').toEqual([]);

	await page.keyboard.press('Control+k');
	await page.getByRole('combobox', { name: 'Find a program, lane or card' }).fill('bill');
	await expect(page.getByRole('option').first()).toBeVisible();
	expect(await violations(page), 'find').toEqual([]);
});

test('the page a view-only link opens has no accessibility violations', async ({
	page,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	const response = await request.post(`/api/boards/${board.id}/links`, {
		headers: { authorization: `Bearer ${board.token}` },
		data: { role: 'viewer', label: 'Execs' }
	});
	expect(response.status()).toBe(201);
	const { token } = (await response.json()) as { token: string };
	await openBoard(page, { id: board.id, token });
	await expect(page.getByRole('note').filter({ hasText: 'View only.' })).toBeVisible();
	expect(await violations(page), 'viewer page').toEqual([]);
});

test('the phone layout has no accessibility violations', async ({ browser, baseURL, request }) => {
	const board = await createBoard(request, { template: 'sample' });
	const context = await browser.newContext({
		baseURL,
		viewport: { width: 390, height: 844 },
		hasTouch: true,
		isMobile: true
	});
	const page = await context.newPage();
	await openBoard(page, board);
	await expect(page.getByRole('combobox', { name: 'Program' })).toBeVisible();
	expect(await violations(page), 'phone').toEqual([]);
	await page.getByRole('button', { name: 'Board menu' }).click();
	await expect(page.getByRole('button', { name: 'Add program' })).toBeVisible();
	expect(await violations(page), 'phone menu').toEqual([]);
	await context.close();
});
