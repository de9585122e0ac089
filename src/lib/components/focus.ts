import { tick } from 'svelte';

/**
 * Ids of the elements that carry keyboard focus for an item. A move re-renders the item (a
 * keyed block moves its DOM node, which drops focus, or another program creates it afresh), so
 * focus is put back by id once the DOM has caught up.
 */
export const handleId = (kind: string, id: string) => `handle-${kind}-${id}`;
export const menuId = (kind: string, id: string) => `menu-${kind}-${id}`;
export const nameId = (kind: string, id: string) => `name-${kind}-${id}`;

/** Back to what opened an item's side panel: its Details button, else its ⋯ menu. */
export function focusOpener(target: { kind: string; id: string } | null): void {
	if (!target) return;
	const details = document.getElementById(`details-${target.kind}-${target.id}`);
	(details ?? document.getElementById(menuId(target.kind, target.id)))?.focus();
}

export async function focusById(id: string): Promise<void> {
	await tick();
	document.getElementById(id)?.focus();
}

/**
 * Scrolls a just-added item into view once it is rendered: a program added at the bottom of a
 * long board, or a period added at its right, was created out of sight.
 */
export async function revealItem(kind: string, id: string | undefined): Promise<void> {
	if (!id) return;
	await tick();
	document
		.querySelector(`[data-item="${kind}:${CSS.escape(id)}"]`)
		?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
}

const itemSelector = (kind: string, id: string) => `[data-item="${kind}:${CSS.escape(id)}"]`;

/**
 * An item's element on the board, found through the id of its name (or its menu, or its drag
 * handle) rather than by its data-item attribute: an id is looked up at once, an attribute
 * query walks up to 120,000 elements of a big board. Null when it is not rendered.
 */
export function itemElement(kind: string, id: string): HTMLElement | null {
	const key = `${kind}:${id}`;
	for (const inner of [nameId(kind, id), menuId(kind, id), handleId(kind, id)]) {
		const item = document.getElementById(inner)?.closest<HTMLElement>('[data-item]');
		if (item?.dataset.item === key) return item;
	}
	return null;
}

/**
 * Takes the person to an item anywhere on the board (find): brings its program near so it is
 * built (mount-when-near.ts), waits for the item to be rendered, centres it, focuses it and
 * outlines it for a moment. Resolves false when it never appeared (it was deleted meanwhile).
 */
export async function jumpTo(
	kind: string,
	id: string,
	programId: string,
	within = 3000
): Promise<boolean> {
	await tick();
	const started = performance.now();
	let element = document.querySelector<HTMLElement>(itemSelector(kind, id));
	while (!element && performance.now() - started < within) {
		document
			.querySelector(itemSelector('program', programId))
			?.scrollIntoView({ block: 'start', inline: 'nearest' });
		await new Promise((resolve) => requestAnimationFrame(resolve));
		element = document.querySelector<HTMLElement>(itemSelector(kind, id));
	}
	if (!element) return false;
	element.scrollIntoView({ block: 'center', inline: 'nearest' });
	const focusable =
		document.getElementById(nameId(kind, id)) ??
		document.getElementById(handleId(kind, id)) ??
		document.getElementById(menuId(kind, id));
	focusable?.focus({ preventScroll: true });
	element.setAttribute('data-found', '');
	setTimeout(() => element.removeAttribute('data-found'), 1600);
	return true;
}
