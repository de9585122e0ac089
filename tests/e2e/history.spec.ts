/**
 * History (README "History"), as two people use it: save a checkpoint, change the board on the
 * other screen, compare (what changed, by whom, marked on the board), restore a deleted program
 * for everyone as a new change, and undo that restore.
 */
import type { Browser, Page } from '@playwright/test';
import { createBoard, expect, openBoard, test, type BoardRef } from './fixtures.ts';

/** A person on `board` under `name`, in a browser context of their own. */
async function join(browser: Browser, baseURL: string | undefined, board: BoardRef, name: string) {
	const context = await browser.newContext({ baseURL });
	await context.addInitScript((preset) => {
		if (location.origin === 'null') return;
		localStorage.setItem('railyard:name', preset);
	}, name);
	const page = await context.newPage();
	await openBoard(page, board);
	return { page, close: () => context.close() };
}

const lane = (page: Page, priority: number, name: string) =>
	page.getByRole('row', { name: `Priority ${priority}: ${name}`, exact: true });
const programMenu = (page: Page, name: string) =>
	page.getByRole('button', { name: `Move or edit ${name}`, exact: true });

test('a checkpoint, changes on another screen, compare with who did them, restore for everyone, undo', async ({
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample', title: 'History plan' });
	const ana = await join(browser, baseURL, board, 'Ana');
	const ben = await join(browser, baseURL, board, 'Ben');
	const a = ana.page;
	const b = ben.page;

	// Ana saves "committed".
	await a.getByRole('button', { name: 'History', exact: true }).click();
	const panel = a.getByRole('dialog', { name: 'Board history' });
	await expect(panel).toBeVisible();
	await panel.getByLabel('Save a checkpoint of the board as it is now').fill('committed');
	await panel.getByRole('button', { name: 'Save', exact: true }).click();
	const saved = panel.getByTestId('checkpoint').filter({ hasText: 'committed' });
	await expect(saved).toContainText('by Ana');

	// Ben moves a lane to the top and deletes a program.
	const handle = b.getByRole('button', { name: /Move Billing platform migration: drag/ });
	await handle.focus();
	await b.keyboard.press('Space');
	await b.keyboard.press('ArrowUp');
	await b.keyboard.press('Space');
	await expect(lane(a, 1, 'Billing platform migration')).toBeVisible();
	await programMenu(b, 'Platform reliability').click();
	await b.getByRole('menuitem', { name: 'Delete program…' }).click();
	await b.getByRole('dialog').getByRole('button', { name: 'Delete program' }).click();
	for (const p of [a, b]) await expect(programMenu(p, 'Platform reliability')).toHaveCount(0);

	// Ana compares "committed" with now: exactly what Ben did, and that it was Ben.
	await saved.getByRole('button', { name: 'Compare “committed” with now' }).click();
	const compare = panel.getByRole('region', { name: '“committed” → now' });
	await expect(compare.getByTestId('compare-counts')).toContainText('removed');
	const growth = compare.getByRole('region', { name: 'Self-serve growth' });
	await expect(growth.getByTestId('change')).toHaveText([
		/Lane “Billing platform migration” priority 2 → 1 · by Ben/
	]);
	const platform = compare.getByRole('region', { name: 'Platform reliability' });
	await expect(platform.getByTestId('change').first()).toContainText(
		'Program “Platform reliability” removed'
	);
	await expect(
		platform.getByTestId('change').filter({ hasText: 'Lane “Observability rollout” removed' })
	).toHaveCount(1);

	// Compare mode marks the moved lane on the board until it is switched off.
	const show = compare.getByLabel('Show changes on the board');
	await show.check();
	await expect(lane(a, 1, 'Billing platform migration').getByTestId('compare-mark')).toHaveText(
		/↑1/
	);
	await a.screenshot({ path: 'test-results/screenshots/history-compare.png' });
	// The marks stay with the panel closed, until switched off.
	await a.keyboard.press('Escape');
	await expect(panel).toHaveCount(0);
	const marking = a.getByRole('note').filter({ hasText: 'Marking what changed since “committed”' });
	await expect(marking).toBeVisible();
	await expect(a.getByTestId('compare-mark')).toHaveCount(1);
	await marking.getByRole('button', { name: 'Dismiss' }).click();
	await expect(a.getByTestId('compare-mark')).toHaveCount(0);
	await a.getByRole('button', { name: 'History', exact: true }).click();
	await saved.getByRole('button', { name: 'Compare “committed” with now' }).click();

	// Ana restores the deleted program: back on both screens, Ben's lane move stays.
	await platform.getByRole('button', { name: 'Restore program' }).click();
	await a
		.getByRole('dialog', { name: /Restore program/ })
		.getByRole('button', { name: 'Restore' })
		.click();
	for (const p of [a, b]) {
		await expect(programMenu(p, 'Platform reliability')).toBeVisible();
		await expect(lane(p, 1, 'Observability rollout')).toBeVisible();
		await expect(lane(p, 1, 'Billing platform migration')).toBeVisible();
	}
	await expect(compare.getByRole('region', { name: 'Platform reliability' })).toHaveCount(0);

	// Ana's undo takes the restore back, for everyone.
	await a.keyboard.press('Escape');
	await a.getByRole('button', { name: 'Undo', exact: true }).click();
	for (const p of [a, b]) await expect(programMenu(p, 'Platform reliability')).toHaveCount(0);
	await expect(lane(b, 1, 'Billing platform migration')).toBeVisible();

	await ana.close();
	await ben.close();
});

/** The cards of one lane × period cell, in order. */
const cell = (page: Page, priority: number, name: string, period: number) =>
	lane(page, priority, name).getByRole('cell').nth(period).locator('li.card');

async function moveCardTo(page: Page, title: string, to: string) {
	await page.getByRole('button', { name: `Move or edit ${title}`, exact: true }).click();
	await page.getByRole('menuitem', { name: to, exact: true }).click();
}

test('the issue’s workshop: three changes compared with who made them, one lane restored on both screens, undone', async ({
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample', title: 'Workshop' });
	const ana = await join(browser, baseURL, board, 'Ana');
	const ben = await join(browser, baseURL, board, 'Ben');
	const a = ana.page;
	const b = ben.page;
	await a.getByRole('button', { name: 'History', exact: true }).click();
	const panel = a.getByRole('dialog', { name: 'Board history' });
	await panel.getByLabel('Save a checkpoint of the board as it is now').fill('committed');
	await panel.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(panel.getByTestId('checkpoint')).toHaveCount(1);

	// Ben moves two cards and reprioritises one lane.
	await moveCardTo(b, 'Dual-write period', 'To Q3 2027');
	await moveCardTo(b, 'Setup wizard', 'To Q2 2027');
	await b.getByRole('button', { name: /Move Onboarding journey: drag/ }).focus();
	await b.keyboard.press('Space');
	await b.keyboard.press('ArrowUp');
	await b.keyboard.press('Space');
	await expect(lane(a, 2, 'Onboarding journey')).toBeVisible();
	await expect(cell(a, 3, 'Billing platform migration', 2)).toHaveText([
		/Legacy billing switched off/,
		/Dual-write period/
	]);

	await panel.getByRole('button', { name: 'Compare “committed” with now' }).click();
	const compare = panel.getByRole('region', { name: '“committed” → now' });
	await expect(compare.getByTestId('compare-counts')).toHaveText(
		'3 changes: 1 reprioritised, 2 moved'
	);
	await expect(compare.getByTestId('change')).toHaveText([
		/Lane “Onboarding journey” priority 3 → 2 · by Ben/,
		/Card “Setup wizard” moved from Onboarding journey · Q1 2027 to Onboarding journey · Q2 2027 · by Ben/,
		/Card “Dual-write period” moved from Billing platform migration · Q2 2027 to Billing platform migration · Q3 2027 · by Ben/
	]);

	// Restoring Billing's lane brings its card back in its old order; Ben's other changes stay.
	await compare
		.getByTestId('change')
		.filter({ hasText: 'Dual-write period' })
		.getByRole('button', { name: 'Restore lane “Billing platform migration”' })
		.click();
	await a
		.getByRole('dialog', { name: /Restore lane/ })
		.getByRole('button', { name: 'Restore' })
		.click();
	for (const p of [a, b]) {
		await expect(cell(p, 3, 'Billing platform migration', 1)).toHaveText([
			/Dual-write period/,
			/Reconciliation reports/
		]);
		await expect(cell(p, 2, 'Onboarding journey', 1)).toHaveText([
			/Sample workspace/,
			/Setup wizard/
		]);
		await expect(lane(p, 2, 'Onboarding journey')).toBeVisible();
	}
	await expect(compare.getByTestId('change')).toHaveCount(2);

	// Ana undoes the restore: the card is in Q3 again, on both screens.
	await a.keyboard.press('Escape');
	await a.getByRole('button', { name: 'Undo', exact: true }).click();
	for (const p of [a, b]) {
		await expect(cell(p, 3, 'Billing platform migration', 2)).toHaveText([
			/Legacy billing switched off/,
			/Dual-write period/
		]);
	}
	await ana.close();
	await ben.close();
});

test('a viewer can compare but has no save or restore', async ({ browser, baseURL, request }) => {
	const board = await createBoard(request, { template: 'sample', title: 'Viewed plan' });
	const owner = await join(browser, baseURL, board, 'Ana');
	await owner.page.getByRole('button', { name: 'History', exact: true }).click();
	const ownerPanel = owner.page.getByRole('dialog', { name: 'Board history' });
	await ownerPanel.getByLabel('Save a checkpoint of the board as it is now').fill('baseline');
	await ownerPanel.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(ownerPanel.getByTestId('checkpoint')).toHaveCount(1);

	const response = await request.post(`/api/boards/${board.id}/links`, {
		data: { role: 'viewer' },
		headers: { authorization: `Bearer ${board.token}` }
	});
	const { token } = (await response.json()) as { token: string };
	const viewer = await join(browser, baseURL, { id: board.id, token }, 'Vic');
	const v = viewer.page;
	await v.getByRole('button', { name: 'History', exact: true }).click();
	const panel = v.getByRole('dialog', { name: 'Board history' });
	await expect(panel.getByLabel('Save a checkpoint of the board as it is now')).toHaveCount(0);
	await panel.getByRole('button', { name: 'Compare “baseline” with now' }).click();
	await expect(panel.getByTestId('compare-counts')).toHaveText('No changes.');
	await expect(panel.getByRole('button', { name: /Restore/ })).toHaveCount(0);
	await owner.close();
	await viewer.close();
});
