import type { Locator, Page } from '@playwright/test';
import { createBoard, expect, openBoard, test, twoPeople } from './fixtures.ts';
import { drag, hoverTarget, startDrag } from './gestures.ts';

/** The line for "`to` needs `from`", found by its text equivalent. */
const line = (page: Page, to: string, from: string): Locator =>
	page.locator('svg.dependency-lines g[role="button"]', {
		has: page.locator('title', { hasText: `${to} needs ${from}:` })
	});

const laneRow = (page: Page, name: string) =>
	page.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });

const cell = (page: Page, laneName: string, column: number) =>
	laneRow(page, laneName).getByRole('cell').nth(column);

const card = (page: Page, title: string) => page.getByRole('listitem').filter({ hasText: title });

/** The line and list controls live in this person's view bar (the Filter button opens it). */
async function viewBar(page: Page) {
	const bar = page.getByRole('form', { name: 'Filter the board' });
	if (!(await bar.isVisible()))
		await page.getByRole('button', { name: 'Filter', exact: true }).click();
	return bar;
}

async function showAllLines(page: Page) {
	const bar = await viewBar(page);
	await bar.getByRole('combobox', { name: 'Lines' }).selectOption('all');
	// The choice stays (it is remembered per person) with the bar closed again.
	await bar.getByRole('button', { name: 'Close' }).click();
}

test('a prerequisite moved later turns its line red on both screens, and green again', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	const { b, close } = await twoPeople({ browser, baseURL, page }, board);
	await showAllLines(page);
	await showAllLines(b);
	for (const screen of [page, b]) {
		await expect(line(screen, 'Card payments live', 'Data mapping signed off')).toHaveAttribute(
			'data-health',
			'green'
		);
	}

	// Q1 → Q3: after the card that needs it (Q2).
	await drag(
		page,
		card(page, 'Data mapping signed off'),
		cell(page, 'Billing platform migration', 2)
	);
	for (const screen of [page, b]) {
		await expect(line(screen, 'Card payments live', 'Data mapping signed off')).toHaveAttribute(
			'data-health',
			'red',
			{ timeout: 1000 }
		);
	}
	await (await viewBar(b)).getByRole('button', { name: /Dependencies/ }).click();
	const list = b.getByRole('dialog', { name: 'Dependencies' });
	await list.getByRole('checkbox', { name: 'Problems only' }).check();
	await expect(
		list.getByRole('row').filter({ hasText: 'Data mapping signed off' }).getByRole('cell').nth(4)
	).toHaveText('blocked');
	await list.getByRole('button', { name: 'Close' }).click();

	await drag(
		page,
		card(page, 'Data mapping signed off'),
		cell(page, 'Billing platform migration', 0)
	);
	for (const screen of [page, b]) {
		await expect(line(screen, 'Card payments live', 'Data mapping signed off')).toHaveAttribute(
			'data-health',
			'green',
			{ timeout: 1000 }
		);
	}
	await close();
});

test('keyboard only: ⋯ menu, Depends on…, search, Enter; the other screen sees the line', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	const { b, close } = await twoPeople({ browser, baseURL, page }, board);

	await page.getByRole('button', { name: 'Move or edit Annual plans' }).focus();
	await page.keyboard.press('Enter');
	const menu = page.getByRole('menu', { name: 'Move or edit Annual plans' });
	const entry = menu.getByRole('menuitem', { name: 'Depends on…' });
	for (let i = 0; i < 30 && !(await entry.evaluate((el) => el === document.activeElement)); i++) {
		await page.keyboard.press('ArrowDown');
	}
	await page.keyboard.press('Enter');
	const search = page.getByRole('combobox', { name: 'Search cards' });
	await expect(search).toBeFocused();
	await page.keyboard.type('webhooks');
	await expect(
		page.getByRole('listbox', { name: 'Cards' }).getByRole('option').first()
	).toContainText('Webhooks');
	await page.keyboard.press('Enter');
	await expect(search).toBeHidden();

	// Both in Q3: tight, so drawn under the default "problems" filter on both screens.
	for (const screen of [page, b]) {
		await expect(line(screen, 'Annual plans', 'Webhooks')).toHaveAttribute('data-health', 'amber');
	}
	await close();
});

