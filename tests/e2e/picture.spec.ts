import fs from 'node:fs';
import { createBoard, expect, openBoard, test } from './fixtures.ts';

/** Width and height from a PNG's signature and IHDR chunk; throws when it is not a PNG. */
function pngSize(bytes: Buffer): { width: number; height: number } {
	const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
	expect([...bytes.subarray(0, 8)], 'PNG signature').toEqual(signature);
	expect(bytes.subarray(12, 16).toString('latin1'), 'first chunk').toBe('IHDR');
	return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** In the page: how many colours `picture` has, and its mean difference from `shown` (0-255). */
async function compare({ picture, shown }: { picture: string; shown: string }) {
	const load = async (base64: string) => {
		const image = new Image();
		image.src = `data:image/png;base64,${base64}`;
		await image.decode();
		return image;
	};
	const [a, b] = await Promise.all([load(picture), load(shown)]);
	// Both at the screen's size: the picture is drawn down from its 2× pixels.
	const pixels = (image: HTMLImageElement) => {
		const canvas = Object.assign(document.createElement('canvas'), {
			width: b.naturalWidth,
			height: b.naturalHeight
		});
		const context = canvas.getContext('2d')!;
		context.drawImage(image, 0, 0, canvas.width, canvas.height);
		return context.getImageData(0, 0, canvas.width, canvas.height).data;
	};
	const [pa, pb] = [pixels(a), pixels(b)];
	const colours = new Set<number>();
	let difference = 0;
	for (let i = 0; i < pa.length; i += 4) {
		const [red, green, blue] = [pa[i]!, pa[i + 1]!, pa[i + 2]!];
		colours.add((red << 16) | (green << 8) | blue);
		for (let c = 0; c < 3; c++) difference += Math.abs(pa[i + c]! - pb[i + c]!);
	}
	return { colours: colours.size, meanDifference: difference / (pa.length / 4) / 3 };
}

test('Export picture (PNG): the board as it is on screen, sharp enough for a slide', async ({
	page,
	request
}) => {
	await page.setViewportSize({ width: 1440, height: 900 });
	const board = await createBoard(request, { template: 'sample', title: 'Picture me' });
	await openBoard(page, board);
	// Three more programs at the bottom, so at the board's end the first program is out of view.
	for (const name of ['Data platform', 'Mobile apps', 'Security']) {
		const field = page.getByRole('textbox', { name: 'Add program' });
		if (!(await field.isVisible())) await page.getByRole('button', { name: 'Add program' }).click();
		await field.fill(name);
		await page.keyboard.press('Enter');
		await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
	}
	await page.keyboard.press('Escape');
	const scroller = page.locator('[data-scroller]');
	// Scrolled into the plan (the dependency lines in view), then to its end (the first program
	// out of view, left out of the copy): the picture shows what is in view, not the board's top.
	for (const [at, scrollTop] of [
		['middle', 500],
		['end', 100_000]
	] as const) {
		await scroller.evaluate((element, top) => element.scrollTo(0, top), scrollTop);
		const view = await scroller.evaluate((element) => ({
			width: element.clientWidth,
			height: element.clientHeight
		}));
		await page.mouse.move(0, 0);
		const screen = await scroller.screenshot({ animations: 'disabled' });

		await page.getByRole('button', { name: 'Board actions' }).click();
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('menuitem', { name: 'Export picture (PNG)' }).click()
		]);
		expect(download.suggestedFilename()).toBe('Picture me.png');
		const bytes = fs.readFileSync(await download.path());
		fs.mkdirSync('test-results/screenshots', { recursive: true });
		fs.writeFileSync(`test-results/screenshots/picture-${at}.png`, bytes);
		fs.writeFileSync(`test-results/screenshots/picture-${at}-screen.png`, screen);
		// Two image pixels per CSS pixel (this browser's ratio is 1), the grid's visible area.
		expect(pngSize(bytes)).toEqual({ width: view.width * 2, height: view.height * 2 });

		// Decoded by the browser: not blank, and the same picture as the screen (the ⋯ and add
		// buttons the export leaves out are all that may differ).
		const compared = await page.evaluate(compare, {
			picture: bytes.toString('base64'),
			shown: screen.toString('base64')
		});
		expect(compared.colours, `colours (${at})`).toBeGreaterThan(200);
		expect(compared.meanDifference, `difference from the screen (${at})`).toBeLessThan(5);
	}
});

test('Print: A3 landscape, every program, none of the app chrome', async ({ page, request }) => {
	const board = await createBoard(request, { template: 'sample', title: 'Print me' });
	await openBoard(page, board);
	await page.emulateMedia({ media: 'print' });
	// Every program and lane is laid out (the screen shows only what is near the view).
	const rows = page.getByRole('row', { name: /^Priority \d+: / });
	await expect(rows).toHaveCount(6);
	await expect(page.getByRole('heading', { name: 'Platform reliability', level: 2 })).toBeVisible();
	for (const chrome of ['Add program', 'Share', 'Board actions', 'Undo', 'Add lane', 'Add card']) {
		const shown = page.getByRole('button', { name: chrome }).filter({ visible: true });
		await expect(shown, `${chrome} is not printed`).toHaveCount(0);
	}
	await page.screenshot({ path: 'test-results/screenshots/print-a3.png', fullPage: true });

	// The PDF Chromium makes of it: A3 landscape pages (the stylesheet's @page), the plan on them.
	const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
	const text = pdf.toString('latin1');
	const boxes = [...text.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map(
		([, width, height]) => [Math.round(Number(width)), Math.round(Number(height))]
	);
	expect(boxes.length).toBeGreaterThan(0);
	// A3 is 420 × 297 mm: 1191 × 842 points, landscape.
	for (const box of boxes) expect(box).toEqual([1191, 842]);
	fs.writeFileSync('test-results/screenshots/print.pdf', pdf);
});
