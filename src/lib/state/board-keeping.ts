/**
 * What this browser keeps of a board (its link in localStorage, its copy in IndexedDB) and the
 * owner's deletion of a board, for the components that let a person let go of one: the board's
 * ⋯ menu, the home page's list and the deleted board's rescue notice.
 */
import { downloadCachedBoard, forgetCachedBoard, hasCachedBoard } from '$lib/sync/board-cache.ts';
import { deleteBoard, type Fetch } from '$lib/sync/boards-api.ts';
import { dropLink } from '$lib/sync/links.ts';

/** Drops this browser's link to the board and its copy of it. */
export async function forgetBoardHere(boardId: string): Promise<void> {
	dropLink(boardId);
	// A copy that cannot be cleared (no IndexedDB, private mode) is no reason to keep the link.
	await forgetCachedBoard(boardId).catch(() => {});
}

/**
 * Deletes the board on the server (owner only; the relay ends everyone's connection and tells
 * them why), then forgets it here. Throws the server's refusal, having forgotten nothing.
 */
export async function deleteBoardEverywhere(opts: {
	boardId: string;
	token: string;
	fetch?: Fetch;
}): Promise<void> {
	await deleteBoard({ fetch: opts.fetch ?? globalThis.fetch, id: opts.boardId, token: opts.token });
	await forgetBoardHere(opts.boardId);
}

/** Whether this browser still has a copy of the board (e.g. one deleted on the server). */
export function hasCopyHere(boardId: string): Promise<boolean> {
	return hasCachedBoard(boardId);
}

/** Saves this browser's copy of the board as a JSON file; false when there is none. */
export function downloadCopyHere(boardId: string): Promise<boolean> {
	return downloadCachedBoard(boardId);
}
