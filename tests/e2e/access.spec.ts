import type { Page } from '@playwright/test';
import { boardPath, createBoard, expect, openBoard, test, twoPeople } from './fixtures.ts';
import { within } from '../helpers/slowdown.ts';
import { drag, laneRows } from './gestures.ts';

const live = (page: Page) => page.getByRole('status').filter({ hasText: 'Live' });

test('an owner shares a viewer link; the viewer watches live but cannot edit or drag, until revoked', async ({
	page,
	browser,
	baseURL,
	pageErrors
}) => {
	// After the revoke, the viewer's page asks the API why it was refused; the browser logs the 403.
	pageErrors.allow(/status of 403 \(Forbidden\) \(.*\/api\/boards\//, 'revoked on purpose');
	// The owner creates a board from the home page: this browser now holds its owner link.
	await page.goto('/');
	await page.getByLabel('Board title').fill('Exec review');
	await page.getByLabel(/Sample plan/).check();
	await page.getByRole('button', { name: 'Create board' }).click();
	await expect(live(page)).toBeVisible();

	// Share → Can view → Create link: the link is shown to copy.
	await page.getByRole('button', { name: 'Share' }).click();
	const share = page.getByRole('dialog', { name: 'Share this board' });
	await share.getByLabel(/Can view/).check();
	await share.getByLabel('Label (optional)').fill('Execs');
	await share.getByRole('button', { name: 'Create link' }).click();
	const url = await share.getByLabel('Link to share').inputValue();
	expect(url).toMatch(/\/b\/[\w-]+#token=/);
	await expect(share.getByRole('listitem').filter({ hasText: 'Execs' })).toContainText('Can view');
	await share.getByRole('button', { name: 'Close' }).click();

	// The viewer, in a browser of their own, opens the link.
	const viewerContext = await browser.newContext({ baseURL });
	const viewer = await viewerContext.newPage();
	await viewer.goto(url);
	await expect(live(viewer)).toBeVisible();
	await expect(viewer.getByRole('note').filter({ hasText: 'View only.' })).toBeVisible();
	// The token left the address bar once the browser held it.
	expect(viewer.url()).not.toContain('token=');
	await expect(viewer.getByRole('button', { name: 'Share' })).toHaveCount(0);

	// Changes by the owner appear live for the viewer.
	await page.getByRole('button', { name: 'Add card to Partner API in Q1 2027' }).click();
	await page.getByRole('textbox', { name: 'Add card to Partner API in Q1 2027' }).fill('Sandbox');
	await page.keyboard.press('Enter');
	const partnerApi = viewer.getByRole('row', { name: 'Priority 4: Partner API' });
	await expect(partnerApi.getByRole('listitem').first()).toHaveText('Deliverable: Sandbox');

	// The viewer can neither add, nor edit in place, nor drag.
	await expect(viewer.getByRole('button', { name: 'Add program' })).toHaveCount(0);
	await expect(viewer.getByRole('button', { name: 'Undo' })).toHaveCount(0);
	await viewer.getByRole('heading', { name: 'Self-serve growth' }).dblclick();
	await expect(viewer.getByRole('textbox', { name: /Self-serve growth/ })).toHaveCount(0);
	const before = await laneRows(viewer);
	const handle = viewer.getByRole('button', { name: /Move Onboarding journey/ });
	if ((await handle.count()) > 0) {
		await drag(viewer, handle, viewer.getByRole('row', { name: /^Priority 1: / }).first(), 'top');
	}
	expect(await laneRows(viewer)).toEqual(before);
	expect(await laneRows(page)).toEqual(before);

	// The owner revokes the link: the viewer is told why, at once, and a reload is refused.
	await page.getByRole('button', { name: 'Share' }).click();
	await share.getByRole('button', { name: /Revoke can view link Execs/ }).click();
	await share.getByRole('button', { name: 'Revoke', exact: true }).click();
	await expect(share.getByRole('listitem').filter({ hasText: 'Execs' })).toContainText('revoked');
	await expect(viewer.getByRole('alert')).toContainText(
		'You are no longer connected to this board',
		{ timeout: within(5_000) }
	);
	await viewer.reload();
	await expect(viewer.getByRole('heading', { level: 1 })).toHaveText('This link has been revoked');
	await viewerContext.close();
});

test('a board opened without a link explains that boards are private', async ({
	browser,
	baseURL,
	request,
	pageErrors
}) => {
	// The page asks the API why before it says so; the browser logs each refusal itself.
	pageErrors.allow(/status of 401 \(Unauthorized\) \(.*\/api\/boards\//, 'refused on purpose');
	const board = await createBoard(request, { template: 'sample' });
	const stranger = await browser.newContext({ baseURL });
	const page = await stranger.newPage();
	await page.goto(`/b/${board.id}`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'You need a link to open this board'
	);
	await expect(page.getByText('Ask the board’s owner to share a link')).toBeVisible();

	// A link with a forged token is refused too, and says so.
	await page.goto(`${boardPath({ id: board.id, token: `${board.token}x` })}`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('This link does not work');

	// A working link pasted into the same tab opens the board, with no reload.
	await page.goto(boardPath(board));
	await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Growth plan 2027');
	await stranger.close();
});

test('names that look like markup render as text, never as HTML', async ({ page, request }) => {
	const markup = '<img src=x onerror=alert(1)>';
	let dialogs = 0;
	page.on('dialog', (dialog) => {
		dialogs++;
		void dialog.dismiss();
	});
	const board = await createBoard(request, { template: 'sample', title: markup });
	await openBoard(page, board);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(markup);

	await page.getByRole('button', { name: 'Add lane to Platform reliability' }).click();
	await page.keyboard.type('<script>alert(2)</script>');
	await page.keyboard.press('Enter');
	await page.getByRole('button', { name: 'Add card to Partner API in Q1 2027' }).click();
	await page.keyboard.type('<img src=y onerror=alert(3)>');
	await page.keyboard.press('Enter');

	await expect(page.getByRole('row', { name: /<script>alert\(2\)<\/script>/ })).toBeVisible();
	await expect(
		page.getByRole('row', { name: 'Priority 4: Partner API' }).getByRole('listitem').first()
	).toHaveText('Deliverable: <img src=y onerror=alert(3)>');
	expect(await page.locator('main script, main img').count()).toBe(0);
	// Home lists it by the same literal title.
	await page.goto('/');
	await expect(page.getByRole('link', { name: markup })).toBeVisible();
	// The CSP would stop an inline handler from running even if markup got through, so no dialog
	// alone proves little: what shows the names stayed text is that no such element exists.
	expect(await page.locator('img[src="x"], img[src="y"]').count()).toBe(0);
	expect(dialogs).toBe(0);
});

test('the owner deletes the board: everyone on it is told, and it is gone from home', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample', title: 'Old plan' });
	const editorLink = await request.post(`/api/boards/${board.id}/links`, {
		headers: { authorization: `Bearer ${board.token}` },
		data: { role: 'editor' }
	});
	const { token } = (await editorLink.json()) as { token: string };
	const { b: editor, close } = await twoPeople({ browser, baseURL, page }, board, {
		id: board.id,
		token
	});

	await page.getByRole('button', { name: 'Board actions' }).click();
	await page.getByRole('menuitem', { name: 'Delete board…' }).click();
	const confirm = page.getByRole('dialog', { name: 'Delete this board?' });
	await expect(confirm).toContainText('“Old plan” and everything on it will be deleted');
	await confirm.getByRole('button', { name: 'Delete board' }).click();

	await expect(page).toHaveURL(/\/$/);
	await expect(page.getByRole('link', { name: 'Old plan' })).toHaveCount(0);
	await expect(editor.getByRole('alert')).toContainText('This board has been deleted');
	await close();
});
