/** Pointer and reading helpers for the board's e2e tests: real drags, lane order as shown. */
import type { Locator, Page } from '@playwright/test';

async function box(locator: Locator) {
	const rect = await locator.boundingBox();
	if (!rect) throw new Error(`${locator} is not visible`);
	return rect;
}

/**
 * A real pointer drag (native HTML5 drag and drop under Playwright): press on `from`, travel in
 * steps, release over `to` near its `where` edge.
 */
export async function drag(
	page: Page,
	from: Locator,
	to: Locator,
	where: 'top' | 'bottom' | 'center' = 'center'
): Promise<void> {
	await startDrag(page, from);
	await hoverTarget(page, to, where);
	await page.mouse.up();
}

export async function startDrag(page: Page, from: Locator): Promise<void> {
	await from.scrollIntoViewIfNeeded();
	const a = await box(from);
	await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
	await page.mouse.down();
	await page.mouse.move(a.x + a.width / 2 + 4, a.y + a.height / 2 + 6, { steps: 3 });
}

export async function hoverTarget(
	page: Page,
	to: Locator,
	where: 'top' | 'bottom' | 'center'
): Promise<void> {
	// A hand reaches only what is on screen: with load bars and estimates a lane is taller, and
	// the target may sit below the fold while the dragged item is in view.
	await to.scrollIntoViewIfNeeded();
	const b = await box(to);
	const y =
		where === 'top'
			? b.y + b.height * 0.2
			: where === 'bottom'
				? b.y + b.height * 0.8
				: b.y + b.height / 2;
	await page.mouse.move(b.x + Math.min(b.width / 2, 120), y, { steps: 8 });
}

/** Every lane on the screen, top to bottom, as its row's name: "Priority 2: Billing". */
export function laneRows(page: Page): Promise<string[]> {
	return page
		.locator('.lane[role="row"]')
		.evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-label') ?? ''));
}

export function announcer(page: Page): Locator {
	return page.getByTestId('announcer');
}
