/**
 * The open board, shared with every component under the board view. It is a getter so that a
 * component reads the current BoardState, whatever it was when the component was created.
 */
import { createContext } from 'svelte';
import type { BoardState } from './board.svelte.ts';

const [getBoardContext, setBoardContext] = createContext<() => BoardState>();

export { getBoardContext, setBoardContext };
