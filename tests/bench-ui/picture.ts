/**
 * How long "Export picture (PNG)" takes, on the sample board and on the 5,000-card board
 * (tests/bench-ui/board.ts), in the built app: from the menu click to the browser's download.
 * `npm run build && node tests/bench-ui/picture.ts`. Prints medians of RUNS and their ratio.
 */
import { chromium, type Page } from '@playwright/test';
import { startRelayProcess } from '../helpers/relay-process.ts';
import { createBoardOver, ownerToken } from '../helpers/relay.ts';
import { BIG, buildBoard } from './board.ts';

const RUNS = 5;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

async function exportOnce(page: Page): Promise<{ ms: number; bytes: number }> {
	await page.getByRole('button', { name: 'Board actions' }).click();
	const started = performance.now();
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('menuitem', { name: 'Export picture (PNG)' }).click()
	]);
	const ms = performance.now() - started;
	const stream = await download.createReadStream();
	let bytes = 0;
	for await (const chunk of stream) bytes += (chunk as Buffer).length;
	return { ms, bytes };
}

const relay = await startRelayProcess({ env: { LOG_LEVEL: 'warn' } }).catch(() =>
	startRelayProcess()
);
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking']
});
try {
	const syncUrl = `${relay.url.replace(/^http/, 'ws')}/sync`;
	const sampleId = await createBoardOver(relay.url, 'sample', 'Sample');
	const bigId = await createBoardOver(relay.url, 'empty', 'Big board');
	const bigClient = await buildBoard(syncUrl, bigId, BIG);
	const results: Record<string, { ms: number; bytes: number }> = {};
	for (const [name, id] of [
		['sample', sampleId],
		['big', bigId]
	] as const) {
		const page = await browser.newPage({
			viewport: { width: 1440, height: 900 },
			acceptDownloads: true
		});
		await page.goto(`${relay.url}/b/${id}#token=${encodeURIComponent(ownerToken(id))}`);
		await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 120_000 });
		await page
			.getByRole('row', { name: /^Priority 1: / })
			.first()
			.waitFor();
		// Into the middle of the board: on the big one, programs above and below are out of view.
		await page
			.locator('[data-scroller]')
			.evaluate((element) => element.scrollTo(0, element.scrollHeight / 2));
		await page.waitForTimeout(500);
		const runs = [];
		for (let i = 0; i < RUNS; i++) runs.push(await exportOnce(page));
		results[name] = { ms: median(runs.map((r) => r.ms)), bytes: median(runs.map((r) => r.bytes)) };
		console.log(name, runs.map((r) => Math.round(r.ms)).join(' '), 'ms');
		await page.close();
	}
	console.log(
		JSON.stringify({
			...results,
			ratio: Number((results.big!.ms / results.sample!.ms).toFixed(2))
		})
	);
	bigClient.destroy();
} finally {
	await browser.close();
	await relay.stop();
}
