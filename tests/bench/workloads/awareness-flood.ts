/**
 * Awareness flood: one connection sends `rate` presence updates a second — a client stuck in a
 * loop, far beyond a person moving a cursor — into a room of `listeners` clients that, like stock
 * clients, echo every presence frame back. Meanwhile new clients join one after another; the
 * figure is how long each takes to sync (a join that takes over 10 s counts as 10 s).
 *
 * The listeners echo raw frames instead of running a Y.Doc and an Awareness each, and the flood
 * runs at a fixed rate rather than "as fast as the socket takes": either way this process would
 * otherwise saturate first and the figures would measure it, not the server.
 */
import WebSocket from 'ws';
import { boardUrl, createBoard } from '../boards.ts';
import type { Figures } from '../protocol.ts';
import { presenceFrame, rawJoin } from '../raw-client.ts';
import { median } from '../stats.ts';
import { sleep, within, type WorkloadContext } from './context.ts';

const TICK_MS = 10;
const PROBE_TIMEOUT_MS = 10_000;

export async function awarenessFlood(
	ctx: WorkloadContext,
	w: { listeners: number; probes: number; floodMs: number; rate: number }
): Promise<Figures> {
	const boardId = await createBoard(ctx.server);
	const url = boardUrl(ctx.server, boardId);
	const listeners = Array.from({ length: w.listeners }, () =>
		rawJoin({ url, echoAwareness: true })
	);
	await within(Promise.all(listeners.map((l) => l.synced)), 60_000, 'listeners syncing');

	const flooder = new WebSocket(url);
	const clientID = Math.floor(Math.random() * 2 ** 31);
	let sent = 0;
	let closedCode = 0;
	let closedAfterMs = NaN;
	let floodStarted = 0;
	let timer: NodeJS.Timeout | undefined;
	const burst = () => {
		// Catch up to the rate: timers fire late on a busy machine.
		const due = Math.floor(((performance.now() - floodStarted) * w.rate) / 1000);
		while (sent < due && flooder.readyState === flooder.OPEN) {
			sent += 1;
			const cursor = { x: sent % 1280, y: (sent * 7) % 800 };
			flooder.send(presenceFrame(clientID, sent, { user: { name: 'Flood' }, cursor }));
		}
	};
	flooder.on('open', () => {
		floodStarted = performance.now();
		timer = setInterval(burst, TICK_MS);
	});
	flooder.on('message', () => {});
	flooder.on('error', () => {});
	flooder.on('close', (code) => {
		clearInterval(timer);
		closedCode = code;
		closedAfterMs = performance.now() - floodStarted;
	});
	await sleep(w.floodMs);

	await ctx.measureStart();
	const times: number[] = [];
	let timedOut = 0;
	for (let i = 0; i < w.probes; i++) {
		const started = performance.now();
		const join = rawJoin({ url });
		try {
			const { at } = await within(join.synced, PROBE_TIMEOUT_MS, 'a join during the flood');
			times.push(at - started);
		} catch {
			times.push(PROBE_TIMEOUT_MS);
			timedOut += 1;
		}
		join.close();
		await sleep(100);
	}
	const stillFlooding = flooder.readyState === flooder.OPEN;
	clearInterval(timer);
	flooder.terminate();
	for (const listener of listeners) listener.close();
	return {
		probesTimedOut: timedOut,
		probeMedianMs: median(times),
		probeMaxMs: Math.max(...times),
		flooderSent: sent,
		flooderClosedCode: stillFlooding ? 0 : closedCode,
		flooderClosedAfterMs: stillFlooding ? NaN : closedAfterMs
	};
}
