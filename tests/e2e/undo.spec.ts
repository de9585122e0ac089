import { createBoard, expect, test, twoPeople } from './fixtures.ts';
import type { Page } from '@playwright/test';

async function addCard(page: Page, cell: string, title: string) {
	await page.getByRole('button', { name: `Add card to ${cell}` }).click();
	const field = page.getByRole('textbox', { name: `Add card to ${cell}` });
	await field.fill(title);
	await field.press('Enter');
	await field.press('Escape');
}

test('undo takes back only my own change, on every screen, and redo brings it back', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample', title: 'Undo plan' });
	const { b, close } = await twoPeople({ browser, baseURL, page }, board);
	const undo = page.getByRole('button', { name: 'Undo', exact: true });
	const redo = page.getByRole('button', { name: 'Redo', exact: true });
	await expect(undo).toBeDisabled();
	await expect(undo).toHaveAttribute('title', /Ctrl\+Z|⌘Z/);

	await addCard(page, 'Partner API in Q1 2027', 'Sandbox from A');
	await addCard(b, 'Partner API in Q2 2027', 'Docs from B');
	const partnerApi = (p: Page) => p.getByRole('row', { name: 'Priority 4: Partner API' });
	for (const p of [page, b]) {
		await expect(partnerApi(p).getByText('Sandbox from A')).toBeVisible();
		await expect(partnerApi(p).getByText('Docs from B')).toBeVisible();
	}

	await expect(undo).toBeEnabled();
	await page.keyboard.press('Control+z');
	for (const p of [page, b]) {
		await expect(partnerApi(p).getByText('Sandbox from A')).toHaveCount(0);
		await expect(partnerApi(p).getByText('Docs from B')).toBeVisible();
	}
	await expect(undo).toBeDisabled();
	// B's own history is B's: nothing of A's is there to undo.
	await expect(b.getByRole('button', { name: 'Undo', exact: true })).toBeEnabled();

	await redo.click();
	for (const p of [page, b]) {
		await expect(partnerApi(p).getByText('Sandbox from A')).toBeVisible();
		await expect(partnerApi(p).getByText('Docs from B')).toBeVisible();
	}
	await undo.click();
	await page.keyboard.press('Control+Shift+Z');
	await expect(partnerApi(b).getByText('Sandbox from A')).toBeVisible();
	await expect(redo).toBeDisabled();
	await close();
});
