/**
 * Cold load: the large board is stored, the server restarts, and one client joins. Figures: time
 * to its first sync step 2 (what a stock client reports as "synced"), to the message that completes
 * the board, and until the board is applied in the client (every card present).
 */
import * as Y from 'yjs';
import { boardUrl, createBoard, seedBoard } from '../boards.ts';
import { cardCount } from '../fixture.ts';
import type { Figures } from '../protocol.ts';
import { rawJoin } from '../raw-client.ts';
import { sleep, within, type WorkloadContext } from './context.ts';

export async function coldLoad(ctx: WorkloadContext, w: { cards: number }): Promise<Figures> {
	const board = ctx.board!;
	const boardId = await createBoard(ctx.server);
	await seedBoard(ctx.server, boardId, board);
	// The reference server writes to LevelDB asynchronously after relaying; give it time.
	await sleep(1000);
	// Warm this process's Yjs, so the timing below is the server's, not a cold client's.
	Y.applyUpdate(new Y.Doc(), board);
	const server = await ctx.restart();

	await ctx.measureStart();
	const started = performance.now();
	const doc = new Y.Doc();
	let firstSyncMs = NaN;
	let receivedMs = NaN;
	const complete = new Promise<number>((resolve) => {
		rawJoin({
			url: boardUrl(server, boardId),
			onMessage: (message, at) => {
				if (message.type !== 'sync-step2' && message.type !== 'update') return;
				if (message.type === 'sync-step2' && Number.isNaN(firstSyncMs)) {
					firstSyncMs = at - started;
				}
				Y.applyUpdate(doc, message.update);
				if (Number.isNaN(receivedMs) && cardCount(doc) >= w.cards) {
					receivedMs = at - started;
					resolve(performance.now() - started);
				}
			}
		});
	});
	const completeMs = await within(complete, 60_000, 'cold load');
	return { firstSyncMs, receivedMs, completeMs };
}
