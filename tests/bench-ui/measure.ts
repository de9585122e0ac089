/**
 * The three measurements of `npm run bench:ui`, each taken in a real Chromium page against the
 * production build: first full render, frame times during a real pointer drag of a lane, and
 * the delay from a remote change being sent to the frame that shows it.
 */
import type { Browser, Page } from '@playwright/test';
import { updateLane } from '../../src/lib/model/index.ts';
import type { TestClient } from '../helpers/clients.ts';

declare global {
	interface Window {
		__firstRender?: number;
		__firstScreen?: number;
		__frames?: number[];
		__stopFrames?: boolean;
		__painted?: Promise<number>;
	}
}

export function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export const median = (values: number[]) => percentile(values, 50);

/**
 * Milliseconds from navigation start to (a) the first frame in which the screen is complete: a
 * lane is shown and no program in view is still waiting to build its lanes, and (b) the first
 * frame in which every lane row of the board is in the DOM. A rAF loop installed before any
 * page script checks each frame, so both include loading the code, syncing the board over the
 * socket, building the snapshot and rendering it.
 */
export async function firstRender(
	browser: Browser,
	url: string,
	lanes: number
): Promise<{ screen: number; all: number }> {
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	const page = await context.newPage();
	await page.addInitScript((count) => {
		const check = () => {
			if (window.__firstScreen === undefined && document.querySelector('.lane[role="row"]')) {
				const waiting = [...document.querySelectorAll('.unbuilt')].some(
					(el) => el.getBoundingClientRect().top < innerHeight
				);
				if (!waiting) window.__firstScreen = performance.now();
			}
			if (document.querySelectorAll('.lane[role="row"]').length >= count) {
				window.__firstRender = performance.now();
			} else requestAnimationFrame(check);
		};
		requestAnimationFrame(check);
	}, lanes);
	await page.goto(url);
	await page.waitForFunction(() => window.__firstRender !== undefined, null, { timeout: 60_000 });
	const ms = await page.evaluate(() => ({
		screen: window.__firstScreen!,
		all: window.__firstRender!
	}));
	await context.close();
	return ms;
}

export async function openPage(browser: Browser, url: string, lanes: number): Promise<Page> {
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	const page = await context.newPage();
	await page.goto(url);
	await page.waitForFunction(
		(n) => document.querySelectorAll('.lane[role="row"]').length >= n,
		lanes,
		{
			timeout: 60_000
		}
	);
	return page;
}

/**
 * Frame intervals (rAF to rAF, ms) while a lane is dragged by a real pointer over `rows` other
 * lanes, in small steps as a hand would. The drop at the end is not sampled.
 */
export async function dragFrames(page: Page, from: string, to: string): Promise<number[]> {
	const handle = page.getByRole('button', {
		name: `Priority 1. Move ${from}: drag, or press Space to lift`
	});
	const target = page.getByRole('row', { name: new RegExp(`: ${to}$`) });
	await handle.scrollIntoViewIfNeeded();
	const a = (await handle.boundingBox())!;
	const b = (await target.boundingBox())!;
	await page.evaluate(() => {
		window.__frames = [];
		window.__stopFrames = false;
		let last = performance.now();
		const tick = (now: number) => {
			window.__frames!.push(now - last);
			last = now;
			if (!window.__stopFrames) requestAnimationFrame(tick);
		};
		requestAnimationFrame((now) => {
			last = now;
			requestAnimationFrame(tick);
		});
	});
	await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
	await page.mouse.down();
	await page.mouse.move(a.x + a.width / 2 + 5, a.y + a.height / 2 + 5, { steps: 5 });
	await page.mouse.move(b.x + 120, b.y + b.height * 0.7, { steps: 90 });
	// Dwell over the target so the drop indicator's frames are in the sample too.
	await page.waitForTimeout(300);
	const frames = await page.evaluate(() => {
		window.__stopFrames = true;
		return window.__frames!;
	});
	await page.mouse.up();
	return frames;
}

/**
 * Milliseconds from a remote client sending a change to the first animation frame after the
 * page's DOM shows it (the frame that paints it). Node and the page share the machine's clock.
 */
export async function remotePaint(
	page: Page,
	client: TestClient,
	laneId: string,
	laneName: string,
	samples: number
): Promise<number[]> {
	const out: number[] = [];
	for (let i = 0; i < samples; i++) {
		const progress = 50 + ((i * 7) % 45) + 1;
		await page.evaluate(
			({ name, text }) => {
				const row = [...document.querySelectorAll('.lane[role="row"]')].find((r) =>
					r.getAttribute('aria-label')?.endsWith(`: ${name}`)
				)!;
				window.__painted = new Promise((resolve) => {
					const observer = new MutationObserver(() => {
						const current = [...document.querySelectorAll('.lane[role="row"]')].find((r) =>
							r.getAttribute('aria-label')?.endsWith(`: ${name}`)
						);
						if (!current?.textContent?.includes(text)) return;
						observer.disconnect();
						requestAnimationFrame(() => resolve(performance.timeOrigin + performance.now()));
					});
					observer.observe(row.closest('[role="table"]')!, {
						subtree: true,
						childList: true,
						characterData: true
					});
				});
			},
			{ name: laneName, text: `${progress}%` }
		);
		const sent = performance.timeOrigin + performance.now();
		updateLane(client.doc, { id: laneId, progress });
		const painted = await page.evaluate(() => window.__painted!);
		out.push(painted - sent);
		await page.waitForTimeout(100);
	}
	return out;
}

/**
 * Milliseconds from a keystroke in the filter box, or in the find box, to the next frame after
 * the board (or the list of matches) shows its result: "instant" is within a frame or two.
 * Each query is typed as one input event, as a paste or a fast typist's last key would arrive.
 */
export async function filterAndFind(
	page: Page,
	queries: string[]
): Promise<{ filter: number[]; find: number[] }> {
	await page.getByRole('button', { name: 'Filter', exact: true }).click();
	const filterBox = page.getByRole('form', { name: 'Filter the board' }).getByRole('searchbox');
	await filterBox.waitFor();
	const time = (selector: string, settle: string) =>
		page.evaluate(
			async ({ selector, settle, queries }) => {
				const input = document.querySelector<HTMLInputElement>(selector)!;
				const out: number[] = [];
				for (const query of [...queries, '']) {
					const start = performance.now();
					input.value = query;
					input.dispatchEvent(new Event('input', { bubbles: true }));
					// Svelte applies the change in a microtask; the frame after it paints it.
					await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
					if (query) out.push(performance.now() - start);
					document.querySelector(settle);
				}
				return out;
			},
			{ selector, settle, queries }
		);
	const filter = await time('form[aria-label="Filter the board"] input[type="search"]', '.lane');
	await page.keyboard.press('Escape');
	await page.locator('body').press('Control+k');
	const find = await time('dialog input[role="combobox"]', '[role="option"]');
	await page.keyboard.press('Escape');
	return { filter, find };
}
