/**
 * Presence across browser contexts: who is here, what they select and move, following a view,
 * and remote moves announced with the mover's name.
 *
 * A context joins under a name without the prompt by presetting localStorage
 * `railyard:name` (and `railyard:colour`, to know the colour to look for) before the page loads.
 */
import type { APIRequestContext, Browser, Locator, Page, ViewportSize } from '@playwright/test';
import { createBoard, expect, openBoard, test, type BoardRef } from './fixtures.ts';
import { within } from '../helpers/slowdown.ts';
import { announcer, drag, startDrag } from './gestures.ts';

const TESS = { name: 'Tess', colour: '#c2185b', rgb: 'rgb(194, 24, 91)' };
const BRUNO = { name: 'Bruno', colour: '#0e8a9e' };
const CLEO = { name: 'Cleo', colour: '#b7791f' };

async function join(
	browser: Browser,
	baseURL: string | undefined,
	board: BoardRef,
	who: { name: string; colour: string },
	viewport?: ViewportSize
) {
	const context = await browser.newContext({ baseURL, ...(viewport ? { viewport } : {}) });
	await context.addInitScript((preset) => {
		// Every document runs this, about:blank too, whose opaque origin has no storage.
		if (location.origin === 'null') return;
		localStorage.setItem('railyard:name', preset.name);
		localStorage.setItem('railyard:colour', preset.colour);
	}, who);
	const page = await context.newPage();
	await openBoard(page, board);
	return { page, context };
}

const people = (page: Page, count: number) =>
	page.getByRole('list', { name: `${count} ${count === 1 ? 'person' : 'people'} on this board` });

/** Tess and Bruno on a new sample board, each in a browser context of their own. */
async function tessAndBruno(
	browser: Browser,
	baseURL: string | undefined,
	request: APIRequestContext
) {
	const board = await createBoard(request, { template: 'sample' });
	return Promise.all([join(browser, baseURL, board, TESS), join(browser, baseURL, board, BRUNO)]);
}

const lane = (page: Page, priority: number, name: string) =>
	page.getByRole('row', { name: `Priority ${priority}: ${name}`, exact: true });

