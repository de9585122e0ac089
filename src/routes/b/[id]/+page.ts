import { error } from '@sveltejs/kit';
import { getBoard, type BoardSummary } from '$lib/sync/boards-api.ts';
import { hasCachedBoard } from '$lib/sync/board-cache.ts';
import type { PageLoad } from './$types';

// The relay refuses a websocket for an unknown board at the upgrade, which a browser reports
// only as a failed connection; asking first lets us say "not found" plainly. When the server
// cannot be reached at all (offline), a board this browser has a copy of opens from that copy.
export const load: PageLoad = async ({ fetch, params }) => {
	let board: BoardSummary | null;
	try {
		board = await getBoard({ fetch, id: params.id });
	} catch (failure) {
		// fetch rejects with a TypeError only when no answer came back; an answer is the server's word.
		if (!(failure instanceof TypeError) || !(await hasCachedBoard(params.id))) throw failure;
		return { board: { id: params.id, title: '', createdAt: 0, updatedAt: 0 } };
	}
	if (!board) error(404, 'Board not found');
	return { board };
};
