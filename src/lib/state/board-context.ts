/**
 * The open board and this screen's view state, shared with every component under the board
 * view. The board is a getter so that a component reads the current BoardState, whatever it was
 * when the component was created.
 */
import { createContext } from 'svelte';
import type { BoardState } from './board.svelte.ts';
import type { PlanningUi } from './planning-ui.svelte.ts';
import type { BoardUi } from './ui.svelte.ts';

const [getBoardContext, setBoardContext] = createContext<() => BoardState>();
const [getUiContext, setUiContext] = createContext<BoardUi>();
/** Dependencies and load on this screen: line filter, selection, picker, drag preview. */
const [getPlanningContext, setPlanningContext] = createContext<PlanningUi>();

export {
	getBoardContext,
	getPlanningContext,
	getUiContext,
	setBoardContext,
	setPlanningContext,
	setUiContext
};
