/**
 * The three measurements of `npm run bench:ui`, each taken in a real Chromium page against the
 * production build: first full render, frame times during a real pointer drag of a lane, and
 * the delay from a remote change being sent to the frame that shows it.
 */
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { moveCard, updateLane } from '../../src/lib/model/index.ts';
import type { TestClient } from '../helpers/clients.ts';

declare global {
	interface Window {
		__firstRender?: number;
		__firstScreen?: number;
		__frames?: number[];
		__stopFrames?: boolean;
		__painted?: Promise<number>;
		__syncArrivals?: number[];
		__previewSeen?: boolean;
		__shift?: number;
		__merged?: number;
		__sameLane?: boolean;
		__laneAt?: number;
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

/**
 * A repeat visit: the board opened once in this browser (its IndexedDB copy written), a change
 * made remotely meanwhile (lane `laneId`'s progress), then opened again by its address alone (the
 * browser holds the link). Milliseconds from navigation to the complete first screen, and to the
 * frame showing the remote change (the live state merged); when the cached copy and the relay's
 * state arrived (the page's `railyard:*` user-timing marks); whether the first-screen lane row
 * is still the same element after the merge (not rebuilt); and the layout shift from the first
 * screen until after the merge (Chromium's layout-shift score: 0 is no visible jump).
 */
export async function repeatVisit(
	browser: Browser,
	url: string,
	lanes: number,
	change: { client: TestClient; laneId: string; laneName: string; progress: number }
): Promise<{
	screen: number;
	merged: number;
	cacheLoaded: number;
	synced: number;
	sameLane: boolean;
	shift: number;
	/** The first frame with a lane row in it (the screen may still be building). */
	laneAt: number;
}> {
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	const first = await context.newPage();
	await first.goto(url);
	await first.waitForFunction(
		(n) => document.querySelectorAll('.lane[role="row"]').length >= n,
		lanes,
		{
			timeout: 60_000
		}
	);
	const boardId = new URL(url).pathname.split('/').pop()!;
	// The copy is written: y-indexeddb stored the first sync's update.
	await first.waitForFunction(
		(name) =>
			new Promise<boolean>((resolve) => {
				const open = indexedDB.open(name);
				open.onsuccess = () => {
					const count = open.result.transaction('updates').objectStore('updates').count();
					count.onsuccess = () => resolve(count.result > 0);
					count.onerror = () => resolve(false);
				};
				open.onerror = () => resolve(false);
			}),
		`railyard:board:${boardId}`,
		{ timeout: 30_000 }
	);
	await first.close();
	updateLane(change.client.doc, { id: change.laneId, progress: change.progress });

	const page = await context.newPage();
	await page.addInitScript(
		({ name, text }) => {
			window.__shift = 0;
			new PerformanceObserver((list) => {
				for (const entry of list.getEntries() as (PerformanceEntry & {
					value: number;
					hadRecentInput: boolean;
				})[]) {
					if (window.__firstScreen !== undefined && !entry.hadRecentInput) {
						window.__shift! += entry.value;
					}
				}
			}).observe({ type: 'layout-shift', buffered: true });
			let lane: Element | null = null;
			const check = () => {
				if (document.querySelector('.lane[role="row"]')) window.__laneAt ??= performance.now();
				if (window.__firstScreen === undefined && document.querySelector('.lane[role="row"]')) {
					const waiting = [...document.querySelectorAll('.unbuilt')].some(
						(el) => el.getBoundingClientRect().top < innerHeight
					);
					if (!waiting) {
						window.__firstScreen = performance.now();
						lane = document.querySelector('.lane[role="row"]');
					}
				}
				const row = [...document.querySelectorAll('.lane[role="row"]')].find((r) =>
					r.getAttribute('aria-label')?.endsWith(`: ${name}`)
				);
				if (window.__firstScreen !== undefined && row?.textContent?.includes(text)) {
					window.__merged = performance.now();
					window.__sameLane = lane !== null && lane.isConnected;
				} else requestAnimationFrame(check);
			};
			requestAnimationFrame(check);
		},
		{ name: change.laneName, text: `${change.progress}%` }
	);
	await page.goto(url.replace(/#.*/, ''));
	await page.waitForFunction(() => window.__merged !== undefined, null, { timeout: 60_000 });
	// Anything the merge moves shows within a few frames of it.
	await page.waitForTimeout(500);
	const result = await page.evaluate(() => {
		const at = (name: string) => performance.getEntriesByName(`railyard:${name}`)[0]?.startTime;
		return {
			screen: window.__firstScreen!,
			merged: window.__merged!,
			cacheLoaded: at('cache-loaded') ?? NaN,
			synced: at('synced') ?? NaN,
			sameLane: window.__sameLane === true,
			shift: window.__shift ?? 0,
			laneAt: window.__laneAt ?? NaN
		};
	});
	await context.close();
	return result;
}

/**
 * Records when each sync message (y-websocket's type 0, a document update) reaches the pages of
 * `context`: the start of "after receipt" for remoteLinePaint. One listener, ahead of the
 * provider's own; installed before the page loads.
 */
export async function watchSyncArrivals(context: BrowserContext): Promise<void> {
	await context.addInitScript(() => {
		window.__syncArrivals = [];
		const Native = window.WebSocket;
		window.WebSocket = class extends Native {
			constructor(...args: ConstructorParameters<typeof WebSocket>) {
				super(...args);
				this.addEventListener('message', (event: MessageEvent) => {
					if (event.data instanceof ArrayBuffer && new Uint8Array(event.data)[0] === 0)
						window.__syncArrivals!.push(performance.timeOrigin + performance.now());
				});
			}
		};
	});
}

export async function openPage(browser: Browser, url: string, lanes: number): Promise<Page> {
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	await watchSyncArrivals(context);
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

/** Records rAF-to-rAF intervals until `stopFrames`. */
async function startFrames(page: Page): Promise<void> {
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
}

function stopFrames(page: Page): Promise<number[]> {
	return page.evaluate(() => {
		window.__stopFrames = true;
		return window.__frames!;
	});
}

/**
 * Frame intervals while a card with dependencies is dragged by a real pointer across the
 * periods of its lane, the live preview (line health and cell loads) recomputed at every cell
 * it passes. Also whether a preview was seen on screen before the drop (it must be).
 */
export async function cardDragFrames(
	page: Page,
	cardId: string,
	laneId: string,
	toPeriod: number
): Promise<{ frames: number[]; previewSeen: boolean }> {
	const card = page.locator(`[data-item="card:${cardId}"]`);
	await card.scrollIntoViewIfNeeded();
	const target = page.locator(`[data-item="lane:${laneId}"] > [role="cell"]`).nth(toPeriod);
	const a = (await card.boundingBox())!;
	const b = (await target.boundingBox())!;
	await page.evaluate(() => {
		window.__previewSeen = false;
		// Only what changed is looked at: a query of the whole 5,000-card document on every
		// mutation cost the frames being measured ~10 ms each until the preview showed.
		const selector = '[data-preview], .load.preview';
		const is = (node: Node) => node instanceof Element && node.matches(selector);
		const holds = (node: Node) =>
			is(node) || (node instanceof Element && node.querySelector(selector) !== null);
		const observer = new MutationObserver((records) => {
			const seen = records.some((r) =>
				r.type === 'attributes' ? is(r.target) : [...r.addedNodes].some(holds)
			);
			if (seen) {
				window.__previewSeen = true;
				observer.disconnect();
			}
		});
		observer.observe(document.body, { subtree: true, childList: true, attributes: true });
	});
	await startFrames(page);
	await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
	await page.mouse.down();
	await page.mouse.move(a.x + a.width / 2 + 5, a.y + a.height / 2 + 5, { steps: 5 });
	await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 90 });
	await page.waitForTimeout(300);
	const frames = await stopFrames(page);
	const previewSeen = await page.evaluate(() => window.__previewSeen === true);
	await page.keyboard.press('Escape');
	await page.mouse.up();
	return { frames, previewSeen };
}

/**
 * Milliseconds to the first frame after a card's dependency line (`dependencyId`) is redrawn to
 * the card's new place, a remote client having moved it: from the client's call (which on a
 * 5,000-card board itself takes ~10 ms to work out the move, then the relay passes it on), and
 * from the update's arrival in the page (its context watched by watchSyncArrivals).
 */
export async function remoteLinePaint(
	page: Page,
	client: TestClient,
	card: { id: string; laneId: string; periods: [string, string] },
	dependencyId: string,
	samples: number
): Promise<{ fromSend: number[]; fromReceipt: number[] }> {
	const out = { fromSend: [] as number[], fromReceipt: [] as number[] };
	for (let i = 0; i < samples; i++) {
		const arrived = await page.evaluate(() => window.__syncArrivals!.length);
		await page.evaluate((id) => {
			const line = () => document.querySelector(`g[data-dependency="${CSS.escape(id)}"] path.hit`);
			const before = line()?.getAttribute('d');
			window.__painted = new Promise((resolve) => {
				const observer = new MutationObserver(() => {
					const d = line()?.getAttribute('d');
					if (!d || d === before) return;
					observer.disconnect();
					requestAnimationFrame(() => resolve(performance.timeOrigin + performance.now()));
				});
				observer.observe(document.querySelector('svg.dependency-lines')!, {
					subtree: true,
					childList: true,
					attributes: true
				});
			});
		}, dependencyId);
		const sent = performance.timeOrigin + performance.now();
		moveCard(client.doc, {
			id: card.id,
			laneId: card.laneId,
			periodId: card.periods[(i + 1) % 2]!,
			index: 0
		});
		const painted = await page.evaluate(() =>
			Promise.race([
				window.__painted!,
				new Promise<number>((_, reject) =>
					setTimeout(() => reject(new Error('the line was not redrawn within 10 s')), 10_000)
				)
			])
		);
		const received = await page.evaluate((n) => window.__syncArrivals![n], arrived);
		if (received === undefined) throw new Error('no sync message reached the page');
		out.fromSend.push(painted - sent);
		out.fromReceipt.push(painted - received);
		await page.waitForTimeout(150);
	}
	return out;
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
	await startFrames(page);
	await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
	await page.mouse.down();
	await page.mouse.move(a.x + a.width / 2 + 5, a.y + a.height / 2 + 5, { steps: 5 });
	await page.mouse.move(b.x + 120, b.y + b.height * 0.7, { steps: 90 });
	// Dwell over the target so the drop indicator's frames are in the sample too.
	await page.waitForTimeout(300);
	const frames = await stopFrames(page);
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

/**
 * How many compositor layers the page has as it stands (Chromium's layer tree, over CDP). Every
 * frame that paints pays to sort its paint into these (the trace's "Layerize"), so a rule that
 * makes each card a layer of its own costs every drag, scroll and remote change.
 */
export async function compositedLayers(page: Page): Promise<number> {
	const cdp = await page.context().newCDPSession(page);
	try {
		const layers = new Promise<number>((resolve) =>
			cdp.on('LayerTree.layerTreeDidChange', (event) => {
				if (event.layers) resolve(event.layers.length);
			})
		);
		await cdp.send('LayerTree.enable');
		// A tiny scroll and back makes the page commit a frame, which reports the tree.
		await page.mouse.wheel(0, 1);
		await page.mouse.wheel(0, -1);
		return await Promise.race([
			layers,
			new Promise<number>((_, reject) =>
				setTimeout(() => reject(new Error('no layer tree was reported within 10 s')), 10_000)
			)
		]);
	} finally {
		await cdp.detach();
	}
}
