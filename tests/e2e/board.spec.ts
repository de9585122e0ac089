import type { Locator } from '@playwright/test';
import { createBoard, expect, openBoard, test, twoPeople } from './fixtures.ts';

test('a sample board created from the home page shows its plan', async ({ page }) => {
	await page.goto('/');
	await page.getByLabel('Board title').fill('Roadmap review');
	await page.getByLabel(/Sample plan/).check();
	await page.getByRole('button', { name: 'Create board' }).click();

	await expect(page).toHaveURL(/\/b\/[A-Za-z0-9_-]+$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Roadmap review');
	await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();

	const periods = page.getByRole('columnheader');
	await expect(periods.first()).toHaveAccessibleName('Projects by priority');
	await expect(periods).toHaveText([
		/^Projects by priority/,
		/Q1 2027/,
		/Q2 2027/,
		/Q3 2027/,
		/Q4 2027/
	]);
	await expect(page.getByRole('heading', { name: 'Self-serve growth' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Platform reliability' })).toBeVisible();
	await expect(page.getByText('Program manager Sofia Lindqvist')).toBeVisible();

	const billing = page.getByRole('row', { name: 'Priority 2: Billing platform migration' });
	await expect(billing).toBeVisible();
	await expect(billing.getByRole('rowheader')).toContainText('Kwame Mensah');
	await expect(billing.getByRole('rowheader')).toContainText('At risk');
	await expect(billing.getByRole('rowheader')).toContainText('30%');
	await expect(billing.getByRole('listitem')).toHaveText([
		'Milestone: Data mapping signed off (done)',
		'Deliverable: Dual-write period',
		'Deliverable: Reconciliation reports',
		'Milestone: Legacy billing switched off'
	]);
	await expect(
		page.getByRole('row', { name: /^Priority 1: Observability rollout$/ })
	).toBeVisible();

	await page.getByRole('link', { name: 'Railyard' }).click();
	await expect(page.getByRole('link', { name: 'Roadmap review' }).first()).toBeVisible();
});

test('a change made in one browser appears in another', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample', title: 'Shared plan' });
	const { b: otherPage, close } = await twoPeople({ browser, baseURL, page }, board);

	// A card added in the first browser shows up in the second.
	await page.getByRole('button', { name: 'Add card to Partner API in Q1 2027' }).click();
	await page.getByRole('textbox', { name: 'Add card to Partner API in Q1 2027' }).fill('Sandbox');
	await page.keyboard.press('Enter');
	const partnerApi = otherPage.getByRole('row', { name: 'Priority 4: Partner API' });
	await expect(partnerApi.getByRole('listitem').first()).toHaveText('Deliverable: Sandbox');

	// And a lane added in the second shows up in the first, at the bottom of its program.
	await otherPage.getByRole('button', { name: 'Add lane to Platform reliability' }).click();
	await otherPage
		.getByRole('textbox', { name: 'Add lane to Platform reliability' })
		.fill('Backups');
	await otherPage.keyboard.press('Enter');
	await expect(page.getByRole('row', { name: 'Priority 2: Backups' })).toBeVisible();

	await close();
});

test('an unknown board id, opened without a link, explains and leads home', async ({ page }) => {
	const response = await page.goto('/b/no-such-board');
	expect(response?.ok()).toBe(true);
	// Without a link the page cannot (and must not) tell a missing board from a private one.
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'You need a link to open this board'
	);
	await page.getByRole('link', { name: 'See all boards' }).click();
	await expect(page).toHaveURL(/\/$/);
});

test('an empty board walks a newcomer through the first steps', async ({ page, request }) => {
	const board = await createBoard(request, { template: 'empty', title: 'Blank slate' });
	await openBoard(page, board);
	const start = page.getByRole('region', { name: 'Start planning' });
	await expect(start).toBeVisible();

	await start.getByRole('button', { name: 'Add period' }).click();
	for (const name of ['Now', 'Next']) {
		await page.keyboard.type(name);
		await page.keyboard.press('Enter');
	}
	await expect(page.getByRole('columnheader')).toHaveText(['Projects by priority', 'Now', 'Next']);
	await expect(page.getByText('No programs yet.')).toBeVisible();

	await start.getByRole('button', { name: 'Add program' }).click();
	await page.keyboard.type('Search');
	await page.keyboard.press('Enter');
	await page.getByRole('button', { name: 'Add lane to Search' }).click();
	await page.keyboard.type('Relevance tuning');
	await page.keyboard.press('Enter');

	await expect(page.getByRole('row', { name: 'Priority 1: Relevance tuning' })).toBeVisible();
	await expect(start).toBeHidden();
	// The lane form kept the focus, so the next lane can be typed straight away.
	await page.keyboard.type('Query suggestions');
	await page.keyboard.press('Enter');
	await expect(page.getByRole('row', { name: 'Priority 2: Query suggestions' })).toBeVisible();
});

for (const colorScheme of ['light', 'dark'] as const) {
	test(`screenshot of the sample board, ${colorScheme}`, async ({ page, request }) => {
		const board = await createBoard(request, { template: 'sample' });
		await page.emulateMedia({ colorScheme });
		await openBoard(page, board);
		await expect(page.getByRole('row', { name: 'Priority 1: Self-serve checkout' })).toBeVisible();
		await page.screenshot({ path: `test-results/screenshots/board-${colorScheme}.png` });
	});
}

test('screenshot at tablet width, with the lane detail panel open', async ({ page, request }) => {
	const board = await createBoard(request, { template: 'sample' });
	await page.setViewportSize({ width: 820, height: 1180 });
	await openBoard(page, board);
	await page.getByRole('button', { name: 'Details of Billing platform migration' }).click();
	await expect(page.getByRole('dialog', { name: 'Project lane details' })).toBeVisible();
	await page.screenshot({ path: 'test-results/screenshots/board-tablet.png' });
});

test('on a touch tablet, ⋯ and Add card show for the card and lane being worked on, not everywhere', async ({
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	const context = await browser.newContext({
		baseURL,
		viewport: { width: 900, height: 1200 },
		hasTouch: true,
		isMobile: true
	});
	const page = await context.newPage();
	await openBoard(page, board);
	const visible = (locator: Locator) =>
		locator.evaluateAll((els) => els.filter((el) => getComputedStyle(el).opacity !== '0').length);
	const menus = page.locator('.card-menu');
	const adds = page.locator('.add');
	await expect(page.getByRole('row', { name: 'Priority 1: Self-serve checkout' })).toBeVisible();
	expect(await visible(menus)).toBe(0);
	expect(await visible(adds)).toBe(0);

	await page.getByText('Annual plans', { exact: true }).tap();
	const card = page.locator('[data-item^="card:"]').filter({ hasText: 'Annual plans' });
	await expect(card.locator('.card-menu')).toHaveCSS('opacity', '1');
	expect(await visible(menus)).toBe(1);
	const lane = page.getByRole('row', { name: 'Priority 1: Self-serve checkout' });
	expect(await visible(lane.locator('.add'))).toBeGreaterThan(0);
	expect(await visible(adds)).toBe(await visible(lane.locator('.add')));
	await page.screenshot({ path: 'test-results/screenshots/board-tablet-touch.png' });
	await context.close();
});
