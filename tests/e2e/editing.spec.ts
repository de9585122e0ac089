import { createBoard, expect, openBoard, test, twoPeople } from './fixtures.ts';

test('A and B type into the same lane name at once: both insertions survive', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	const { b, close } = await twoPeople({ browser, baseURL, page }, board);

	for (const screen of [page, b]) {
		await screen
			.getByRole('row', { name: 'Priority 4: Partner API' })
			.getByRole('button', { name: 'Partner API', exact: true })
			.dblclick();
	}
	const fieldA = page.getByRole('textbox', { name: 'Lane name' });
	const fieldB = b.getByRole('textbox', { name: 'Lane name' });
	await fieldA.press('End');
	await fieldB.press('Home');
	await Promise.all([
		fieldA.pressSequentially(' v2', { delay: 40 }),
		fieldB.pressSequentially('EU ', { delay: 40 })
	]);
	await Promise.all([fieldA.press('Enter'), fieldB.press('Enter')]);

	for (const screen of [page, b]) {
		await expect(screen.getByRole('row', { name: 'Priority 4: EU Partner API v2' })).toBeVisible();
	}
	await close();
});

test('Escape takes back only my own typing, not what someone else typed meanwhile', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	const { b, close } = await twoPeople({ browser, baseURL, page }, board);

	// B's screen shows A's typing live, so the name is matched by its start.
	const name = (screen: typeof page) =>
		screen
			.getByRole('row', { name: /^Priority 4: / })
			.getByRole('button', { name: /^Partner API/ });
	await name(page).focus();
	await page.keyboard.press('Enter');
	const fieldA = page.getByRole('textbox', { name: 'Lane name' });
	await fieldA.press('End');
	await fieldA.pressSequentially(' (draft)');
	await name(b).dblclick();
	const fieldB = b.getByRole('textbox', { name: 'Lane name' });
	await fieldB.press('Home');
	await fieldB.pressSequentially('Public ');
	await fieldB.press('Enter');
	// A sees B's words arrive in the field, before their own, with the caret still after theirs.
	await expect(fieldA).toHaveValue('Public Partner API (draft)');
	await fieldA.press('Escape');

	for (const screen of [page, b]) {
		await expect(screen.getByRole('row', { name: 'Priority 4: Public Partner API' })).toBeVisible();
	}
	await expect(page.getByRole('button', { name: 'Public Partner API', exact: true })).toBeFocused();
	await close();
});

test('the lane detail panel edits its fields, and a delete with children asks first', async ({
	page,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	await openBoard(page, board);

	await page.getByRole('button', { name: 'Details of Partner API' }).click();
	const panel = page.getByRole('dialog', { name: 'Project lane details' });
	await panel.getByLabel('Health').selectOption('at-risk');
	await panel.getByLabel('Progress (%)').fill('45');
	await panel.getByLabel('Progress (%)').press('Tab');
	await panel.getByLabel('Scope').fill('Public REST API for partners.');
	const row = page.getByRole('row', { name: 'Priority 4: Partner API' });
	await expect(row.getByRole('rowheader')).toContainText('At risk');
	await expect(row.getByRole('rowheader')).toContainText('45%');

	await panel.getByRole('button', { name: 'Delete lane…' }).click();
	const confirm = page.getByRole('dialog', { name: 'Delete Partner API?' });
	await expect(confirm).toContainText('This also deletes its 4 cards');
	await confirm.getByRole('button', { name: 'Cancel' }).click();
	await expect(row).toBeVisible();
	await panel.getByRole('button', { name: 'Delete lane…' }).click();
	await confirm.getByRole('button', { name: 'Delete lane' }).click();
	await expect(row).toBeHidden();
	await expect(page.getByRole('row', { name: 'Priority 4: Revenue analytics' })).toBeVisible();
	// The keyboard stays where the lane was: on its neighbour.
	await expect(page.getByRole('button', { name: /Move Revenue analytics: drag/ })).toBeFocused();
});

test('a program collapses, and rolls up its lanes’ health and progress', async ({
	page,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	await openBoard(page, board);
	const growth = page.getByRole('rowgroup', { name: 'Self-serve growth' });
	await expect(growth).toContainText('3 on track');
	await expect(growth).toContainText('1 at risk');
	await expect(growth).toContainText('1 off track');

	await page.getByRole('button', { name: 'Collapse Self-serve growth' }).click();
	await expect(page.getByRole('row', { name: /Billing platform migration/ })).toBeHidden();
	await page.getByRole('button', { name: 'Expand Self-serve growth' }).click();
	await expect(page.getByRole('row', { name: /Billing platform migration/ })).toBeVisible();
});

test('text cut at its limit says so where it happens', async ({ page, request }) => {
	const board = await createBoard(request, { template: 'sample' });
	await openBoard(page, board);
	await page.getByRole('button', { name: 'Move or edit Partner API' }).click();
	await page.getByRole('menuitem', { name: 'Rename' }).click();
	const field = page.getByRole('textbox', { name: 'Lane name' });
	await field.fill('');
	// A paste of 250 characters, as the browser applies it to a field with maxlength 200.
	await field.evaluate((input: HTMLInputElement) => {
		const data = new DataTransfer();
		data.setData('text/plain', 'x'.repeat(250));
		input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
		input.value = 'x'.repeat(Number(input.maxLength));
		input.dispatchEvent(new Event('input', { bubbles: true }));
	});
	await expect(page.getByRole('status').filter({ hasText: 'cut at 200 characters' })).toBeVisible();
});
