/**
 * Cold load: the large board is stored, the server restarts, and one stock client (y-websocket's
 * WebsocketProvider, as a browser tab runs it) joins. Figures: time until the provider reports
 * "synced", and until its doc holds the whole board (every card present) — what a person waits
 * for, not the bytes on the wire.
 */
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { boardUrl, createBoard, seedBoard } from '../boards.ts';
import { cardCount } from '../fixture.ts';
import type { Figures } from '../protocol.ts';
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
	// The provider takes a server URL, a room name and query parameters; boardUrl has all three.
	const url = new URL(boardUrl(server, boardId));
	const room = url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
	const provider = new WebsocketProvider(
		`${url.origin}${url.pathname.slice(0, url.pathname.lastIndexOf('/'))}`,
		room,
		doc,
		{
			WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
			disableBc: true,
			params: Object.fromEntries(url.searchParams)
		}
	);
	let firstSyncMs = NaN;
	provider.once('sync', () => (firstSyncMs = performance.now() - started));
	const complete = new Promise<number>((resolve) => {
		const check = () => {
			if (cardCount(doc) < w.cards) return;
			doc.off('update', check);
			resolve(performance.now() - started);
		};
		doc.on('update', check);
	});
	try {
		const completeMs = await within(complete, 60_000, 'cold load');
		return { firstSyncMs, completeMs };
	} finally {
		provider.destroy();
		doc.destroy();
	}
}
