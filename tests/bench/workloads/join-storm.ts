/**
 * Join storm: `joiners` clients open a socket to the same large board in the same instant. Figures:
 * time until the last one is synced (has the server's sync step 2), and the median joiner's.
 */
import * as Y from 'yjs';
import { boardUrl, createBoard, seedBoard } from '../boards.ts';
import { cardCount } from '../fixture.ts';
import type { Figures } from '../protocol.ts';
import { rawJoin } from '../raw-client.ts';
import { percentile } from '../stats.ts';
import { within, type WorkloadContext } from './context.ts';

export async function joinStorm(
	ctx: WorkloadContext,
	w: { joiners: number; cards: number }
): Promise<Figures> {
	const board = ctx.board!;
	const boardId = await createBoard(ctx.server);
	await seedBoard(ctx.server, boardId, board);
	const url = boardUrl(ctx.server, boardId);

	await ctx.measureStart();
	const started = performance.now();
	let firstBoard: Uint8Array | null = null;
	const joins = Array.from({ length: w.joiners }, (_, i) =>
		rawJoin({
			url,
			echoAwareness: true,
			onMessage:
				i === 0
					? (message) => {
							if (message.type === 'sync-step2') firstBoard ??= message.update.slice();
						}
					: undefined
		})
	);
	const synced = await within(Promise.all(joins.map((j) => j.synced)), 120_000, 'join storm');
	const times = synced.map((s) => s.at - started);
	for (const join of joins) join.close();

	// Not timed: one joiner's board, applied, has every card.
	const check = new Y.Doc();
	Y.applyUpdate(check, firstBoard ?? new Uint8Array([0, 0]));
	return {
		allSyncedMs: Math.max(...times),
		p50SyncedMs: percentile(times, 50),
		smallestSyncBytes: Math.min(...synced.map((s) => s.bytes)),
		cardsReceived: cardCount(check)
	};
}
