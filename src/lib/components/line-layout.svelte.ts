/**
 * Where the cards at the ends of the dependency lines are, measured in the board's own
 * coordinates (so scrolling moves lines and cards together with no re-measure). Measured once
 * per change, never per frame: when the lines or the board change, when the board or an
 * endpoint card changes size (ResizeObserver: resizing, collapsing, the tablet layout, a title
 * that wraps), batched into one animation frame.
 */
import type { Attachment } from 'svelte/attachments';
import type { Box } from '$lib/state/dependency-view.ts';

export interface Layout {
	boxes: Map<string, Box>;
	width: number;
	height: number;
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
				seen.add(element);
				const r = element.getBoundingClientRect();
				if (r.width === 0 && r.height === 0) continue;
				boxes.set(id, {
					left: r.left - origin.left,
					top: r.top - origin.top,
					right: r.right - origin.left,
					bottom: r.bottom - origin.top
				});
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
