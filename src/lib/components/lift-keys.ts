/**
 * The keys of keyboard pick-up on an item's handle: Space lifts and drops, arrows move (Home
 * and End to the first and last place), Escape cancels. Focus is put back on the handle after
 * every step, since a move re-renders the item.
 */
import type { BoardState } from '$lib/state/board.svelte.ts';
import type { Direction, ItemKind } from '$lib/state/moves.ts';
import { focusById } from './focus.ts';

const ARROWS: Record<string, Direction> = {
	ArrowUp: 'up',
	ArrowDown: 'down',
	ArrowLeft: 'left',
	ArrowRight: 'right',
	Home: 'top',
	End: 'bottom'
};

export function liftKeys(board: () => BoardState, kind: ItemKind, id: string, focusId: string) {
	return (event: KeyboardEvent) => {
		const lift = board().lift;
		const lifted = lift.isLifted(kind, id);
		if (event.key === ' ') {
			if (lifted) lift.drop();
			else lift.lift(kind, id);
		} else if (lifted && event.key === 'Escape') {
			lift.cancel();
		} else if (lifted && event.key in ARROWS) {
			// Periods are columns: Up and Down mean the same as Left and Right there.
			let direction = ARROWS[event.key]!;
			if (kind === 'period')
				direction = direction === 'up' ? 'left' : direction === 'down' ? 'right' : direction;
			if (kind === 'lane' || kind === 'program' || kind === 'objective') {
				if (direction === 'left' || direction === 'right') return;
			}
			lift.step(direction);
		} else {
			return;
		}
		event.preventDefault();
		event.stopPropagation();
		void focusById(focusId);
	};
}
