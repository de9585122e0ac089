/**
 * Replay and checkpoint housekeeping (README "History"), as people use them. Replay runs against
 * a relay of its own whose clock the test sets (RAILYARD_TEST_CLOCK, only with NODE_ENV=test), so
 * the board's morning really is a morning: created at 08:30, a card moved at 11:00 on another
 * screen, then replayed at 10:00 — the card is in its morning cell there, while both live boards
 * keep it where it is now.
 */
import fs from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Locator, Page } from '@playwright/test';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import { within } from '../helpers/slowdown.ts';
import { createBoard, expect, openBoard, test, type BoardRef } from './fixtures.ts';

const lane = (scope: Page | Locator, priority: number, name: string) =>
	scope.getByRole('row', { name: `Priority ${priority}: ${name}`, exact: true });
/** The cards of one lane × period cell, in order. */
const cell = (scope: Page | Locator, priority: number, name: string, period: number) =>
	lane(scope, priority, name).getByRole('cell').nth(period).locator('li.card');

async function moveCardTo(page: Page, title: string, to: string) {
	await page.getByRole('button', { name: `Move or edit ${title}`, exact: true }).click();
	await page.getByRole('menuitem', { name: to, exact: true }).click();
}

/** A person on `board`, in a browser context of their own that shows times in UTC. */
async function join(browser: Browser, baseURL: string, board: BoardRef) {
	const context = await browser.newContext({ baseURL, timezoneId: 'UTC' });
	const page = await context.newPage();
	await openBoard(page, board);
	return { page, close: () => context.close() };
}

