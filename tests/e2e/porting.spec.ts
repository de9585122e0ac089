import fs from 'node:fs';
import { createBoard, expect, openBoard, test, twoPeople } from './fixtures.ts';

const csvFile = (name: string, rows: string[]) => ({
	name,
	mimeType: 'text/csv',
	buffer: Buffer.from(['Program,Lane,Period,Card,Kind,Health', ...rows].join('\r\n'))
});

test('CSV import: a file with a bad row is refused whole; a good one lands on both screens', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	const { b, close } = await twoPeople({ browser, baseURL, page }, board);

	await page.getByRole('button', { name: 'Board actions' }).click();
	await page.getByRole('menuitem', { name: 'Import CSV…' }).click();
	const dialog = page.getByRole('dialog', { name: 'Import lanes and cards from CSV' });
	const file = dialog.getByLabel('CSV file');
	const importButton = dialog.getByRole('button', { name: 'Import', exact: true });

	await file.setInputFiles(
		csvFile('bad.csv', [
			'Self-serve growth,Imported lane,Q1 2027,Fine card,,',
			'Self-serve growth,Imported lane,Q2 2027,Broken card,epic,'
		])
	);
	await expect(dialog.getByTestId('csv-errors')).toHaveText(
		'Row 3: Kind "epic" is not one of deliverable, milestone'
	);
	await expect(importButton).toBeDisabled();

	await file.setInputFiles(
		csvFile('good.csv', [
			'Self-serve growth,Imported lane,Q1 2027,Fine card,,at-risk',
			'Self-serve growth,Imported lane,Q2 2027,Launch,milestone,'
		])
	);
	await expect(dialog.getByTestId('csv-summary')).toHaveText(
		'good.csv: 2 rows will add 1 lane and 2 cards.'
	);
	await importButton.click();
	await expect(dialog).toBeHidden();

	for (const screen of [page, b]) {
		const lane = screen.getByRole('row', { name: /^Priority \d+: Imported lane$/ });
		await expect(lane.getByRole('listitem')).toHaveText([
			'Deliverable: Fine card',
			'Milestone: Launch'
		]);
	}
	// Nothing of the refused file arrived.
	await expect(b.getByText('Broken card')).toHaveCount(0);
	// One undo step takes the whole import back, everywhere.
	await page.getByRole('button', { name: 'Undo' }).click();
	for (const screen of [page, b]) {
		await expect(screen.getByRole('row', { name: /Imported lane/ })).toHaveCount(0);
	}
	await close();
});

test('export as CSV and JSON; the JSON imports as a new board from the home page', async ({
	page,
	request
}) => {
	const board = await createBoard(request, { template: 'sample', title: 'Export me' });
	await openBoard(page, board);

	await page.getByRole('button', { name: 'Board actions' }).click();
	const [csv] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('menuitem', { name: 'Export lanes and cards (CSV)' }).click()
	]);
	expect(csv.suggestedFilename()).toBe('Export me.csv');
	const bytes = fs.readFileSync(await csv.path());
	expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	expect(bytes.toString('utf8')).toContain('Program,Priority,Lane,Manager,Health,Progress');

	await page.getByRole('button', { name: 'Board actions' }).click();
	const [json] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('menuitem', { name: 'Export board file (JSON)' }).click()
	]);
	expect(json.suggestedFilename()).toBe('Export me.railyard.json');
	const path = await json.path();

	await page.goto('/');
	await page.getByRole('radio', { name: /Import a board file/ }).check();
	await page.getByLabel('Board file to import').setInputFiles(path);
	await page.getByRole('button', { name: 'Import board' }).click();
	await expect(page).toHaveURL(/\/b\/[A-Za-z0-9]{21}/);
	expect(page.url()).not.toContain(board.id);
	await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
	await expect(page.getByRole('row', { name: 'Priority 4: Partner API' })).toBeVisible();
	await expect(page).toHaveTitle('Export me · Railyard');
});

test('print: the whole board without the app chrome', async ({ page, request }) => {
	const board = await createBoard(request, { template: 'sample' });
	await openBoard(page, board);
	await page.emulateMedia({ media: 'print' });
	for (const chrome of ['Add program', 'Share', 'Board actions', 'Undo']) {
		await expect(page.getByRole('button', { name: chrome })).toBeHidden();
	}
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	// Every program's lanes are laid out, not only the ones in the scroller's window.
	const scroller = page.locator('[data-scroller]');
	await expect(scroller).toHaveCSS('overflow', 'visible');
	await expect(page.getByRole('row', { name: /^Priority \d+: / }).last()).toBeVisible();
	await page.screenshot({ path: 'test-results/screenshots/print.png', fullPage: true });
});
