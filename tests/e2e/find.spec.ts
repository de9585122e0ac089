import type { Page } from '@playwright/test';
import { createBoard, expect, openBoard, test, twoPeople } from './fixtures.ts';

const lane = (page: Page, name: string) =>
	page.getByRole('row', { name: new RegExp(`^Priority \\d+: ${name}$`) });

test('/ opens find; typing and Enter take the keyboard to a card anywhere on the board', async ({
	page,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	await openBoard(page, board);

	await page.locator('body').press('/');
	const box = page.getByRole('combobox', { name: 'Find a program, lane or card' });
	await expect(box).toBeFocused();
	await box.fill('webh');
	await expect(page.getByRole('option')).toHaveText([/Webhooks\s*Partner API · Q3 2027/]);
	await box.press('Enter');

	await expect(page.getByRole('dialog', { name: 'Find on the board' })).toBeHidden();
	const card = page.locator('[data-found]');
	await expect(card).toHaveAttribute('data-item', /^card:/);
	await expect(card).toContainText('Webhooks');
	await expect(card.locator(':focus')).toHaveCount(1);

	// Ctrl+K works from anywhere too, and the arrows choose among several matches.
	await page.keyboard.press('Control+k');
	await box.fill('bill');
	await box.press('ArrowDown');
	await expect(page.getByRole('option', { selected: true })).toContainText(
		'Legacy billing switched off'
	);
	await page.screenshot({ path: 'test-results/screenshots/find.png' });
	await box.press('Escape');
	await expect(box).toBeHidden();
});

test('a filter dims what does not match on this screen only, hides on request, and travels as a link', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	const { b, close } = await twoPeople({ browser, baseURL, page }, board);

	await page.getByRole('button', { name: 'Filter', exact: true }).click();
	const bar = page.getByRole('form', { name: 'Filter the board' });
	await bar.getByRole('button', { name: 'At risk' }).click();
	await expect(bar.getByRole('status')).toContainText('Showing 2 lanes of');

	await expect(lane(page, 'Self-serve checkout')).toHaveClass(/filtered-out/);
	await expect(lane(page, 'Billing platform migration')).not.toHaveClass(/filtered-out/);
	await page.screenshot({ path: 'test-results/screenshots/filter-dim.png' });
	// Personal: the other person's board is untouched.
	await expect(lane(b, 'Billing platform migration')).toBeVisible();
	await expect(lane(b, 'Self-serve checkout')).not.toHaveClass(/filtered-out/);

	await bar.getByRole('checkbox', { name: 'Hide the rest' }).check();
	await expect(lane(page, 'Self-serve checkout')).toBeHidden();
	await expect(lane(page, 'Billing platform migration')).toBeVisible();
	expect(new URL(page.url()).search).toBe('?health=at-risk&hide=1');
	await page.screenshot({ path: 'test-results/screenshots/filter-hide.png' });

	// The address carries the filter: B opens it (B holds its own link to the board).
	await b.goto(`/b/${board.id}${new URL(page.url()).search}`);
	await expect(lane(b, 'Billing platform migration')).toBeVisible();
	await expect(lane(b, 'Self-serve checkout')).toBeHidden();
	await expect(b.getByRole('form', { name: 'Filter the board' })).toBeVisible();

	await bar.getByRole('button', { name: 'Clear filter' }).click();
	await expect(lane(page, 'Self-serve checkout')).toBeVisible();
	await expect(lane(page, 'Self-serve checkout')).not.toHaveClass(/filtered-out/);
	expect(new URL(page.url()).search).toBe('');
	await close();
});
