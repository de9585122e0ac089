/** Shared steps of the objectives and ROAM specs: a viewer's link, the ROAM view's parts. */
import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { expect, openBoard, type BoardRef } from './fixtures.ts';

/** A view-only link to `board`, made with its owner's token, opened in a browser of its own. */
export async function openAsViewer(
	opts: { browser: Browser; baseURL: string | undefined; request: APIRequestContext },
	board: BoardRef & { token?: string }
): Promise<{ viewer: Page; close: () => Promise<void> }> {
	const response = await opts.request.post(`/api/boards/${board.id}/links`, {
		headers: { authorization: `Bearer ${board.token}` },
		data: { role: 'viewer', label: 'Projector' }
	});
	expect(response.status()).toBe(201);
	const { token } = (await response.json()) as { token: string };
	const context = await opts.browser.newContext({ baseURL: opts.baseURL });
	const viewer = await context.newPage();
	await openBoard(viewer, { id: board.id, token });
	return { viewer, close: () => context.close() };
}

export function openRoam(page: Page) {
	return page.getByRole('link', { name: /^Risks: \d+ not yet roamed$/ }).click();
}

export function column(page: Page, name: string) {
	return page.getByRole('region', { name: new RegExp(`^${name} \\d+$`) });
}

export function risk(page: Page, title: string) {
	return page.getByRole('listitem', { name: title, exact: true });
}
