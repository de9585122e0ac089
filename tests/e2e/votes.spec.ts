/**
 * Votes in four browsers: the owner facilitates, three editors (one shared editor link, each
 * browser its own voter) vote. While open, every screen shows only how many have voted; once
 * closed, every screen shows the same result. Dot voting and the past votes list too.
 */
import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { createBoard, expect, openBoard, test, type BoardRef } from './fixtures.ts';

async function editorLink(request: APIRequestContext, board: BoardRef): Promise<BoardRef> {
	const response = await request.post(`/api/boards/${board.id}/links`, {
		headers: { authorization: `Bearer ${board.token}` },
		data: { role: 'editor', label: 'Workshop' }
	});
	expect(response.status()).toBe(201);
	const { token } = (await response.json()) as { token: string };
	return { id: board.id, token };
}

async function joinAs(browser: Browser, baseURL: string | undefined, board: BoardRef) {
	const context = await browser.newContext({ baseURL });
	const page = await context.newPage();
	await openBoard(page, board);
	return { page, close: () => context.close() };
}

async function startVote(
	page: Page,
	fill: (dialog: ReturnType<Page['getByRole']>) => Promise<void>
) {
	await page.getByRole('button', { name: /^Votes/ }).click();
	const dialog = page.getByRole('dialog', { name: 'Votes' });
	await fill(dialog.getByRole('form', { name: 'Start a vote' }));
	await dialog.getByRole('button', { name: 'Open vote' }).click();
	await expect(dialog).toBeHidden();
}

const progress = (page: Page) => page.getByTestId('vote-progress');

test('a confidence vote with four voters shows only "3 of 4 voted" until closed, then the average and distribution on every screen', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample', title: 'Q3 plan' });
	const link = await editorLink(request, board);
	const [, ...editors] = await Promise.all([
		openBoard(page, board),
		joinAs(browser, baseURL, link),
		joinAs(browser, baseURL, link),
		joinAs(browser, baseURL, link)
	]);
	const [ana, bo, cy] = editors.map((e) => e.page) as [Page, Page, Page];
	const everyone = [page, ana, bo, cy];
	// Only the facilitator (here the owner) has the controls.
	await expect(ana.getByRole('button', { name: 'Open vote' })).toHaveCount(0);

	await startVote(page, async (dialog) => {
		await dialog.getByLabel('Question (optional)').fill('How confident are we in Q3?');
	});
	for (const p of everyone) {
		await expect(p.getByRole('heading', { name: 'How confident are we in Q3?' })).toBeVisible();
		await expect(progress(p)).toHaveText('0 of 4 voted');
	}

	await page.getByRole('radio', { name: /^4\b/ }).check();
	await ana.getByRole('radio', { name: /^2\b/ }).check();
	// Bo votes 4 then, by keyboard, moves to 5 (a revote replaces the first).
	await bo.getByRole('radio', { name: /^4\b/ }).check();
	await bo.keyboard.press('ArrowRight');
	await expect(bo.getByRole('radio', { name: /^5\b/ })).toBeChecked();
	for (const p of everyone) await expect(progress(p)).toHaveText('3 of 4 voted');
	// Nothing but the count while it is open: no average, no bars, anywhere.
	for (const p of everyone) {
		await expect(p.getByTestId('vote-result')).toHaveCount(0);
		await expect(p.getByTestId('vote-panel')).not.toContainText(/average|\d\.\d/);
	}
	// Each sees their own choice only.
	await expect(ana.getByRole('radio', { name: /^2\b/ })).toBeChecked();
	await expect(cy.getByRole('radio', { checked: true })).toHaveCount(0);

	await page.getByRole('button', { name: 'Close vote and show result' }).click();
	for (const p of everyone) {
		const panel = p.getByTestId('vote-panel');
		await expect(panel.getByTestId('vote-average')).toHaveText('3.7');
		await expect(panel.getByTestId('vote-result')).toContainText('3 of 4 voted');
		const bars = panel.getByTestId('vote-bar');
		await expect(bars).toHaveText([
			/5 · Full confidence\s*1 vote/,
			/4 · Good\s*1 vote/,
			/3 · Some concerns\s*0 votes/,
			/2 · Low\s*1 vote/,
			/1 · No confidence\s*0 votes/
		]);
		await expect(progress(p)).toHaveCount(0);
	}

	// The past votes list holds it, for anyone.
	await cy.getByRole('button', { name: 'Votes (1)' }).click();
	const past = cy.getByRole('dialog', { name: 'Votes' });
	await expect(past.getByRole('heading', { name: 'How confident are we in Q3?' })).toBeVisible();
	await expect(past.getByTestId('vote-average')).toHaveText('3.7');
	// Stored with the board: a reload (a new connection) lists it again.
	await bo.reload();
	await expect(bo.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
	await expect(bo.getByRole('button', { name: 'Votes (1)' })).toBeVisible();
	await Promise.all(editors.map((e) => e.close()));
});

test('dot voting: dots up to the limit, several on one card, one taken back; the tally names the cards', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample', title: 'Dots' });
	const link = await editorLink(request, board);
	const viewerResponse = await request.post(`/api/boards/${board.id}/links`, {
		headers: { authorization: `Bearer ${board.token}` },
		data: { role: 'viewer' }
	});
	const viewerLink = {
		id: board.id,
		token: ((await viewerResponse.json()) as { token: string }).token
	};
	const [, editor, viewer] = await Promise.all([
		openBoard(page, board),
		joinAs(browser, baseURL, link),
		joinAs(browser, baseURL, viewerLink)
	]);
	const ana = editor.page;

	await startVote(page, async (dialog) => {
		await dialog.getByLabel('Dot voting').check();
		await dialog.getByLabel('Dots per person').fill('2');
	});
	await expect(ana.getByTestId('dots-left')).toContainText('2 of 2');
	const addButtons = ana.getByRole('button', { name: /^Add a dot to / });
	const first = (await addButtons.first().getAttribute('aria-label'))!;
	const cardName = /^Add a dot to (.*) \(\d+ left\)$/.exec(first)![1]!;
	await addButtons.first().click();
	await ana.getByRole('button', { name: `Add a dot to ${cardName} (1 left)` }).click();
	await expect(ana.getByTestId('dots-left')).toContainText('0 of 2');
	// The limit is reached: every add button is disabled.
	await expect(
		ana.getByRole('button', { name: `Add a dot to ${cardName} (0 left)` })
	).toBeDisabled();
	await ana.getByRole('button', { name: `Remove a dot from ${cardName}` }).click();
	await expect(ana.getByTestId('dots-left')).toContainText('1 of 2');
	await expect(progress(page)).toHaveText('1 of 2 voted');
	// A viewer follows the count but has nothing to vote with.
	await expect(progress(viewer.page)).toHaveText('1 of 2 voted');
	await expect(
		viewer.page.getByText('Your link lets you watch this vote, not take part.')
	).toBeVisible();
	await expect(viewer.page.getByRole('button', { name: /^Add a dot/ })).toHaveCount(0);

	await page.getByRole('button', { name: 'Close vote and show result' }).click();
	for (const p of [page, ana, viewer.page]) {
		await expect(p.getByTestId('vote-panel').getByTestId('vote-bar')).toHaveText([
			new RegExp(`${cardName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*1 dot from 1 person`)
		]);
	}
	await Promise.all([editor.close(), viewer.close()]);
});
