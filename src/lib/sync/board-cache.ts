/**
 * This browser's IndexedDB copy of a board (written by y-indexeddb in connect-board.ts). Opening
 * a board offline falls back to it when the server cannot be asked whether the board exists.
 */
export function cacheName(boardId: string): string {
	return `railyard:board:${boardId}`;
}

/** Whether this browser holds a copy of the board. */
export async function hasCachedBoard(boardId: string): Promise<boolean> {
	if (typeof indexedDB === 'undefined' || !indexedDB.databases) return false;
	const databases = await indexedDB.databases().catch(() => []);
	return databases.some((db) => db.name === cacheName(boardId));
}
