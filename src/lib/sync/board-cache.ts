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

/**
 * The board as this browser last had it, offline edits included, as plain JSON: what is left
 * to rescue when the board was deleted on the server while this browser still held changes.
 */
export async function exportCachedBoard(boardId: string): Promise<string | null> {
	if (!(await hasCachedBoard(boardId))) return null;
	const [{ IndexeddbPersistence }, Y, { readBoard }] = await Promise.all([
		import('y-indexeddb'),
		import('yjs'),
		import('$lib/model/index.ts')
	]);
	const doc = new Y.Doc();
	const cache = new IndexeddbPersistence(cacheName(boardId), doc);
	try {
		await cache.whenSynced;
		const { title, periods, programs, orphans } = readBoard(doc);
		const exportedAt = new Date().toISOString();
		return JSON.stringify({ boardId, title, exportedAt, periods, programs, orphans }, null, 2);
	} finally {
		await cache.destroy();
		doc.destroy();
	}
}

/** Deletes this browser's copy of the board. */
export async function forgetCachedBoard(boardId: string): Promise<void> {
	const { clearDocument } = await import('y-indexeddb');
	await clearDocument(cacheName(boardId));
}

/** Saves this browser's copy of the board as a JSON file (the browser's download). */
export async function downloadCachedBoard(boardId: string): Promise<boolean> {
	const json = await exportCachedBoard(boardId);
	if (!json) return false;
	const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
	const a = Object.assign(document.createElement('a'), {
		href: url,
		download: `railyard-board-${boardId}.json`
	});
	a.click();
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
	return true;
}