test('two people create the same dependency at once: one line', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	const { b, close } = await twoPeople({ browser, baseURL, page }, board);
	for (const screen of [page, b]) {
		await screen.getByRole('button', { name: 'Move or edit Annual plans' }).click();
		await screen.getByRole('menuitem', { name: 'Depends on…' }).click();
		await screen.getByRole('combobox', { name: 'Search cards' }).fill('Provisioning endpoints');
	}
	await Promise.all([page.keyboard.press('Enter'), b.keyboard.press('Enter')]);
	for (const screen of [page, b]) {
		await expect(line(screen, 'Annual plans', 'Provisioning endpoints')).toHaveCount(1);
	}
	await (await viewBar(page)).getByRole('button', { name: /Dependencies/ }).click();
	await expect(
		page.getByRole('dialog', { name: 'Dependencies' }).getByRole('row').filter({
			hasText: 'Provisioning endpoints'
		})
	).toHaveCount(1);
	await close();
});

test('a card connector dragged onto another card links them', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	const { b, close } = await twoPeople({ browser, baseURL, page }, board);
	const from = card(page, 'Metric definitions');
	await from.hover();
	await drag(page, from.locator('[data-connector]'), card(page, 'Churn forecasting'));
	await showAllLines(b);
	await expect(line(b, 'Churn forecasting', 'Metric definitions')).toHaveAttribute(
		'data-health',
		'green'
	);
	// The card did not move: the connector links, it does not carry.
	await expect(cell(page, 'Revenue analytics', 0)).toContainText('Metric definitions');
	await close();
});

test('a selected line is removed with Delete; the detail panel removes one too', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	const { b, close } = await twoPeople({ browser, baseURL, page }, board);
	const blocked = line(page, 'Sample workspace', 'Activation checklist');
	await expect(blocked).toHaveAttribute('data-health', 'red');
	await expect(line(b, 'Sample workspace', 'Activation checklist')).toHaveCount(1);
	await blocked.focus();
	await page.keyboard.press('Delete');
	await expect(line(b, 'Sample workspace', 'Activation checklist')).toHaveCount(0);
	await expect(line(page, 'Sample workspace', 'Activation checklist')).toHaveCount(0);

	// B opens MRR dashboard's details and removes what it needs there.
	await b.getByRole('button', { name: 'Move or edit MRR dashboard' }).click();
	await b.getByRole('menuitem', { name: 'Details…' }).click();
	const panel = b.getByRole('dialog', { name: 'Card details' });
	await panel
		.getByRole('button', { name: /Remove: MRR dashboard needs Dual-write period/ })
		.click();
	await expect(panel.getByText('No card has to come first.')).toBeVisible();
	await expect(line(page, 'MRR dashboard', 'Dual-write period')).toHaveCount(0);
	await close();
});

test('capacity 20 against 25 points reads 125 % over on both screens, live', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	const { b, close } = await twoPeople({ browser, baseURL, page }, board);
	const q1 = (screen: Page) => cell(screen, 'Self-serve checkout', 0);

	await q1(page).hover();
	await q1(page).getByTestId('capacity').click();
	await q1(page).getByTestId('capacity-input').fill('20');
	await q1(page).getByTestId('capacity-input').press('Enter');
	// Checkout UX research (3) + Pricing page redesign (5) → 20 + 5.
	const research = card(page, 'Checkout UX research');
	await research.hover();
	await research.getByTestId('estimate').click();
	await research.getByTestId('estimate-input').fill('20');
	await research.getByTestId('estimate-input').press('Enter');
	for (const screen of [page, b]) {
		const load = q1(screen).getByTestId('load');
		await expect(load).toHaveText('25 / 20 points · 125 % over');
		await expect(load).toHaveAttribute('data-over', 'true');
	}
	// B lowers the estimate: A's load follows.
	const onB = card(b, 'Checkout UX research');
	await onB.hover();
	await onB.getByTestId('estimate').click();
	await onB.getByTestId('estimate-input').fill('10');
	await onB.getByTestId('estimate-input').press('Enter');
	await expect(q1(page).getByTestId('load')).toHaveText('15 / 20 points · 75 %');
	await expect(q1(page).getByTestId('load')).not.toHaveAttribute('data-over');
	await close();
});

