import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';

/** Tests run against the server globalSetup started; its URL is only known at run time. */
export const test = base.extend({
	// eslint-disable-next-line no-empty-pattern
	baseURL: async ({}, use) => {
		const url = process.env.RAILYARD_URL;
		if (!url) throw new Error('RAILYARD_URL is not set: globalSetup did not run');
		await use(url);
	}
});

export { expect };

/** A new board made through the relay's API, for tests that are not about creating boards. */
export async function createBoard(
	request: APIRequestContext,
	opts: { template: 'empty' | 'sample'; title?: string }
): Promise<{ id: string; title: string }> {
	const response = await request.post('/api/boards', { data: opts });
	expect(response.status()).toBe(201);
	return response.json();
}

/** Open a board and wait until it is synced with the relay. */
export async function openBoard(page: Page, id: string): Promise<void> {
	await page.goto(`/b/${id}`);
	await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
}
