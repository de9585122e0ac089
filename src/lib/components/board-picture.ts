/**
 * "Export picture (PNG)": the board grid as it is on screen — the rows in view, scrolled as
 * they are, period headers and lane names where they stick — for a slide. Drawn by
 * modern-screenshot (README "Dependencies, and why"): the browser itself lays the copied DOM out
 * in an SVG foreignObject, so CSS variables, light-dark() colours, the SVG dependency lines and
 * the page's fonts come out as on screen. At least 2 image pixels per CSS pixel, so it stays
 * sharp on a projector.
 *
 * Editing chrome (⋯ and detail buttons, grips, add buttons, empty "+ owner" chips, cursors,
 * presence tags) is made invisible, not removed, so nothing moves; what carries information (the
 * objectives summary, estimates, health) stays. Presentation mode and the print stylesheet
 * (app.css) leave out the same.
 */
const CHROME = [
	'.icon-button',
	'.menu-button',
	'.card-menu',
	'.program-actions',
	'.grip',
	'.connector',
	'.inline-add',
	'.cursors',
	'.presence-tags',
	'.cell .add',
	// The cell's capacity handle, shown while the pointer is over the cell.
	'.cell-load > .inline-value',
	// An empty field's invitation ("+ owner"), as presentation mode leaves it out.
	"[data-display^='+ ']"
].join(', ');

/** Keeps the image inside what every browser's canvas can hold (Chromium: 16384 px a side). */
const MAX_SIDE = 16_000;

export interface BoardPicture {
	blob: Blob;
	/** Image pixels (not CSS pixels). */
	width: number;
	height: number;
}

export async function boardPicture(scroller: HTMLElement): Promise<BoardPicture> {
	const { domToCanvas } = await import('modern-screenshot');
	const view = scroller.getBoundingClientRect();
	const width = scroller.clientWidth;
	const height = scroller.clientHeight;
	const scale = Math.min(Math.max(2, devicePixelRatio), MAX_SIDE / Math.max(width, height, 1));

	// Only what is in view is copied: programs out of view are left out, and so are the rows
	// (program head, load, lanes) of those in view that are, and the dependency lines that do not
	// cross the view. Everything left out above the
	// view shortens the copy by its height: the copy scrolls that much less, and the lines move up
	// with the rows they join.
	const inView = (element: Element) => {
		const box = element.getBoundingClientRect();
		return (
			box.bottom > view.top &&
			box.top < view.bottom &&
			box.right > view.left &&
			box.left < view.right
		);
	};
	const left = new Set<Element>();
	let removedAbove = 0;
	const cull = (elements: Iterable<Element>, within: (element: Element) => void) => {
		for (const element of elements) {
			const box = element.getBoundingClientRect();
			if (box.bottom <= view.top) {
				left.add(element);
				removedAbove += box.height;
			} else if (box.top >= view.bottom) left.add(element);
			else within(element);
		}
	};
	cull(scroller.querySelectorAll('.board > .program'), (program) =>
		cull(program.children, () => {})
	);
	// Cards out of view (periods scrolled past sideways, rows half in view) go too: each copied box
	// keeps its size, so their cells stay as tall as on screen.
	for (const item of scroller.querySelectorAll('.dependency-lines .line, .card')) {
		if (!inView(item)) left.add(item);
	}
	const offsetTop = scroller.scrollTop - removedAbove;
	const background = getComputedStyle(document.body).backgroundColor;

	const canvas = await domToCanvas(scroller, {
		width,
		height,
		scale,
		backgroundColor: background,
		filter: (node) => !(node instanceof Element && left.has(node)),
		onCloneEachNode: (clone) => {
			if (!(clone instanceof Element)) return;
			const style = (clone as HTMLElement | SVGElement).style;
			if (clone.matches(CHROME)) style.setProperty('visibility', 'hidden');
			// Programs skip painting while "off screen"; in the copy every kept one is on screen. Each
			// copy keeps its box's size (block-size), except a program: its rows out of view are gone.
			if (clone.classList.contains('program')) {
				style.setProperty('content-visibility', 'visible');
				style.removeProperty('block-size');
				style.removeProperty('height');
			}
		},
		onCloneNode: (root) => {
			if (!(root instanceof HTMLElement)) return;
			// The copy cannot be scrolled: its content moves up and left instead. Sticky headers and
			// lane names stay put, as on screen (a negative margin moves layout; sticky follows it).
			root.style.setProperty('overflow', 'hidden');
			const wrap = root.querySelector<HTMLElement>('.board-wrap');
			wrap?.style.setProperty('margin-top', `${-offsetTop}px`);
			wrap?.style.setProperty('margin-left', `${-scroller.scrollLeft}px`);
			// (A transform: the copied inset and size leave `top` no say.)
			const lines = root.querySelector<SVGElement>('.dependency-lines');
			lines?.style.setProperty('transform', `translateY(${-removedAbove}px)`);
		}
	});
	const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
	if (!blob) throw new Error('the browser could not encode the picture');
	return { blob, width: canvas.width, height: canvas.height };
}
