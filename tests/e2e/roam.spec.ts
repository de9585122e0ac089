import { createBoard, expect, test, twoPeople } from './fixtures.ts';
import { drag } from './gestures.ts';
import { column, openAsViewer, openRoam, risk } from './planning-helpers.ts';

const CONTRACT = 'Payment provider contract not signed';

test('A drags a risk from New to Owned and is asked for an owner; B and a viewer see it there; the viewer cannot move it', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	const { b, close } = await twoPeople({ browser, baseURL, page }, board);
	const { viewer, close: closeViewer } = await openAsViewer({ browser, baseURL, request }, board);
	for (const screen of [page, b, viewer]) await openRoam(screen);
	await expect(risk(page, CONTRACT)).toBeVisible();
	await expect(column(page, 'New').getByRole('listitem', { name: CONTRACT })).toBeVisible();

	const handle = page.getByRole('button', {
		name: `Move ${CONTRACT}: drag, or press Space to lift`
	});
	await drag(page, handle, column(page, 'Owned').getByRole('heading'), 'center');

	// Owned needs an owner: the move waits for a name.
	const ask = page.getByRole('dialog', { name: `Who owns “${CONTRACT}”?` });
	await expect(ask).toBeVisible();
	await expect(column(page, 'New').getByRole('listitem', { name: CONTRACT })).toBeVisible();
	await ask.getByLabel('Owner').fill('Priya Raman');
	await ask.getByRole('button', { name: 'Move to Owned' }).click();

	for (const screen of [page, b, viewer]) {
		const owned = column(screen, 'Owned').getByRole('listitem', { name: CONTRACT });
		await expect(owned).toBeVisible();
		await expect(owned).toContainText('Owner Priya Raman');
		await expect(column(screen, 'New').getByRole('listitem', { name: CONTRACT })).toHaveCount(0);
	}

	// The viewer sees it all and can change none of it.
	await expect(
		viewer.getByRole('button', { name: `Move ${CONTRACT}: drag, or press Space to lift` })
	).toBeDisabled();
	await expect(viewer.getByRole('button', { name: `Move or edit ${CONTRACT}` })).toBeDisabled();
	await expect(viewer.getByRole('button', { name: 'Add risk…' })).toHaveCount(0);
	await drag(
		viewer,
		viewer.getByRole('listitem', { name: CONTRACT }),
		column(viewer, 'Mitigated').getByRole('heading'),
		'center'
	);
	await expect(column(page, 'Owned').getByRole('listitem', { name: CONTRACT })).toBeVisible();
	await expect(column(viewer, 'Mitigated').getByRole('listitem')).toHaveText(['No risks here.']);
	await closeViewer();
	await close();
});

test('keyboard: a new risk is lifted with Space and walked across the columns with the arrows; Owned asks who; B sees each step', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	const { b, close } = await twoPeople({ browser, baseURL, page }, board);
	await openRoam(page);
	await openRoam(b);

	await page.getByRole('button', { name: 'Add risk…' }).click();
	const form = page.getByRole('dialog', { name: 'Add a risk' });
	await form.getByLabel('Title').fill('Key engineer on leave in Q2');
	await form.getByLabel('Threatens').selectOption({ label: 'Lane Partner API' });
	await form.getByRole('button', { name: 'Create risk' }).click();
	const fresh = column(b, 'New').getByRole('listitem', { name: 'Key engineer on leave in Q2' });
	await expect(fresh).toContainText('Threatens Lane Partner API');

	const handle = page.getByRole('button', { name: /^Move Key engineer on leave in Q2: drag/ });
	await handle.focus();
	await page.keyboard.press('Space');
	await page.keyboard.press('ArrowRight');
	await expect(
		column(b, 'Resolved').getByRole('listitem', { name: 'Key engineer on leave in Q2' })
	).toBeVisible();
	await page.keyboard.press('ArrowRight');
	const ask = page.getByRole('dialog', { name: 'Who owns “Key engineer on leave in Q2”?' });
	await expect(ask.getByLabel('Owner')).toBeFocused();
	await page.keyboard.type('Lena');
	await page.keyboard.press('Enter');
	const owned = column(b, 'Owned').getByRole('listitem', { name: 'Key engineer on leave in Q2' });
	await expect(owned).toContainText('Owner Lena');

	// Lifted again, on to Accepted, then Escape puts it back in Owned.
	await expect(handle).toBeFocused();
	await page.keyboard.press('Space');
	await page.keyboard.press('ArrowRight');
	await expect(
		column(b, 'Accepted').getByRole('listitem', { name: 'Key engineer on leave in Q2' })
	).toBeVisible();
	await page.keyboard.press('Escape');
	await expect(owned).toBeVisible();
	// Escape while nothing is lifted leaves the ROAM view.
	await page.keyboard.press('Escape');
	await expect(page.getByRole('region', { name: 'Risks: ROAM' })).toHaveCount(0);
	await close();
});