test('while dragging, before the drop, the line that would turn red and the new load show; Escape restores', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	const { b, close } = await twoPeople({ browser, baseURL, page }, board);
	const target = cell(page, 'Billing platform migration', 2);
	const before = await target.getByTestId('load').textContent();
	// Every row's height: a preview must not move the board under the pointer (nor make every
	// dependency line re-measure, on a big board once per cell passed).
	const heights = () =>
		page.evaluate(() =>
			[...document.querySelectorAll<HTMLElement>('[role="table"] [role="row"]')].map(
				(row) => row.getBoundingClientRect().height
			)
		);
	const still = await heights();
	// Which it keeps because a load's bar always runs under its text, however long the text.
	const barsUnder = () =>
		page.evaluate(() =>
			[...document.querySelectorAll('[data-testid="load"]')].every((load) => {
				const text = load.querySelector('.text')!.getBoundingClientRect();
				const bar = load.querySelector('.bar')?.getBoundingClientRect();
				return !bar || bar.top >= text.bottom;
			})
		);
	expect(await barsUnder()).toBe(true);

	await startDrag(page, card(page, 'Data mapping signed off'));
	await hoverTarget(page, target, 'center');
	const preview = line(page, 'Card payments live', 'Data mapping signed off');
	await expect(preview).toHaveAttribute('data-health', 'red');
	await expect(preview).toHaveAttribute('data-preview', 'true');
	// Q3 of Billing holds a milestone (1 point) of 12: the milestone being dragged adds 1.
	await expect(target.getByTestId('load')).toHaveText('→ 2 / 12 points · 17 %');
	expect(await heights()).toEqual(still);
	expect(await barsUnder()).toBe(true);
	// The other screen sees no preview, only the real board.
	await expect(b.locator('[data-preview]')).toHaveCount(0);

	await page.keyboard.press('Escape');
	await page.mouse.up();
	await expect(page.locator('[data-preview]')).toHaveCount(0);
	await expect(target.getByTestId('load')).toHaveText(before ?? '');
	await expect(cell(page, 'Billing platform migration', 0)).toContainText(
		'Data mapping signed off'
	);
	await close();
});

test('a deleted card sets its dependencies aside and says so', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	const { b, close } = await twoPeople({ browser, baseURL, page }, board);
	await page.getByRole('button', { name: 'Move or edit Activation checklist' }).click();
	await page.getByRole('menuitem', { name: 'Delete card' }).click();
	const confirm = page.getByRole('dialog').getByRole('button', { name: /Delete/ });
	if (await confirm.isVisible()) await confirm.click();
	await expect(b.getByText(/1 dependency (has|have) lost its place/)).toBeVisible();
	await b.getByText(/1 dependency/).click();
	await expect(b.getByText('“Sample workspace” needs “a deleted card”')).toBeVisible();
	await close();
});

test('estimate and owner in the card’s panel, owner suggested from the board, the unit for everyone', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	const { b, close } = await twoPeople({ browser, baseURL, page }, board);

	await page.getByRole('button', { name: 'Move or edit Annual plans' }).click();
	await page.getByRole('menuitem', { name: 'Details…' }).click();
	const panel = page.getByRole('dialog', { name: 'Card details' });
	const estimate = panel.getByRole('textbox', { name: /Estimate/ });
	await estimate.fill('lots');
	await estimate.press('Enter');
	await expect(panel.getByRole('alert')).toHaveText('Enter a number from 0, or leave it empty');
	await estimate.fill('8');
	await estimate.press('Enter');
	await expect(panel.getByRole('alert')).toBeHidden();
	// With suggestions (a datalist) the field is a combobox.
	const owner = panel.getByRole('combobox', { name: 'Owner' });
	// Names already on the board are offered.
	await expect(page.locator('#railyard-people option[value="Ana Ruiz"]')).toHaveCount(1);
	await owner.fill('Ana Ruiz');
	await owner.press('Enter');
	await expect(card(b, 'Annual plans').getByTestId('estimate')).toHaveAttribute(
		'data-display',
		'8 points'
	);
	await expect(card(b, 'Annual plans').getByTestId('owner')).toHaveAttribute(
		'data-display',
		'Ana Ruiz'
	);

	// Cut at the limit, and told so.
	await owner.fill('x'.repeat(200));
	await expect(panel.getByText('At most 120 characters')).toBeVisible();
	await panel.getByRole('button', { name: 'Close' }).click();

	await page.getByRole('button', { name: 'Board actions' }).click();
	await page.getByRole('menuitem', { name: 'Unit of estimates (points)…' }).click();
	const unit = page.getByRole('dialog', { name: 'Unit of estimates and capacity' });
	await unit.getByRole('textbox').fill('days');
	await unit.getByRole('button', { name: 'Save' }).click();
	await expect(card(b, 'Annual plans').getByTestId('estimate')).toHaveAttribute(
		'data-display',
		'8 days'
	);
	await close();
});

test('keyboard: Tab from a cell’s Add card reaches its capacity chip, which edits the capacity', async ({
	page,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	await openBoard(page, board);
	const q1 = cell(page, 'Self-serve checkout', 0);
	await q1.getByRole('button', { name: /^Add card to Self-serve checkout in Q1/ }).focus();
	await page.keyboard.press('Tab');
	await expect(q1.getByTestId('capacity')).toBeFocused();
	await page.keyboard.press('Enter');
	await q1.getByTestId('capacity-input').fill('16');
	await q1.getByTestId('capacity-input').press('Enter');
	await expect(q1.getByTestId('load')).toHaveText('8 / 16 points · 50 %');
});
