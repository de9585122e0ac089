import { createBoard, expect, openBoard, test } from './fixtures.ts';

/**
 * The home page lists the boards this browser holds a link for (HeldBoards). A link that stops
 * working says why and can be forgotten, for good; the others still open their board.
 */
test('your boards: a revoked link says so and is forgotten; a working one opens', async ({
	page,
	request,
	pageErrors
}) => {
	pageErrors.allow(/status of 403 \(Forbidden\) \(.*\/api\/boards\//, 'revoked on purpose');
	const kept = await createBoard(request, { template: 'empty', title: 'Kept plan' });
	const shared = await createBoard(request, { template: 'empty', title: 'Shared plan' });
	const made = await request.post(`/api/boards/${shared.id}/links`, {
		headers: { authorization: `Bearer ${shared.token}` },
		data: { role: 'editor', label: 'For the home test' }
	});
	const { token, link } = (await made.json()) as { token: string; link: { id: string } };

	await openBoard(page, kept);
	await openBoard(page, { id: shared.id, token });
	await page.goto('/');
	const list = page.getByRole('region', { name: 'Your boards' });
	await expect(list.getByRole('link')).toHaveText(['Shared plan', 'Kept plan']);
	await expect(list.getByRole('listitem').first()).toContainText('Can edit');

	const revoked = await request.delete(`/api/boards/${shared.id}/links/${link.id}`, {
		headers: { authorization: `Bearer ${shared.token}` }
	});
	expect(revoked.ok()).toBe(true);
	await page.reload();
	const dead = list.getByRole('listitem').filter({ hasText: 'Shared plan' });
	await expect(dead).toContainText('This link has been revoked');
	await expect(dead.getByRole('link')).toHaveCount(0);
	await dead.getByRole('button', { name: 'Forget Shared plan' }).press('Enter');
	await expect(list.getByRole('listitem')).toHaveCount(1);
	// The keyboard is not dropped on the page: it lands on the row that took the forgotten one's place.
	await expect(list.getByRole('link', { name: 'Kept plan' })).toBeFocused();
	// Forgotten for good: after a reload only the working link is listed, dead or alive.
	await page.reload();
	await expect(list.getByRole('link')).toHaveText(['Kept plan']);
	await expect(list.getByRole('listitem')).toHaveCount(1);

	await list.getByRole('link', { name: 'Kept plan' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
});
