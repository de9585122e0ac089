import type { Locator, Page } from '@playwright/test';
import { createBoard, expect, openBoard, test } from './fixtures.ts';
import { hoverTarget, laneRows, startDrag } from './gestures.ts';

/**
 * People drop where the line says: the edge the indicator is drawn on and the place the item
 * lands must be the same, over the lower half of a target as over its upper half.
 */
const lane = (page: Page, name: string) =>
	page.locator('.lane[role="row"]').filter({ has: page.getByRole('rowheader', { name }) });

async function indicatorEdge(target: Locator): Promise<string | null> {
	return target.evaluate((element) =>
		element.classList.contains('drop-top')
			? 'top'
			: element.classList.contains('drop-bottom')
				? 'bottom'
				: null
	);
}

for (const where of ['top', 'bottom'] as const) {
	test(`a lane dragged over the ${where} of another shows the line there and lands there`, async ({
		page,
		request
	}) => {
		const board = await createBoard(request, { template: 'sample' });
		await openBoard(page, board);
		const handle = page.getByRole('button', { name: /Move Self-serve checkout: drag/ });
		const onboarding = lane(page, 'Onboarding journey');

		await startDrag(page, handle);
		await hoverTarget(page, onboarding, where);
		await expect.poll(() => indicatorEdge(onboarding)).toBe(where);
		await page.mouse.up();

		const names = (await laneRows(page)).map((row) => row.replace(/^Priority \d+: /, ''));
		const self = names.indexOf('Self-serve checkout');
		const other = names.indexOf('Onboarding journey');
		expect(self).toBe(where === 'top' ? other - 1 : other + 1);
	});
}

test('a card dragged over the lower half of another shows the line below it and lands below it', async ({
	page,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	await openBoard(page, board);
	const card = (title: string) => page.getByRole('listitem').filter({ hasText: title });
	const webhooks = card('Webhooks');
	const dualWrite = card('Dual-write period');

	await startDrag(page, webhooks);
	await hoverTarget(page, dualWrite, 'bottom');
	await expect.poll(() => indicatorEdge(dualWrite)).toBe('bottom');
	await page.mouse.up();

	const cell = page.getByRole('cell').filter({ has: dualWrite });
	await expect(cell.getByRole('listitem')).toHaveText([
		'Deliverable: Dual-write period',
		'Deliverable: Webhooks',
		'Deliverable: Reconciliation reports'
	]);
});
