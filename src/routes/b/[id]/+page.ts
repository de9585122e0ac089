import { error } from '@sveltejs/kit';
import { getBoard } from '$lib/sync/boards-api.ts';
import type { PageLoad } from './$types';

// The relay refuses a websocket for an unknown board at the upgrade, which a browser reports
// only as a failed connection; asking first lets us say "not found" plainly.
export const load: PageLoad = async ({ fetch, params }) => {
	const board = await getBoard({ fetch, id: params.id });
	if (!board) error(404, 'Board not found');
	return { board };
};
