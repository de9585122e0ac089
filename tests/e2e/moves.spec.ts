import type { Page } from '@playwright/test';
import { createBoard, expect, openBoard, test, twoPeople } from './fixtures.ts';
import { announcer, drag, hoverTarget, laneRows, startDrag } from './gestures.ts';

const lane = (page: Page, priority: number, name: string) =>
	page.getByRole('row', { name: `Priority ${priority}: ${name}`, exact: true });

test('A drags a lane above another; B sees the new order and priorities', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	const { b, close } = await twoPeople({ browser, baseURL, page }, board);

	const handle = page.getByRole('button', { name: /Move Onboarding journey: drag/ });
	await drag(page, handle, lane(page, 1, 'Self-serve checkout'), 'top');

	for (const screen of [page, b]) {
		await expect(lane(screen, 1, 'Onboarding journey')).toBeVisible();
		await expect(lane(screen, 2, 'Self-serve checkout')).toBeVisible();
		await expect(lane(screen, 3, 'Billing platform migration')).toBeVisible();
	}
	await close();
});

test('A drags a card to another lane and period; B sees it there', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	const { b, close } = await twoPeople({ browser, baseURL, page }, board);

	const webhooks = page.getByRole('listitem').filter({ hasText: 'Webhooks' });
	const billingQ4 = lane(page, 2, 'Billing platform migration').getByRole('cell').nth(3);
	await drag(page, webhooks, billingQ4, 'center');

	const billingOnB = lane(b, 2, 'Billing platform migration');
	await expect(billingOnB.getByRole('cell').nth(3).getByRole('listitem')).toHaveText([
		'Deliverable: Webhooks'
	]);
	await expect(lane(b, 4, 'Partner API').getByRole('listitem')).not.toContainText(['Webhooks']);
	await close();
});

test('keyboard only: Space lifts, arrows move, Space drops, Escape cancels; each move is announced', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	const { b, close } = await twoPeople({ browser, baseURL, page }, board);

	const handle = page.getByRole('button', { name: /Move Billing platform migration: drag/ });
	await handle.focus();
	await page.keyboard.press('Space');
	await expect(announcer(page)).toContainText(
		'Lifted Billing platform migration, priority 2 of 5 in Self-serve growth'
	);
	await page.keyboard.press('ArrowUp');
	await expect(announcer(page)).toHaveText(
		'Billing platform migration moved to priority 1 of 5 in Self-serve growth'
	);
	await expect(handle).toBeFocused();
	await page.keyboard.press('Space');
	await expect(announcer(page)).toHaveText(
		'Billing platform migration dropped at priority 1 of 5 in Self-serve growth.'
	);
	await expect(lane(b, 1, 'Billing platform migration')).toBeVisible();

	// Escape puts it back where it was lifted from.
	await page.keyboard.press('Space');
	await page.keyboard.press('ArrowDown');
	await page.keyboard.press('ArrowDown');
	await expect(lane(page, 3, 'Billing platform migration')).toBeVisible();
	await page.keyboard.press('Escape');
	await expect(announcer(page)).toHaveText(
		'Move cancelled. Billing platform migration is back at priority 1 of 5 in Self-serve growth.'
	);
	await expect(lane(b, 1, 'Billing platform migration')).toBeVisible();
	await expect(handle).toBeFocused();
	await close();
});

test('the Move… menu moves a lane by keyboard and announces it', async ({ page, request }) => {
	const board = await createBoard(request, { template: 'sample' });
	await openBoard(page, board);

	const menu = page.getByRole('button', { name: 'Move or edit Partner API' });
	await menu.focus();
	await page.keyboard.press('Enter');
	await expect(page.getByRole('menu')).toBeVisible();
	await expect(page.getByRole('menuitem').first()).toBeFocused();
	await page.getByRole('menuitem', { name: 'Move to top priority' }).press('Enter');

	await expect(announcer(page)).toHaveText(
		'Partner API moved to priority 1 of 5 in Self-serve growth'
	);
	await expect(lane(page, 1, 'Partner API')).toBeVisible();
	await expect(menu).toBeFocused();

	// And across programs.
	await menu.press('Enter');
	await page.getByRole('menuitem', { name: 'To Platform reliability (lowest priority)' }).click();
	await expect(announcer(page)).toHaveText(
		'Partner API moved to priority 2 of 2 in Platform reliability'
	);
});

test('A and B drag the same lane to different places at once: one lane, same place on both', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	const { b, close } = await twoPeople({ browser, baseURL, page }, board);

	const handle = (screen: Page) =>
		screen.getByRole('button', { name: /Move Revenue analytics: drag/ });
	// Both pick the lane up and hover their targets, then both let go in the same instant.
	await startDrag(page, handle(page));
	await hoverTarget(page, lane(page, 1, 'Self-serve checkout'), 'top');
	await startDrag(b, handle(b));
	await hoverTarget(b, lane(b, 2, 'Billing platform migration'), 'bottom');
	await Promise.all([page.mouse.up(), b.mouse.up()]);

	// Both screens settle on the same order (the later write wins), with the lane once. Both are
	// read again at each poll: B's rows read once, before A's move reached B, can never match.
	await expect
		.poll(async () => {
			const [onA, onB] = await Promise.all([laneRows(page), laneRows(b)]);
			const once = onA.filter((row) => row.endsWith(': Revenue analytics')).length === 1;
			return once && JSON.stringify(onA) === JSON.stringify(onB);
		})
		.toBe(true);
	// Where it lands depends on which write the relay ordered last (and on B's rows shifting
	// under the pointer when A's move arrives mid-drag); that it is one lane, the same on both
	// screens, is the property that matters.
	const rows = await laneRows(page);
	expect(rows.filter((row) => row.endsWith('Revenue analytics'))).toHaveLength(1);
	expect(await laneRows(b)).toEqual(rows);
	await close();
});

test('a card whose text is selected still drags as the card, and the drag leaves no selection', async ({
	page,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	await openBoard(page, board);

	// A person who swept across a card's words (or double-clicked one) holds a text selection;
	// pressing on selected text starts the browser's own text drag unless the board prevents it.
	const webhooks = page.getByRole('listitem').filter({ hasText: 'Webhooks' });
	await webhooks.evaluate((card) => {
		const range = document.createRange();
		range.selectNodeContents(card);
		getSelection()?.removeAllRanges();
		getSelection()?.addRange(range);
	});
	const billingQ4 = lane(page, 2, 'Billing platform migration').getByRole('cell').nth(3);
	await drag(page, webhooks, billingQ4, 'center');
	await expect(billingQ4.getByRole('listitem')).toHaveText(['Deliverable: Webhooks']);
	expect(await page.evaluate(() => getSelection()?.toString() ?? '')).toBe('');
});
