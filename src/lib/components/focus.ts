import { tick } from 'svelte';

/**
 * Ids of the elements that carry keyboard focus for an item. A move re-renders the item (a
 * keyed block moves its DOM node, which drops focus, or another program creates it afresh), so
 * focus is put back by id once the DOM has caught up.
 */
export const handleId = (kind: string, id: string) => `handle-${kind}-${id}`;
export const menuId = (kind: string, id: string) => `menu-${kind}-${id}`;
export const nameId = (kind: string, id: string) => `name-${kind}-${id}`;

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
