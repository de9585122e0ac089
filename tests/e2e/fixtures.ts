import { execFileSync } from 'node:child_process';
import {
	test as base,
	expect,
	type APIRequestContext,
	type Browser,
	type BrowserContext,
	type Page
} from '@playwright/test';

/**
 * Console errors and uncaught exceptions seen in any page of a test. A test that provokes one on
 * purpose (a refused link makes the browser log the 401) says which with `allow`, narrowly.
 */
export interface PageErrors {
	allow(pattern: RegExp, why: string): void;
}

function watch(context: BrowserContext, problems: string[], allowed: RegExp[]): void {
	context.on('weberror', (error) => problems.push(`uncaught: ${error.error().message}`));
	context.on('console', (message) => {
		if (message.type() !== 'error') return;
		const text = `${message.text()} (${message.location().url})`;
		if (!allowed.some((pattern) => pattern.test(text))) problems.push(`console error: ${text}`);
	});
}

/** Tests run against the server globalSetup started; its URL is only known at run time. */
export const test = base.extend<{ pageErrors: PageErrors }>({
	// eslint-disable-next-line no-empty-pattern
	baseURL: async ({}, use) => {
		const url = process.env.RAILYARD_URL;
		if (!url) throw new Error('RAILYARD_URL is not set: globalSetup did not run');
		await use(url);
	},
	// Every test fails on a console error or uncaught exception in any of its pages: the default
	// context and every context it opens itself (twoPeople, a viewer, a stranger).
	pageErrors: [
		async ({ context, browser }, use) => {
			const problems: string[] = [];
			const allowed: RegExp[] = [];
			watch(context, problems, allowed);
			const newContext = browser.newContext.bind(browser);
			browser.newContext = async (options) => {
				const opened = await newContext(options);
				watch(opened, problems, allowed);
				return opened;
			};
			try {
				await use({ allow: (pattern) => allowed.push(pattern) });
			} finally {
				browser.newContext = newContext;
			}
			expect(problems, 'console errors or uncaught exceptions in the pages').toEqual([]);
		},
		{ auto: true }
	]
});

export { expect };

/** A board and the link token that opens it (the owner's, from `createBoard`). */
export interface BoardRef {
	id: string;
	token?: string;
}

/** A new board made through the relay's API, for tests that are not about creating boards. */
export async function createBoard(
	request: APIRequestContext,
	opts: { template: 'empty' | 'sample'; title?: string }
): Promise<{ id: string; title: string; token?: string }> {
	const response = await request.post('/api/boards', { data: opts });
	expect(response.status()).toBe(201);
	const body = (await response.json()) as { id: string; title: string; owner?: { token: string } };
	return { id: body.id, title: body.title, token: body.owner?.token };
}

/** The page address that opens `board` with its link. */
export function boardPath(board: BoardRef): string {
	return `/b/${board.id}` + (board.token ? `#token=${encodeURIComponent(board.token)}` : '');
}

/** Open a board and wait until it is synced with the relay. */
export async function openBoard(page: Page, board: BoardRef): Promise<void> {
	await page.goto(boardPath(board));
	await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
}

/**
 * A second person on `board` (with `link`, by default the same one), in a browser context of
 * their own, opened together with `page`; both are synced when it resolves.
 */
export async function twoPeople(
	opts: { browser: Browser; baseURL: string | undefined; page: Page },
	board: BoardRef,
	link: BoardRef = board
): Promise<{ b: Page; close: () => Promise<void> }> {
	const context = await opts.browser.newContext({ baseURL: opts.baseURL });
	const b = await context.newPage();
	await Promise.all([openBoard(opts.page, board), openBoard(b, link)]);
	return { b, close: () => context.close() };
}

/** Runs the admin CLI (`npm run railyard -- …`) against the test server's data, as its operator would. */
export function railyardCli(...args: string[]): string {
	const dataDir = process.env.RAILYARD_DATA_DIR;
	if (!dataDir) throw new Error('RAILYARD_DATA_DIR is not set: globalSetup did not run');
	return execFileSync(process.execPath, ['server/cli.ts', ...args], {
		env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
		encoding: 'utf8'
	});
}