test.describe('replay', () => {
	let relay: RelayProcess;
	test.beforeAll(async () => {
		relay = await startRelayProcess({
			env: { RAILYARD_TEST_CLOCK: '1', NODE_ENV: 'test' },
			timeoutMs: within(30_000)
		});
	});
	test.afterAll(async () => {
		await relay.stop();
		fs.rmSync(relay.dataDir, { recursive: true, force: true });
	});

	async function setClock(at: number) {
		const res = await fetch(`${relay.url}/api/test/clock`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ now: at })
		});
		expect(res.status).toBe(200);
	}

	const at = (hh: number, mm: number) => Date.UTC(2026, 2, 2, hh, mm);

	test('Replay shows a card in its morning position at a morning timestamp', async ({
		browser,
		playwright
	}) => {
		// A morning of edits made at set clock times, then replayed: 58 s on a slow machine.
		test.slow();
		await setClock(at(8, 30));
		const request = await playwright.request.newContext({ baseURL: relay.url });
		const board = await createBoard(request, { template: 'sample', title: 'Workshop' });
		await request.dispose();
		const ana = await join(browser, relay.url, board);
		const ben = await join(browser, relay.url, board);
		const a = ana.page;
		const b = ben.page;
		// The morning: Setup wizard in Onboarding journey's first period (Q1 2027).
		await expect(cell(a, 3, 'Onboarding journey', 0)).toContainText(['Setup wizard']);

		// 11:00: Ben moves it to Q2.
		await setClock(at(11, 0));
		await moveCardTo(b, 'Setup wizard', 'To Q2 2027');
		for (const p of [a, b]) {
			await expect(cell(p, 3, 'Onboarding journey', 1)).toContainText(['Setup wizard']);
		}
		await setClock(at(11, 30));

		// Ana replays today.
		await a.getByRole('button', { name: 'History', exact: true }).click();
		const panel = a.getByRole('dialog', { name: 'Board history' });
		await panel.getByRole('button', { name: 'Replay today' }).click();
		const replay = a.getByRole('dialog', { name: 'Replay' });
		await expect(replay).toBeVisible();
		const slider = replay.getByRole('slider', { name: 'Moment shown' });
		await expect(slider).toBeFocused();
		// It opens at the start of the kept day (the board's creation), before the move.
		await expect(replay.getByTestId('replay-time')).toContainText('08:30:00');
		await expect(replay.getByTestId('replay-progress')).toHaveText('0 of 1 change');

		// End: the board as it is now.
		await slider.press('End');
		await expect(replay.getByTestId('replay-time')).toContainText(/11:3\d:\d\d/);
		await expect(replay.getByTestId('replay-progress')).toHaveText('1 of 1 change');
		await expect(cell(replay, 3, 'Onboarding journey', 1)).toContainText(['Setup wizard']);

		// Scrubbing back to 10:00: the card is in its morning cell.
		await slider.fill(String(at(10, 0)));
		await expect(replay.getByTestId('replay-time')).toContainText('10:00:00');
		await expect(slider).toHaveAttribute('aria-valuetext', /10:00:00.*, 0 of 1 change/);
		await expect(cell(replay, 3, 'Onboarding journey', 0)).toContainText(['Setup wizard']);
		await expect(cell(replay, 3, 'Onboarding journey', 1)).not.toContainText(['Setup wizard']);
		// Read-only: nothing on the replayed board can be moved or edited.
		await expect(
			replay.getByRole('button', { name: /Move Onboarding journey: drag/ })
		).toBeDisabled();
		// Its menus and add buttons are not offered at all, as in presentation mode.
		await expect(
			replay.getByRole('button', { name: 'Move or edit Setup wizard', exact: true })
		).toBeHidden();
		await expect(replay.getByRole('button', { name: /^Add lane/ })).toBeHidden();
		await expect(b.getByRole('button', { name: /Move Onboarding journey: drag/ })).toBeEnabled();

		// The replay screen passes axe as every other screen does (tests/e2e/a11y.spec.ts).
		const axe = await new AxeBuilder({ page: a })
			.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
			.include('dialog.replay')
			.analyze();
		expect(
			axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' | ')}`),
			'replay'
		).toEqual([]);

		await a.screenshot({ path: 'test-results/screenshots/replay.png' });

		// Nobody else is affected: Ben's live board has the card where it is now.
		await expect(cell(b, 3, 'Onboarding journey', 1)).toContainText(['Setup wizard']);
		await expect(b.getByRole('dialog', { name: 'Replay' })).toHaveCount(0);

		// The arrow keys step change by change.
		await slider.press('ArrowRight');
		await expect(replay.getByTestId('replay-time')).toContainText(/11:00:\d\d/);
		await expect(cell(replay, 3, 'Onboarding journey', 1)).toContainText(['Setup wizard']);
		await slider.press('ArrowLeft');
		await expect(cell(replay, 3, 'Onboarding journey', 0)).toContainText(['Setup wizard']);

		// Back to the live board: as it is now, and focus where replay was opened.
		await replay.getByRole('button', { name: 'Back to the live board' }).click();
		await expect(replay).toHaveCount(0);
		await expect(panel.getByRole('button', { name: 'Replay today' })).toBeFocused();
		await expect(cell(a, 3, 'Onboarding journey', 1)).toContainText(['Setup wizard']);
		await expect(cell(a, 3, 'Onboarding journey', 0)).not.toContainText(['Setup wizard']);

		// Play runs the day forward to now.
		await panel.getByRole('button', { name: 'Replay today' }).click();
		await replay
			.getByRole('combobox', { name: 'Speed' })
			.selectOption({ label: '1 hour a second' });
		await replay.getByRole('button', { name: 'Play' }).click();
		await expect(replay.getByTestId('replay-progress')).toHaveText('1 of 1 change');
		await expect(replay.getByRole('button', { name: 'Play' })).toBeVisible();
		await expect(replay.getByTestId('replay-time')).toContainText(/11:3\d:\d\d/);
		await a.keyboard.press('Escape');
		await expect(replay).toHaveCount(0);

		await ana.close();
		await ben.close();
	});
});

test('a period too large for one replay shows its most recent part that fits, and says so', async ({
	page,
	request,
	pageErrors
}) => {
	pageErrors.allow(/status of 413 .*\/history\?from=/, 'refused on purpose');
	const board = await createBoard(request, { template: 'sample' });
	await openBoard(page, board);
	await page.getByRole('button', { name: 'History', exact: true }).click();
	const panel = page.getByRole('dialog', { name: 'Board history' });
	await panel.getByRole('button', { name: 'Replay today' }).click();
	const replay = page.getByRole('dialog', { name: 'Replay' });
	await expect(replay.getByTestId('replay-progress')).toBeVisible();
	// The relay refuses the next two periods asked for as too large (as for a busy board's week).
	let refused = 0;
	await page.route(/\/history\?from=/, (route) => {
		if (refused >= 2) return route.continue();
		refused += 1;
		return route.fulfill({
			status: 413,
			contentType: 'application/json',
			body: JSON.stringify({
				error:
					'the board changed more than 20000 times in that period, more than one replay shows: choose a shorter period'
			})
		});
	});
	await replay.getByRole('combobox', { name: 'Period' }).selectOption({ label: 'Last 7 days' });
	const notice = replay.getByTestId('replay-notice');
	await expect(notice).toContainText(
		'That period has more changes than one replay can show: this is its most recent'
	);
	await expect(replay.getByRole('alert')).toHaveCount(0);
	await expect(replay.getByRole('slider', { name: 'Moment shown' })).toBeVisible();
	expect(refused).toBe(2);
	await page.screenshot({ path: test.info().outputPath('replay-shortened.png') });
	// A period that fits: no notice.
	await replay.getByRole('combobox', { name: 'Period' }).selectOption({ label: 'Last hour' });
	await expect(notice).toHaveCount(0);
});

test('rename and delete a checkpoint from the history panel; a viewer can do neither', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	await openBoard(page, board);
	await page.getByRole('button', { name: 'History', exact: true }).click();
	const panel = page.getByRole('dialog', { name: 'Board history' });
	await panel.getByLabel('Save a checkpoint of the board as it is now').fill('committed');
	await panel.getByRole('button', { name: 'Save', exact: true }).click();
	await expect(panel.getByTestId('checkpoint')).toHaveCount(1);

	await panel.getByRole('button', { name: 'Rename or delete “committed”' }).click();
	await page.getByRole('menuitem', { name: 'Rename…' }).click();
	const name = panel.getByRole('textbox', { name: 'New name for “committed”' });
	await expect(name).toBeFocused();
	await name.fill('PI 7 committed');
	await name.press('Enter');
	await expect(panel.getByTestId('checkpoint')).toHaveText([/PI 7 committed/]);
	await expect(
		panel.getByRole('button', { name: 'Rename or delete “PI 7 committed”' })
	).toBeFocused();

	// A viewer sees it renamed, and has no menu for it.
	const res = await request.post(`/api/boards/${board.id}/links`, {
		headers: { authorization: `Bearer ${board.token}` },
		data: { role: 'viewer' }
	});
	const viewer = { id: board.id, token: ((await res.json()) as { token: string }).token };
	const context = await browser.newContext({ baseURL });
	const v = await context.newPage();
	await openBoard(v, viewer);
	await v.getByRole('button', { name: 'History', exact: true }).click();
	const viewerPanel = v.getByRole('dialog', { name: 'Board history' });
	await expect(viewerPanel.getByTestId('checkpoint')).toHaveText([/PI 7 committed/]);
	await expect(viewerPanel.getByRole('button', { name: /Rename or delete/ })).toHaveCount(0);

	// The owner deletes it, after confirming.
	await panel.getByRole('button', { name: 'Rename or delete “PI 7 committed”' }).click();
	await page.getByRole('menuitem', { name: 'Delete…' }).click();
	await page
		.getByRole('dialog', { name: 'Delete “PI 7 committed”?' })
		.getByRole('button', { name: 'Delete' })
		.click();
	await expect(panel.getByTestId('checkpoint')).toHaveCount(0);
	await expect(panel.getByText('No checkpoints yet.')).toBeVisible();
	await expect(panel.getByRole('heading', { name: 'Checkpoints' })).toBeFocused();
	await context.close();
});
