import { listBoards } from '$lib/sync/boards-api.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch }) => ({ boards: await listBoards({ fetch }) });
