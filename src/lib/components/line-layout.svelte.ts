/**
 * Where the cards at the ends of the dependency lines are, measured in the board's own
 * coordinates (so scrolling moves lines and cards together with no re-measure). Measured once
 * per change, never per frame: when the lines or the board change, or when the board, a lane
 * row, an endpoint card or the list it sits in changes size (ResizeObserver: resizing,
 * collapsing, the tablet layout, a title that wraps), batched into one animation frame.
 */
import type { Attachment } from 'svelte/attachments';
import type { Box } from '$lib/state/dependency-view.ts';

export interface Layout {
	boxes: Map<string, Box>;
	width: number;
	height: number;
}

/**
 * Where `element` sits in `host`, by layout offsets, not getBoundingClientRect: a card someone
 * else just moved glides to its place under a transform (flip.ts), and a line measured through
 * the transform would stay where the card came from once the glide ends.
 */
function boxIn(element: HTMLElement, host: HTMLElement, origin: DOMRect): Box | null {
	const width = element.offsetWidth;
	const height = element.offsetHeight;
	if (width === 0 && height === 0) return null;
	let left = 0;
	let top = 0;
	let at: HTMLElement | null = element;
	while (at && at !== host) {
		left += at.offsetLeft;
		top += at.offsetTop;
		at = at.offsetParent as HTMLElement | null;
	}
	if (at !== host) {
		// Not laid out under the host's offsets (an SVG or a fixed ancestor): as painted.
		const r = element.getBoundingClientRect();
		left = r.left - origin.left;
		top = r.top - origin.top;
	}
	return { left, top, right: left + width, bottom: top + height };
}

/* eslint-disable svelte/prefer-svelte-reactivity -- measuring scratch, nothing renders these */
export function lineLayout(opts: {
	/** Card ids to measure; read on every measure (and tracked, so a change re-measures). */
	cards: () => Iterable<string>;
	/** A card not on screen (collapsed or not built yet) is drawn at its program's header. */
	programOf: (cardId: string) => string | undefined;
	/** Read inside the attachment's effect: when it changes, measure again. */
	version: () => unknown;
	onmeasure: (layout: Layout) => void;
}): Attachment<SVGSVGElement> {
	return (svg) => {
		const host = svg.parentElement as HTMLElement;
		const scroller = host.closest<HTMLElement>('[data-scroller]');
		let frame = 0;
		const observed = new Set<Element>();

		const measure = () => {
			frame = 0;
			const origin = host.getBoundingClientRect();
			const elements = new Map<string, Element>();
			for (const element of host.querySelectorAll('[data-item^="card:"]')) {
				elements.set((element.getAttribute('data-item') as string).slice(5), element);
			}
			const boxes = new Map<string, Box>();
			// One box per element: two cards drawn at one program header share it (the overlay
			// skips a line whose ends are the same box).
			const byElement = new Map<Element, Box>();
			const seen = new Set<Element>();
			for (const id of opts.cards()) {
				let element = elements.get(id);
				if (!element) {
					const program = opts.programOf(id);
					element =
						(program && host.querySelector(`[data-item="program:${CSS.escape(program)}"] h2`)) ||
						undefined;
				}
				if (!element) continue;
				// A card above it in its cell growing moves it: its list's size says so.
				seen.add(element);
				if (element.parentElement) seen.add(element.parentElement);
				let box = byElement.get(element);
				if (!box) {
					const found = boxIn(element as HTMLElement, host, origin);
					if (!found) continue;
					byElement.set(element, (box = found));
				}
				boxes.set(id, box);
			}
			// A row above growing (a title wrapping, a card added) moves every row below it.
			for (const row of host.querySelectorAll('[data-item^="lane:"]')) seen.add(row);
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
			opts.onmeasure({ boxes, width: host.scrollWidth, height: host.scrollHeight });
		};
		const schedule = () => {
			if (!frame) frame = requestAnimationFrame(measure);
		};
		const resize = new ResizeObserver(schedule);
		resize.observe(host);
		observed.add(host);

		// The lane column stays put while the board scrolls sideways: lines pass under it.
		const scrolled = () => svg.style.setProperty('--scroll-x', `${scroller?.scrollLeft ?? 0}px`);
		scroller?.addEventListener('scroll', scrolled, { passive: true });
		scrolled();

		$effect(() => {
			opts.version();
			schedule();
		});

		return () => {
			cancelAnimationFrame(frame);
			resize.disconnect();
			scroller?.removeEventListener('scroll', scrolled);
		};
	};
}
/* eslint-enable svelte/prefer-svelte-reactivity */