test('three people see each other; a closed tab is gone from the others within 5 s', async ({
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample', title: 'Presence plan' });
	const [a, b, c] = await Promise.all([
		join(browser, baseURL, board, TESS),
		join(browser, baseURL, board, BRUNO),
		join(browser, baseURL, board, CLEO)
	]);
	for (const { page } of [a, b, c]) {
		await expect(people(page, 3)).toBeVisible();
		await expect(people(page, 3).getByRole('listitem')).toHaveCount(3);
	}
	// Yourself first, marked as you; the others can be followed.
	const first = people(b.page, 3).getByRole('button').first();
	await expect(first).toHaveAccessibleName('Bruno (you): change your name');
	await expect(b.page.getByRole('button', { name: 'Tess: follow their view' })).toBeVisible();
	await expect(b.page.getByRole('button', { name: 'Cleo: follow their view' })).toBeVisible();

	await c.context.close();
	for (const { page } of [a, b]) {
		await expect(people(page, 2)).toBeVisible({ timeout: within(5_000) });
		await expect(page.getByRole('button', { name: /^Cleo/ })).toHaveCount(0);
	}
	await Promise.all([a.context.close(), b.context.close()]);
});

test('a newcomer is asked for a name without being blocked, and is a guest until then', async ({
	page,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	await openBoard(page, board);
	const you = people(page, 1).getByRole('button').first();
	await expect(you).toHaveAccessibleName(/^Guest [0-9a-f]{3} \(you\)/);
	const field = page.getByRole('textbox', { name: /Your name/ });
	await expect(field).toBeVisible();
	// The board works meanwhile: the prompt takes no focus and covers nothing.
	await expect(field).not.toBeFocused();
	await field.fill('Ines Duarte');
	await page.getByRole('button', { name: 'Join' }).click();
	await expect(you).toHaveAccessibleName('Ines Duarte (you): change your name');
	await expect(field).toBeHidden();
	expect(await page.evaluate(() => localStorage.getItem('railyard:name'))).toBe('Ines Duarte');
});

/** Whether the presence tag inside `item` overlaps any line of the item's own text. */
function tagCoversText(item: Locator): Promise<boolean> {
	return item.evaluate((element) => {
		const tag = element.querySelector('.presence-tags')!.getBoundingClientRect();
		const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
		for (let node = walker.nextNode(); node; node = walker.nextNode()) {
			if (node.parentElement?.closest('.presence-tags') || !node.textContent?.trim()) continue;
			const range = document.createRange();
			range.selectNodeContents(node);
			for (const r of range.getClientRects()) {
				const apart =
					r.right <= tag.left || r.left >= tag.right || r.bottom <= tag.top || r.top >= tag.bottom;
				if (!apart) return true;
			}
		}
		return false;
	});
}

test('A selects a card: B sees it outlined in A’s colour; A drags a lane: B sees "Tess is moving this"', async ({
	browser,
	baseURL,
	request
}) => {
	const [a, b] = await tessAndBruno(browser, baseURL, request);

	await a.page.getByText('Annual plans', { exact: true }).click();
	const card = b.page.locator('[data-item^="card:"]').filter({ hasText: 'Annual plans' });
	await expect(card).toHaveAttribute('data-presence', 'Tess');
	await expect(card).toHaveAttribute('data-presence-intent', 'selected');
	await expect(card).toHaveCSS('outline-color', TESS.rgb);
	await expect(card.getByText('Tess', { exact: true })).toBeVisible();
	// The tag names who is there without covering a word of the card: not even a long title's.
	await a.page.getByText('Checkout conversion review', { exact: true }).click();
	const long = b.page
		.locator('[data-item^="card:"]')
		.filter({ hasText: 'Checkout conversion review' });
	await expect(long.getByText('Tess', { exact: true })).toBeVisible();
	expect(await tagCoversText(long)).toBe(false);

	const handle = a.page.getByRole('button', { name: /Move Onboarding journey: drag/ });
	await startDrag(a.page, handle);
	const moving = lane(b.page, 3, 'Onboarding journey');
	await expect(moving.getByText('Tess is moving this')).toBeVisible();
	expect(await tagCoversText(moving.getByRole('rowheader'))).toBe(false);
	await b.page.screenshot({ path: 'test-results/screenshots/presence-tags.png' });
	await expect(moving).toHaveAttribute('data-presence-intent', 'dragging');
	// A's pointer shows on B's screen while it drags.
	await expect(b.page.getByTestId('cursor').filter({ hasText: 'Tess' })).toBeVisible();
	await a.page.keyboard.press('Escape');
	await a.page.mouse.up();
	await expect(b.page.getByText('Tess is moving this')).toHaveCount(0);

	// Cursors can be switched off, and that is remembered.
	await b.page.getByRole('button', { name: 'Presence options' }).click();
	await b.page.getByRole('checkbox', { name: 'Show cursors' }).uncheck();
	await expect(b.page.getByTestId('cursor')).toHaveCount(0);
	expect(await b.page.evaluate(() => localStorage.getItem('railyard:show-cursors'))).toBe('off');
	await Promise.all([a.context.close(), b.context.close()]);
});

test('follow: B follows A’s scroll until B scrolls; "Bring everyone here" makes B follow again', async ({
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	// Narrow screens, so the periods scroll sideways.
	const viewport = { width: 900, height: 700 };
	const [a, b] = await Promise.all([
		join(browser, baseURL, board, TESS, viewport),
		join(browser, baseURL, board, BRUNO, viewport)
	]);
	const scroller = (page: Page) => page.locator('[data-scroller]');
	const scrollLeft = (page: Page) => scroller(page).evaluate((el) => el.scrollLeft);

	await b.page.getByRole('button', { name: 'Tess: follow their view' }).click();
	await expect(b.page.getByRole('region', { name: 'Following Tess' })).toContainText(
		'Following Tess'
	);
	await scroller(a.page).evaluate((el) => el.scrollTo({ left: el.scrollWidth, top: 200 }));
	const far = await scrollLeft(a.page);
	expect(far).toBeGreaterThan(200);
	await expect.poll(() => scrollLeft(b.page)).toBeGreaterThan(far - 20);
	await expect.poll(() => scroller(b.page).evaluate((el) => el.scrollTop)).toBeGreaterThan(180);

	// B scrolls by itself: following stops, and A's scrolling no longer moves B.
	await scroller(b.page).hover();
	await b.page.mouse.wheel(-400, 0);
	await expect(b.page.getByRole('region', { name: 'Following Tess' })).toBeHidden();
	await expect.poll(() => scrollLeft(b.page)).toBeLessThan(far - 100);
	const mine = await scrollLeft(b.page);
	await scroller(a.page).evaluate((el) => el.scrollTo({ left: 0, top: 0 }));
	await expect.poll(() => scrollLeft(a.page)).toBe(0);
	expect(await scrollLeft(b.page)).toBe(mine);

	// A brings everyone to its view.
	await scroller(a.page).evaluate((el) => el.scrollTo({ left: el.scrollWidth, top: 0 }));
	await a.page.getByRole('button', { name: 'Presence options' }).click();
	await a.page.getByRole('button', { name: 'Bring everyone here' }).click();
	const summoned = b.page.getByRole('region', { name: 'Following Tess' });
	await expect(summoned).toContainText('Tess brought everyone here');
	await expect.poll(() => scrollLeft(b.page)).toBeGreaterThan(far - 20);
	await summoned.getByRole('button', { name: 'Stop following' }).click();
	await expect(summoned).toBeHidden();
	await Promise.all([a.context.close(), b.context.close()]);
});

test('a move by someone else is announced with their name', async ({
	browser,
	baseURL,
	request
}) => {
	const [a, b] = await tessAndBruno(browser, baseURL, request);
	const handle = a.page.getByRole('button', { name: /Move Onboarding journey: drag/ });
	await drag(a.page, handle, lane(a.page, 1, 'Self-serve checkout'), 'top');
	await expect(lane(b.page, 1, 'Onboarding journey')).toBeVisible();
	await expect(announcer(b.page)).toHaveText(
		/^Tess moved Onboarding journey to priority 1 of \d+ in Self-serve growth/
	);
	// The mover hears their own words, as before.
	await expect(announcer(a.page)).toHaveText(/^Onboarding journey moved to priority 1 of \d+/);
	await Promise.all([a.context.close(), b.context.close()]);
});

test('a move by menu or keyboard is announced with the mover’s name too, not “Someone”', async ({
	browser,
	baseURL,
	request
}) => {
	const [a, b] = await tessAndBruno(browser, baseURL, request);
	// The Move… menu: no drag, so no "is moving this" presence to take the name from.
	const menu = a.page.getByRole('button', { name: 'Move or edit Partner API' });
	await menu.click();
	await a.page.getByRole('menuitem', { name: 'Move to top priority' }).click();
	await expect(announcer(b.page)).toHaveText(
		/^Tess moved Partner API to priority 1 of \d+ in Self-serve growth/
	);
	// A card moved from its ⋯ menu, on the other screen.
	await b.page.getByRole('button', { name: 'Move or edit Setup wizard' }).click();
	await b.page.getByRole('menuitem', { name: 'To Q2 2027' }).click();
	await expect(announcer(a.page)).toHaveText(/^Bruno moved Setup wizard to /);
	await Promise.all([a.context.close(), b.context.close()]);
});

test('someone else’s move glides into place, and so do the items it pushes aside', async ({
	browser,
	baseURL,
	request
}) => {
	const [a, b] = await tessAndBruno(browser, baseURL, request);
	// Which items B's screen animates (the glide is Element.animate on the moved item).
	await b.page.evaluate(() => {
		const seen: string[] = [];
		(window as unknown as { glided: string[] }).glided = seen;
		const animate = Element.prototype.animate;
		Element.prototype.animate = function (this: Element, ...args) {
			const item = this.getAttribute('data-item');
			if (item) seen.push(item.slice(0, item.indexOf(':') + 1) + this.textContent!.trim());
			return animate.apply(this, args);
		};
	});
	const glided = () => b.page.evaluate(() => (window as unknown as { glided: string[] }).glided);
	await a.page.getByRole('button', { name: 'Move or edit Partner API' }).click();
	await a.page.getByRole('menuitem', { name: 'Move to top priority' }).click();
	await expect(lane(b.page, 1, 'Partner API')).toBeVisible();
	// The lane that moved up, and those it passed, which moved down.
	await expect
		.poll(glided)
		.toEqual(
			expect.arrayContaining([
				expect.stringMatching(/^lane:.*Partner API/),
				expect.stringMatching(/^lane:(?!.*Partner API)/)
			])
		);
	// A card moved to another period: a new element there, gliding from where it was.
	await a.page.getByRole('button', { name: 'Move or edit Setup wizard' }).click();
	await a.page.getByRole('menuitem', { name: 'To Q2 2027' }).click();
	await expect.poll(glided).toContainEqual(expect.stringMatching(/^card:.*Setup wizard/));
	await Promise.all([a.context.close(), b.context.close()]);
});

test('a cursor over a card lands on that card on a screen laid out differently', async ({
	browser,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	// A desktop and a tablet: the tablet's lane and period columns are narrower.
	const a = await join(browser, baseURL, board, TESS, { width: 1440, height: 900 });
	const b = await join(browser, baseURL, board, BRUNO, { width: 900, height: 1100 });
	const card = (page: Page) => page.getByRole('listitem').filter({ hasText: 'Webhooks' });
	await card(b.page).scrollIntoViewIfNeeded();
	await card(a.page).scrollIntoViewIfNeeded();
	const onA = (await card(a.page).boundingBox())!;
	await a.page.mouse.move(onA.x + onA.width * 0.25, onA.y + onA.height / 2, { steps: 4 });

	const cursor = b.page.getByTestId('cursor').filter({ hasText: 'Tess' });
	await expect(cursor).toBeVisible();
	await expect
		.poll(async () => {
			const tip = (await cursor.locator('svg').boundingBox())!;
			const box = (await card(b.page).boundingBox())!;
			const inside =
				tip.x >= box.x &&
				tip.x <= box.x + box.width &&
				tip.y >= box.y &&
				tip.y <= box.y + box.height;
			return inside ? 'on the card' : `at ${tip.x},${tip.y}; card at ${box.x},${box.y}`;
		})
		.toBe('on the card');
	await Promise.all([a.context.close(), b.context.close()]);
});
