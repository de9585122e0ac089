/**
 * The board's side of presence, as one attachment on its scroll container: where the pointer
 * is (in content coordinates, so it maps onto every screen), where the board is scrolled, which
 * item has focus, and following someone else's view until this person moves on their own.
 */
import type { Attachment } from 'svelte/attachments';
import { monitorForElements } from '@atlaskit/pragmatic-drag-and-drop/element/adapter';
import { PRESENCE_KINDS, type PresenceKind, type PresenceTarget } from '$lib/model/presence.ts';
import type { PresenceState } from '$lib/state/presence.svelte.ts';

/** The item an element belongs to, from the nearest `data-item="kind:id"`. */
export function itemOf(element: Element | null): PresenceTarget | null {
	const value = element?.closest<HTMLElement>('[data-item]')?.dataset.item;
	if (!value) return null;
	const split = value.indexOf(':');
	const kind = value.slice(0, split) as PresenceKind;
	return PRESENCE_KINDS.includes(kind) ? { kind, id: value.slice(split + 1) } : null;
}

export function presenceTracking(presence: () => PresenceState): Attachment<HTMLElement> {
	return (scroller) => {
		const point = (event: { clientX: number; clientY: number; target?: EventTarget | null }) => {
			const content = scroller.firstElementChild ?? scroller;
			const rect = content.getBoundingClientRect();
			const x = event.clientX - rect.left;
			const y = event.clientY - rect.top;
			// The item under the pointer, so other screens can place it on the same spot of it.
			const under =
				event.target instanceof Element
					? event.target
					: document.elementFromPoint(event.clientX, event.clientY);
			const element = under?.closest<HTMLElement>('[data-item]');
			const item = element && scroller.contains(element) ? itemOf(element) : null;
			if (!element || !item) return presence().pointer({ x, y });
			const box = element.getBoundingClientRect();
			const fx = box.width > 0 ? (event.clientX - box.left) / box.width : 0;
			const fy = box.height > 0 ? (event.clientY - box.top) / box.height : 0;
			presence().pointer({ x, y, on: { ...item, fx, fy } });
		};
		// A native drag starting cancels the pointer, and "leaves" at (0, 0): not a real leave.
		let cancelled = false;
		const cancel = () => (cancelled = true);
		const away = () => {
			if (!cancelled) presence().pointer(null);
			cancelled = false;
		};
		// A native drag fires no pointer events: the drag library's own updates move the cursor.
		const stopMonitor = monitorForElements({
			onDrag: ({ location }) => point(location.current.input),
			onDrop: () => (cancelled = false)
		});
		const scrolled = () =>
			presence().scrolled({ left: scroller.scrollLeft, top: scroller.scrollTop });
		// Scroll events also come from following itself, so only the person's own gestures stop it.
		const own = () => {
			if (presence().following) presence().stopFollowing();
		};
		const focused = (event: FocusEvent) => presence().select(itemOf(event.target as Element));
		const blurred = (event: FocusEvent) => {
			const next = event.relatedTarget as Node | null;
			if (!next || !scroller.contains(next)) presence().select(null);
		};

		const passive = { passive: true };
		scroller.addEventListener('pointermove', point, passive);
		scroller.addEventListener('pointercancel', cancel, passive);
		scroller.addEventListener('pointerleave', away, passive);
		scroller.addEventListener('scroll', scrolled, passive);
		scroller.addEventListener('wheel', own, passive);
		scroller.addEventListener('touchstart', own, passive);
		scroller.addEventListener('pointerdown', own, passive);
		scroller.addEventListener('focusin', focused);
		scroller.addEventListener('focusout', blurred);
		window.addEventListener('keydown', own, true);
		scrolled();

		return () => {
			scroller.removeEventListener('pointermove', point);
			scroller.removeEventListener('pointercancel', cancel);
			stopMonitor();
			scroller.removeEventListener('pointerleave', away);
			scroller.removeEventListener('scroll', scrolled);
			scroller.removeEventListener('wheel', own);
			scroller.removeEventListener('touchstart', own);
			scroller.removeEventListener('pointerdown', own);
			scroller.removeEventListener('focusin', focused);
			scroller.removeEventListener('focusout', blurred);
			window.removeEventListener('keydown', own, true);
			presence().pointer(null);
		};
	};
}

/** Keeps the board scrolled to the followed person's view. */
export function followView(presence: () => PresenceState): Attachment<HTMLElement> {
	return (scroller) => {
		const view = presence().followViewport;
		if (!view) return;
		scroller.scrollTo({ left: view.left, top: view.top, behavior: 'instant' });
	};
}
