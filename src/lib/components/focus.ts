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
