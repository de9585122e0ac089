import fs from 'node:fs';
import { createBoard, expect, openBoard, railyardCli, test, twoPeople } from './fixtures.ts';
import { within } from '../helpers/slowdown.ts';
import type { Page } from '@playwright/test';

async function addCard(page: Page, cell: string, title: string) {
	await page.getByRole('button', { name: `Add card to ${cell}` }).click();
	const field = page.getByRole('textbox', { name: `Add card to ${cell}` });
	await field.fill(title);
	await field.press('Enter');
	await field.press('Escape');
}

const partnerApi = (page: Page) => page.getByRole('row', { name: 'Priority 4: Partner API' });
const status = (page: Page) => page.getByRole('status').filter({ hasText: /Live|Offline|connect/ });

/** While a test holds the network down, the browser itself logs each request that cannot go. */
const OFFLINE = /net::ERR_INTERNET_DISCONNECTED/;

test('edits made offline survive a reload and merge with everyone else’s on reconnect', async ({
	page,
	context,
	browser,
	baseURL,
	request,
	pageErrors
}) => {
	pageErrors.allow(OFFLINE, 'offline on purpose');
	const board = await createBoard(request, { template: 'sample', title: 'Offline plan' });
	const { b, close } = await twoPeople({ browser, baseURL, page }, board);
	await expect(status(page)).toContainText('All changes saved');
	// The app shell must be cached before the network goes, as it would be after any first visit.
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});

	await context.setOffline(true);
	await expect(status(page)).toContainText('Offline');
	// The service worker is offline too, so the reload below really is served from its cache.
	const [worker] = context.serviceWorkers();
	expect(
		await worker?.evaluate(() =>
			fetch('/healthz').then(
				() => 'reached',
				() => 'offline'
			)
		)
	).toBe('offline');
	await addCard(page, 'Partner API in Q1 2027', 'Offline one');
	await addCard(page, 'Partner API in Q2 2027', 'Offline two');
	await expect(status(page)).toContainText('2 changes waiting');
	await addCard(b, 'Partner API in Q3 2027', 'Online from B');

	// Reloading with no network shows this browser's copy, offline edits included.
	const reloaded = await page.reload();
	expect(reloaded?.fromServiceWorker()).toBe(true);
	await expect(partnerApi(page).getByText('Offline one')).toBeVisible();
	await expect(partnerApi(page).getByText('Offline two')).toBeVisible();
	await expect(partnerApi(page).getByText('Online from B')).toHaveCount(0);
	await expect(status(page)).toContainText('Offline');
	await expect(status(page)).toContainText('Saved in this browser');
	await expect(partnerApi(b).getByText('Offline one')).toHaveCount(0);

	await context.setOffline(false);
	for (const p of [page, b]) {
		for (const title of ['Offline one', 'Offline two', 'Online from B']) {
			await expect(partnerApi(p).getByText(title)).toBeVisible({ timeout: within(30_000) });
		}
	}
	await expect(status(page)).toContainText('Live');
	await expect(status(page)).toContainText('All changes saved');
	await close();
});

test('an edit made on the board shown from this browser’s copy, before the relay is dialled, is kept and counted', async ({
	page,
	context,
	request,
	pageErrors
}) => {
	pageErrors.allow(OFFLINE, 'offline on purpose');
	const board = await createBoard(request, { template: 'sample', title: 'Copy first' });
	await openBoard(page, board);
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	// The relay is dialled at the first idle moment after the copy is shown: hold that moment
	// back, so the edit below lands in the window between the two.
	await page.addInitScript(() => {
		window.requestIdleCallback = ((callback: () => void) =>
			window.setTimeout(callback, 60_000)) as typeof window.requestIdleCallback;
	});
	await context.setOffline(true);
	await page.reload();
	await expect(partnerApi(page)).toBeVisible();
	await addCard(page, 'Partner API in Q1 2027', 'Before the relay');
	await expect(status(page)).toContainText('1 change waiting');
	// It is in the browser's copy: a reload (still offline, still before any dial) shows it.
	await page.reload();
	await expect(partnerApi(page).getByText('Before the relay')).toBeVisible();
	await context.setOffline(false);
});

test('a board deleted while this browser was offline keeps its offline edits, to download', async ({
	page,
	context,
	request,
	pageErrors
}) => {
	pageErrors.allow(OFFLINE, 'offline on purpose');
	// Back online, the relay refuses the deleted board's socket and the API says why: the
	// browser logs both refusals itself.
	pageErrors.allow(/WebSocket connection to '.*\/sync\/.*' failed: .*404/, 'board deleted');
	pageErrors.allow(/status of 404 \(Not Found\) \(.*\/api\/boards\//, 'board deleted');
	const board = await createBoard(request, { template: 'sample', title: 'Doomed plan' });
	await openBoard(page, board);
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	await context.setOffline(true);
	await expect(status(page)).toContainText('Offline');
	await addCard(page, 'Partner API in Q1 2027', 'Idea nobody else saw');
	await expect(status(page)).toContainText('1 change waiting');

	// Meanwhile the operator deletes the board.
	railyardCli('delete', board.id);

	// Back online: the relay refuses the board, and the page says why instead of retrying forever.
	await context.setOffline(false);
	const banner = page.getByRole('alert').filter({ hasText: 'This board has been deleted' });
	await expect(banner).toBeVisible({ timeout: within(30_000) });
	await expect(banner).toContainText('1 change made here never reached it');
	await expect(banner.getByRole('button', { name: 'Download my copy' })).toBeVisible();
	await page.reload();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Board not found');
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: 'Download my copy' }).click()
	]);
	const copy = JSON.parse(fs.readFileSync((await download.path())!, 'utf8')) as {
		title: string;
		programs: { lanes: { name: string; cells: Record<string, { title: string }[]> }[] }[];
	};
	expect(copy.title).toBe('Doomed plan');
	const cards = copy.programs.flatMap((p) =>
		p.lanes.flatMap((l) => Object.values(l.cells).flatMap((cell) => cell.map((c) => c.title)))
	);
	expect(cards).toContain('Idea nobody else saw');

	await page.getByRole('button', { name: 'Forget this board' }).click();
	await expect(page).toHaveURL(/\/$/);
	await expect(page.getByRole('link', { name: 'Doomed plan' })).toHaveCount(0);
});
