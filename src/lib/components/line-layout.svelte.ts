/**
 * Where the cards at the ends of the dependency lines are, measured in the board's own
 * coordinates (so scrolling moves lines and cards together with no re-measure). Measured once
 * per change, never per frame: when the lines or the board change (at once, after the DOM
 * update), or when the board, a lane row, an endpoint card or the list it sits in changes size
 * (ResizeObserver: resizing, collapsing, the tablet layout, a title that wraps), batched into
 * one animation frame.
 */
import { untrack } from 'svelte';
import type { Attachment } from 'svelte/attachments';
import type { Box } from '$lib/state/dependency-view.ts';
import { itemElement } from './focus.ts';

export interface Layout {
	boxes: Map<string, Box>;
	width: number;
	height: number;
	/**
	 * The band the programs near the view cover: a line with both ends above it (or both below)
	 * cannot be seen before a scroll brings their programs near, which measures again.
	 */
	band: { top: number; bottom: number };
}

type Offset = { left: number; top: number } | null;
/** Where an element's offsetParent chain puts it in the host, per element; null: not under it. */
type Offsets = Map<Element, Offset>;

function offsetIn(element: HTMLElement | null, host: HTMLElement, seen: Offsets): Offset {
	if (element === host) return { left: 0, top: 0 };
	if (!element) return null;
	let at = seen.get(element);
	if (at === undefined) {
		const parent: Offset = offsetIn(element.offsetParent as HTMLElement | null, host, seen);
		at = parent && { left: parent.left + element.offsetLeft, top: parent.top + element.offsetTop };
		seen.set(element, at);
	}
	return at;
}

/**
 * Where `element` sits in `host`, by layout offsets, not getBoundingClientRect: a card someone
 * else just moved glides to its place under a transform (flip.ts), and a line measured through
 * the transform would stay where the card came from once the glide ends. `seen` keeps each
 * ancestor's place for one measure: cards share their cells, lanes and programs, and reading
 * every card's whole chain of offsets again cost a remote move milliseconds.
 */
function boxIn(
	element: HTMLElement,
	host: HTMLElement,
	origin: DOMRect,
	seen: Offsets
): Box | null {
	const width = element.offsetWidth;
	const height = element.offsetHeight;
	if (width === 0 && height === 0) return null;
	let at = offsetIn(element, host, seen);
	if (!at) {
		// Not laid out under the host's offsets (an SVG or a fixed ancestor): as painted.
		const r = element.getBoundingClientRect();
		at = { left: r.left - origin.left, top: r.top - origin.top };
	}
	return { left: at.left, top: at.top, right: at.left + width, bottom: at.top + height };
}

/**
 * Where a line to a far program (`top`: where the program starts) ends: just past the edge of
 * the band of programs near the view (`band`, null when none is), never further out, so the
 * line leaves the view towards the program and is never longer than the band (see measure).
 */
export function farTop(top: number, band: { top: number; bottom: number } | null): number {
	if (!band) return top;
	return Math.min(Math.max(top, band.top - 56), band.bottom + 24);
}

