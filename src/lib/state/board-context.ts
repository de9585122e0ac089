/**
 * The open board and this screen's view state, shared with every component under the board
 * view. The board is a getter so that a component reads the current BoardState, whatever it was
 * when the component was created.
 */
import { createContext, getContext, hasContext, setContext } from 'svelte';
import type { BoardState } from './board.svelte.ts';
import type { CheckpointsState } from './checkpoints.svelte.ts';
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

/**
 * The board's history (checkpoints, compare mode), when the page has one. Read by the compare
 * marks inside shared item components, which also render where there is no history (previews,
 * tests), so a missing one is null rather than an error.
 */
const HISTORY_KEY = Symbol('railyard:history');

type HistoryGetter = () => CheckpointsState | null;

export function setHistoryContext(history: HistoryGetter): void {
	setContext(HISTORY_KEY, history);
}

export function getHistoryContext(): HistoryGetter {
	return hasContext(HISTORY_KEY) ? getContext<HistoryGetter>(HISTORY_KEY) : () => null;
}