test('the risk badge counts risks not yet roamed, opens the ROAM view filtered to its item, and drops when the risk is roamed', async ({
	page,
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	const { b, close } = await twoPeople({ browser, baseURL, page }, board);
	const badge = (screen: typeof page, name: string) =>
		screen.getByRole('link', { name: new RegExp(`^\\d+ risks? not yet roamed on ${name}:`) });

	await expect(badge(b, 'Self-serve checkout')).toHaveAccessibleName(
		'1 risk not yet roamed on Self-serve checkout: show in the ROAM view'
	);
	await expect(badge(b, 'Self-serve growth')).toHaveText('1');
	await expect(badge(b, 'Billing platform migration')).toHaveCount(0);

	// A adds a second risk to the lane from its ⋯ menu: both counts go up.
	await page.getByRole('button', { name: 'Move or edit Self-serve checkout' }).click();
	await page.getByRole('menuitem', { name: 'Add risk…' }).click();
	const form = page.getByRole('dialog', { name: 'Add a risk' });
	await expect(form.getByLabel('Threatens')).toHaveValue(/^lane:/);
	await form.getByLabel('Title').fill('Tax rules differ per country');
	await form.getByRole('button', { name: 'Create risk' }).click();
	await expect(badge(b, 'Self-serve checkout')).toHaveText('2');
	await expect(badge(b, 'Self-serve growth')).toHaveText('2');

	// B clicks the lane's badge: the ROAM view shows only that lane's risks, and says so.
	await badge(b, 'Self-serve checkout').click();
	const roam = b.getByRole('region', { name: 'Risks: ROAM' });
	await expect(roam).toContainText('Only risks on Lane Self-serve checkout');
	await expect(column(b, 'New').getByRole('listitem')).toHaveText([
		/Payment provider contract not signed/,
		/Tax rules differ per country/
	]);
	await expect(risk(b, 'Legacy billing data quality unknown')).toHaveCount(0);

	// Roamed from the Move… menu: Accepted.
	await b.getByRole('button', { name: 'Move or edit Tax rules differ per country' }).click();
	await b.getByRole('menuitem', { name: 'To Accepted' }).click();
	await expect(
		column(b, 'Accepted').getByRole('listitem', { name: 'Tax rules differ per country' })
	).toBeVisible();
	await expect(badge(page, 'Self-serve checkout')).toHaveText('1');

	// Clearing the filter shows every risk again.
	await roam.getByRole('link', { name: 'Show all risks' }).click();
	await expect(roam).not.toContainText('Only risks on');
	await expect(risk(b, 'Legacy billing data quality unknown')).toBeVisible();
	await b.getByRole('link', { name: 'Back to the board', exact: true }).click();
	await expect(roam).toHaveCount(0);
	await expect(badge(b, 'Self-serve checkout')).toHaveText('1');
	await close();
});