/* eslint-disable svelte/prefer-svelte-reactivity -- measuring scratch, nothing renders these */
export function lineLayout(opts: {
	/** Card ids to measure; read on every measure. */
	cards: () => Iterable<string>;
	/**
	 * A card not measured (its program collapsed, not built, or far from view) ends at its
	 * program: the lookup, read once per measure.
	 */
	programOf: () => (cardId: string) => string | undefined;
	/** Read inside the attachment's effect: when it changes, measure again. */
	version: () => unknown;
	onmeasure: (layout: Layout) => void;
}): Attachment<SVGSVGElement> {
	return (svg) => {
		const host = svg.parentElement as HTMLElement;
		// The table the lines lie over (their sibling): its programs are its own children.
		const table = host.querySelector<HTMLElement>(':scope > [role="table"]') ?? host;
		const scroller = host.closest<HTMLElement>('[data-scroller]');
		let frame = 0;
		let nearKey = '';
		const observed = new Set<Element>();

		/**
		 * Programs within a screen of the view. Only their cards are measured: measuring a card
		 * in a program the browser skips (content-visibility) would lay out the whole board.
		 */
		const nearPrograms = () => {
			const origin = host.getBoundingClientRect();
			const view = scroller?.getBoundingClientRect() ?? origin;
			const height = view.height || innerHeight;
			const near: HTMLElement[] = [];
			const far: HTMLElement[] = [];
			// Programs are the table's own children: no walk through the whole board.
			for (const program of table.children as HTMLCollectionOf<HTMLElement>) {
				if (!program.dataset.item?.startsWith('program:')) continue;
				const r = program.getBoundingClientRect();
				const close = r.bottom > view.top - height && r.top < view.bottom + height;
				(close ? near : far).push(program);
			}
			return { origin, near, far };
		};

		const measure = () => {
			frame = 0;
			const { origin, near, far } = nearPrograms();
			nearKey = near.map((p) => p.dataset.item).join();
			const seen = new Set<Element>();
			const offsets: Offsets = new Map();
			const nearIds = new Set<string>();
			const headers = new Map<string, Box>();
			const band = { top: Infinity, bottom: -Infinity };
			for (const program of near) {
				const id = program.dataset.item!.slice(8);
				nearIds.add(id);
				const r = program.getBoundingClientRect();
				band.top = Math.min(band.top, r.top - origin.top);
				band.bottom = Math.max(band.bottom, r.bottom - origin.top);
				// Its lane rows (its own children): a row above growing (a title wrapping, a card
				// added) moves every row below it.
				for (const row of program.children as HTMLCollectionOf<HTMLElement>) {
					if (row.dataset.item?.startsWith('lane:')) seen.add(row);
				}
				const header = program.querySelector<HTMLElement>('h2');
				const box = header && boxIn(header, host, origin, offsets);
				if (box) headers.set(id, box);
			}
			// Where a line to a far program's card ends: the start of its header, right of the
			// lane column (the column covers the lines as they pass under it), but no further than
			// just past the band: a far program is a screen or more out of view, so the line still
			// leaves the view towards it, and a line is never longer than the band. A dashed stroke
			// is dashed along its whole length at every raster, so a line reaching a program
			// 30,000 px away cost a drag over the board most of its frames.
			const column = host.querySelector<HTMLElement>('[role="columnheader"]')?.offsetWidth ?? 0;
			for (const program of far) {
				const top = farTop(
					boxIn(program, host, origin, offsets)?.top ?? 0,
					near.length > 0 ? band : null
				);
				headers.set(program.dataset.item!.slice(8), {
					left: column + 8,
					top: top + 12,
					right: column + 200,
					bottom: top + 44
				});
			}
			const boxes = new Map<string, Box>();
			// One box per element: two cards drawn at one program header share it (the overlay
			// skips a line whose ends are the same box).
			const byElement = new Map<Element, Box>();
			const programOf = opts.programOf();
			for (const id of opts.cards()) {
				// By id, not by a walk of the programs' elements (see itemElement); a card of a far
				// program is not measured even when rendered.
				const program = programOf(id);
				const element = program && nearIds.has(program) ? itemElement('card', id) : null;
				if (!element) {
					const header = headers.get(program ?? '');
					if (header) boxes.set(id, header);
					continue;
				}
				// A card above it in its cell growing moves it: its list's size says so.
				seen.add(element);
				if (element.parentElement) seen.add(element.parentElement);
				let box = byElement.get(element);
				if (!box) {
					const found = boxIn(element as HTMLElement, host, origin, offsets);
					if (!found) continue;
					byElement.set(element, (box = found));
				}
				boxes.set(id, box);
			}
			for (const element of observed) {
				if (!seen.has(element) && element !== host) {
					resize.unobserve(element);
					observed.delete(element);
				}
			}
			// Only newly observed elements: observing reports once, which must not loop.
			for (const element of seen) {
				if (!observed.has(element)) {
					observed.add(element);
					resize.observe(element);
				}
			}
			if (near.length === 0) Object.assign(band, { top: -Infinity, bottom: Infinity });
			opts.onmeasure({ boxes, width: host.scrollWidth, height: host.scrollHeight, band });
		};
		const schedule = () => {
			if (!frame) frame = requestAnimationFrame(measure);
		};
		const resize = new ResizeObserver(schedule);
		resize.observe(host);
		observed.add(host);

		// The lane column stays put while the board scrolls sideways: lines pass under it. A
		// scroll that brings other programs near measures again, once; otherwise scrolling
		// moves lines and cards together and costs nothing here.
		let scrollFrame = 0;
		const scrolled = () => {
			svg.style.setProperty('--scroll-x', `${scroller?.scrollLeft ?? 0}px`);
			if (scrollFrame) return;
			scrollFrame = requestAnimationFrame(() => {
				scrollFrame = 0;
				const key = nearPrograms()
					.near.map((p) => p.dataset.item)
					.join();
				if (key !== nearKey) schedule();
			});
		};
		scroller?.addEventListener('scroll', scrolled, { passive: true });
		scrolled();

		// A change of the board or of the lines measures at once, in the same task as the DOM
		// update: the lines are redrawn in the very frame that shows the cards' new places (a
		// remote move painted its line a frame or more late when this waited for the next one).
		$effect(() => {
			opts.version();
			untrack(() => {
				cancelAnimationFrame(frame);
				measure();
			});
		});

		return () => {
			cancelAnimationFrame(frame);
			cancelAnimationFrame(scrollFrame);
			resize.disconnect();
			scroller?.removeEventListener('scroll', scrolled);
		};
	};
}
/* eslint-enable svelte/prefer-svelte-reactivity */
