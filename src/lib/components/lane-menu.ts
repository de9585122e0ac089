import type { BoardItem } from '$lib/state/board-item.svelte.ts';
import type { BoardState } from '$lib/state/board.svelte.ts';
import type { MenuEntry } from '$lib/state/menu-entry.ts';
import { servesEntries } from '$lib/state/objectives.ts';
import { riskEntries } from '$lib/state/risks.ts';
import type { BoardUi } from '$lib/state/ui.svelte.ts';
import { requestDelete } from './deletes.ts';

/** A lane's ⋯ menu, the same in the grid (LaneRow) and on a phone (PhoneLane). */
export function laneEntries(
	item: BoardItem,
	board: BoardState,
	ui: BoardUi,
	laneId: string
): MenuEntry[] {
	return item.menu('Lane', [
		{
			label: 'Details…',
			group: 'Lane',
			onselect: () => ui.openDetail({ kind: 'lane', id: laneId })
		},
		...riskEntries(ui, { kind: 'lane', id: laneId }),
		...servesEntries(board, 'lane', laneId),
		{
			label: 'Delete lane…',
			group: 'Lane',
			danger: true,
			onselect: () => requestDelete(board, ui, 'lane', laneId)
		}
	]);
}
