/**
 * The "Move…" part of an item's ⋯ menu, the same for lanes, programs, periods and cards: one entry
 * per move the board allows from here, grouped under "Move" (position among siblings) or "Move to
 * <program | lane | period>", and focus put back on the item's menu button afterwards.
 */
import type { BoardState } from '$lib/state/board.svelte.ts';
import { moveOptions, type ItemKind } from '$lib/state/moves.ts';
import { focusById, menuId } from './focus.ts';
import type { MenuEntry } from './Menu.svelte';

export function moveEntries(board: BoardState, kind: ItemKind, id: string): MenuEntry[] {
	return moveOptions(board.snapshot, kind, id).map((option) => ({
		label: option.label,
		group: option.group === 'Position' ? 'Move' : `Move to ${option.group.toLowerCase()}`,
		onselect: () => {
			board.move(option.move);
			void focusById(menuId(kind, id));
		}
	}));
}
