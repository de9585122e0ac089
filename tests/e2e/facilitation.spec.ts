/**
 * Running a workshop, in four browsers at once: a facilitator (the board's owner, "Ana") and
 * three participants with an editor link, one of them on a laptop whose clock is an hour fast.
 * The timer's end is the relay's, so every screen counts down the same; a structure lock is
 * shown to everyone, and a participant's lane drag goes nowhere on any screen.
 */
import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { boardPath, createBoard, expect, test } from './fixtures.ts';
import { drag, laneRows } from './gestures.ts';

async function editorLink(request: APIRequestContext, board: { id: string; token?: string }) {
	const response = await request.post(`/api/boards/${board.id}/links`, {
		headers: { authorization: `Bearer ${board.token}` },
		data: { role: 'editor', label: 'Workshop' }
	});
	expect(response.status()).toBe(201);
	return ((await response.json()) as { token: string }).token;
}

/** A person in a browser of their own, named before the page loads; `skewMs` puts their clock off. */
async function person(
	browser: Browser,
	baseURL: string | undefined,
	opts: { name: string; board: { id: string; token?: string }; skewMs?: number }
): Promise<Page> {
	const context = await browser.newContext({ baseURL });
	await context.addInitScript(
		({ name, skewMs }) => {
			// Every document runs this, about:blank too, whose opaque origin has no storage.
			if (location.origin === 'null') return;
			localStorage.setItem('railyard:name', name);
			if (skewMs) {
				const real = Date.now;
				Date.now = () => real() + skewMs;
			}
		},
		{ name: opts.name, skewMs: opts.skewMs ?? 0 }
	);
	const page = await context.newPage();
	await page.goto(boardPath(opts.board));
	await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
	return page;
}

async function workshop(browser: Browser, baseURL: string | undefined, request: APIRequestContext) {
	// Four people, each opening the board in turn: on a slow machine these tests ran 60-90 s
	// against a 90 s limit.
	test.slow();
	const board = await createBoard(request, { template: 'sample' });
	const token = await editorLink(request, board);
	const participantBoard = { id: board.id, token };
	// One after another: four pages loading at once on a busy two-core machine is its own test.
	const ana = await person(browser, baseURL, { name: 'Ana', board });
	const ed = await person(browser, baseURL, { name: 'Ed', board: participantBoard });
	const flo = await person(browser, baseURL, {
		name: 'Flo',
		board: participantBoard,
		skewMs: 3_600_000
	});
	const gus = await person(browser, baseURL, { name: 'Gus', board: participantBoard });
	const close = () => Promise.all([ana, ed, flo, gus].map((p) => p.context().close()));
	return { ana, participants: [ed, flo, gus], close };
}

function seconds(text: string): number {
	const [m, s] = text.split(':').map(Number);
	return m! * 60 + s!;
}

/** The owner opens the facilitator bar from the board menu. */
async function facilitate(page: Page) {
	await page.getByRole('button', { name: 'Board actions' }).click();
	await page.getByRole('menuitem', { name: 'Facilitate the workshop' }).click();
}

test('a facilitator starts a 2-minute timer and every screen shows the same time left', async ({
	browser,
	baseURL,
	request
}) => {
	const { ana, participants, close } = await workshop(browser, baseURL, request);
	const everyone = [ana, ...participants];
	// Only the facilitator has the bar (the owner opens it from the board menu).
	for (const p of participants) {
		await p.getByRole('button', { name: 'Board actions' }).click();
		await expect(p.getByRole('menuitem', { name: 'Present on a projector (P)' })).toBeVisible();
		await expect(p.getByRole('menuitem', { name: 'Facilitate the workshop' })).toHaveCount(0);
		await p.keyboard.press('Escape');
	}
	await facilitate(ana);
	const bar = ana.getByRole('region', { name: 'Facilitator controls' });
	await bar.getByPlaceholder(/Agenda item/).fill('Team breakout');
	await bar.getByRole('button', { name: '2 min' }).click();
	await bar.getByRole('button', { name: 'Start' }).click();

	for (const p of everyone) {
		await expect(p.getByRole('timer', { name: 'Workshop timer: Team breakout' })).toBeVisible();
	}
	// Read every screen at (nearly) the same moment: within 1 s of each other.
	const shown = await Promise.all(
		everyone.map((p) => p.getByTestId('timer-remaining').textContent())
	);
	const left = shown.map((text) => seconds(text ?? ''));
	expect(
		Math.max(...left) - Math.min(...left),
		`screens show ${shown.join(', ')}`
	).toBeLessThanOrEqual(1);
	expect(Math.min(...left)).toBeGreaterThan(100);
	expect(Math.max(...left)).toBeLessThanOrEqual(120);

	// Pause holds every screen still; the participants cannot pause (they have no controls).
	await bar.getByRole('button', { name: 'Pause' }).click();
	for (const p of everyone) await expect(p.getByTestId('timer')).toContainText('Paused');
	await close();
});

test('a structure lock: a participant’s lane drag is refused with the reason, nothing moves anywhere', async ({
	browser,
	baseURL,
	request
}) => {
	const { ana, participants, close } = await workshop(browser, baseURL, request);
	const [ed] = participants as [Page, ...Page[]];
	const everyone = [ana, ...participants];
	const before = await laneRows(ana);
	await facilitate(ana);
	const bar = ana.getByRole('region', { name: 'Facilitator controls' });
	await bar.getByPlaceholder(/Agenda item/).fill('Fill in your cards');
	await bar.getByRole('button', { name: '15 min' }).click();
	await bar.getByRole('button', { name: 'Start' }).click();
	await bar.getByRole('button', { name: 'Lock structure' }).click();
	for (const p of everyone) {
		await expect(p.getByTestId('lock-banner')).toContainText('Structure locked by Ana');
	}

	const handle = ed.getByRole('button', { name: /Move Onboarding journey: drag/ });
	await expect(handle).toBeDisabled();
	await expect(handle).toHaveAttribute('title', 'Structure locked by Ana');
	const top = ed.getByRole('row', { name: 'Priority 1: Self-serve checkout', exact: true });
	await drag(ed!, handle, top, 'top');
	// Renaming a lane is structure too: the reason is said where the person tried.
	await ed.getByRole('button', { name: 'Partner API', exact: true }).dblclick();
	await expect(
		ed.getByRole('alert').filter({ hasText: 'That change could not be made' })
	).toContainText('Structure locked by Ana');
	await expect(ed.getByRole('textbox', { name: 'Lane name' })).toHaveCount(0);

	for (const p of everyone) expect(await laneRows(p)).toEqual(before);

	await ana.screenshot({ path: 'test-results/screenshots/facilitation.png' });
	await close();
});
