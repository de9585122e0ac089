/**
 * Progressive mounting for big boards. Creating the DOM of 5,000 cards takes seconds however
 * cheap each card is, so a program builds its lanes when it comes near the viewport, and the
 * rest are built one per idle period after that: the first screen appears fast, and soon every
 * lane is in the DOM (so find-in-page and screen readers still see the whole board).
 */
import type { Attachment } from 'svelte/attachments';

export function mountWhenNear(onnear: () => void): Attachment<HTMLElement> {
	return (element) => {
		let done = false;
		const near = () => {
			if (done) return;
			done = true;
			observer.disconnect();
			cancel();
			onnear();
		};
		const observer = new IntersectionObserver(
			(entries) => entries.some((e) => e.isIntersecting) && near(),
			{
				root: element.closest('[data-scroller]'),
				// A screen's worth ahead, so scrolling rarely reaches an unbuilt program.
				rootMargin: '100% 0px'
			}
		);
		observer.observe(element);
		// Printing shows every program, near the viewport or not.
		window.addEventListener('beforeprint', near);
		const idle = 'requestIdleCallback' in window;
		const handle = idle ? requestIdleCallback(near) : setTimeout(near, 200);
		const cancel = () => {
			window.removeEventListener('beforeprint', near);
			if (idle) cancelIdleCallback(handle as number);
			else clearTimeout(handle);
		};
		return () => {
			done = true;
			observer.disconnect();
			cancel();
		};
	};
}
