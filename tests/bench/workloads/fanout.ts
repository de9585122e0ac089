/**
 * Fan-out: `rooms` boards with `clientsPerRoom` clients each; every client writes
 * `updatesPerSecond` small edits for `seconds`, and every other client in its room must receive
 * each one. Latency runs from the write to its arrival at each receiver (one process, one clock).
 *
 * Each client sends exactly what a stock client sends (one update message per edit, presence,
 * awareness echoes), but does not apply what it receives: 40 Y.Docs applying 8,000 updates a
 * second would saturate this process, and the figures would measure it instead of the servers.
 * Edits are map entries whose key names the write, so a receiver finds them in the frame bytes.
 * With `locks`, every board has a structure and a program lock the writes do not touch: each
 * update then goes through the relay's lock guard and is accepted.
 */
import * as Y from 'yjs';
import { encodeUpdate } from '../../../server/sync/protocol.ts';
import { boardUrl, createBoard, lockBoard } from '../boards.ts';
import type { Figures } from '../protocol.ts';
import { rawJoin, type RawJoin } from '../raw-client.ts';
import { percentile } from '../stats.ts';
import { sleep, within, type WorkloadContext } from './context.ts';

const PAYLOAD = 'x'.repeat(80);
const KEY = /~w(\d+)\.(\d+)~/g;

export async function fanout(
	ctx: WorkloadContext,
	w: {
		rooms: number;
		clientsPerRoom: number;
		updatesPerSecond: number;
		seconds: number;
		locks?: boolean;
	}
): Promise<Figures> {
	const boards = await Promise.all(Array.from({ length: w.rooms }, () => createBoard(ctx.server)));
	if (w.locks && ctx.server.kind === 'railyard') {
		await Promise.all(boards.map((boardId) => lockBoard(ctx.server, boardId)));
	}
	const sentAt = new Map<string, number>();
	const latencies: number[] = [];
	const clients: { join: RawJoin; doc: Y.Doc }[] = [];
	for (const boardId of boards) {
		for (let i = 0; i < w.clientsPerRoom; i++) {
			const writer = clients.length;
			const join = rawJoin({
				url: boardUrl(ctx.server, boardId),
				echoAwareness: true,
				onMessage(message, at) {
					if (message.type !== 'update') return;
					// Merged updates carry several writes; each counts once per receiver.
					for (const [key, from] of Buffer.from(message.update).toString('latin1').matchAll(KEY)) {
						const sent = sentAt.get(key);
						if (sent !== undefined && Number(from) !== writer) latencies.push(at - sent);
					}
				}
			});
			const doc = new Y.Doc();
			doc.on('update', (update: Uint8Array) => join.ws.send(encodeUpdate(update)));
			clients.push({ join, doc });
		}
	}
	await within(Promise.all(clients.map((c) => c.join.synced)), 60_000, 'clients syncing');

	await ctx.measureStart();
	const period = 1000 / w.updatesPerSecond;
	const stopAt = performance.now() + w.seconds * 1000;
	let writes = 0;
	const timers = clients.map(({ doc }, writer) => {
		const map = doc.getMap('bench');
		let seq = 0;
		const write = () => {
			if (performance.now() >= stopAt) return;
			const key = `~w${writer}.${seq++}~`;
			sentAt.set(key, performance.now());
			map.set(key, PAYLOAD);
			writes += 1;
		};
		// Staggered, so the room sees a steady stream rather than synchronized bursts.
		const timer: { start: NodeJS.Timeout; every?: NodeJS.Timeout } = {
			start: setTimeout(() => {
				write();
				timer.every = setInterval(write, period);
			}, Math.random() * period)
		};
		return timer;
	});
	await sleep(w.seconds * 1000);
	for (const timer of timers) {
		clearTimeout(timer.start);
		clearInterval(timer.every);
	}
	const expected = writes * (w.clientsPerRoom - 1);
	// Whatever is still in flight gets a few seconds; what never arrives counts as not delivered.
	for (let waited = 0; latencies.length < expected && waited < 5000; waited += 50) await sleep(50);
	for (const { join } of clients) join.close();
	return {
		p50: percentile(latencies, 50),
		p95: percentile(latencies, 95),
		p99: percentile(latencies, 99),
		writes,
		scheduledWrites: clients.length * w.updatesPerSecond * w.seconds,
		delivered: latencies.length,
		expected,
		deliveredPct: (100 * latencies.length) / expected
	};
}
