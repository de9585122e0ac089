import { error } from '@sveltejs/kit';
import { AccessDenied, openBoardAccess } from '$lib/sync/board-access.ts';
import { hasCachedBoard } from '$lib/sync/board-cache.ts';
import type { PageLoad } from './$types';

// The relay refuses a websocket it will not serve at the upgrade, which a browser reports only
// as a failed connection; asking the API first lets the page say plainly why (no link, revoked,
// expired, no such board). Pages render in the browser only (see +layout.ts), so the address's
// `#token=…` fragment is readable here.
export const load: PageLoad = async ({ fetch, params }) => {
	try {
		return await openBoardAccess({
			fetch,
			boardId: params.id,
			hash: location.hash,
			hasCachedBoard
		});
	} catch (failure) {
		if (failure instanceof AccessDenied) {
			const { status, heading, detail } = failure.problem;
			error(status, { message: heading, detail });
		}
		throw failure;
	}
};
