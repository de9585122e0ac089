/**
 * A client that stops reading must cost the relay a bounded amount of memory: once what is queued
 * for it passes MAX_SEND_BUFFER_BYTES it is disconnected (TRY_AGAIN_LATER, 1013) and its buffers
 * are freed, while the room keeps serving everyone else.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, openStalledSocket } from '../helpers/clients.ts';
import { startRelay } from '../helpers/relay.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const fn of cleanups.splice(0).reverse()) await fn();
});

const CAP = 256 * 1024;
const CHUNK = 'x'.repeat(128 * 1024);

describe('slow consumer', () => {
	it('is disconnected once its send buffer passes the cap, and its memory is released', async () => {
		// No pings here: the stalled socket must be cut for its buffer, not for missing pongs.
		const r = await startRelay({
			limits: { maxSendBufferBytes: CAP, pingIntervalMs: 0, compactEvery: 10 }
		});
		cleanups.push(() => r.close());
		const id = await r.createBoard();
		const writer = connectClient(r.syncUrl, id);
		const watcher = connectClient(r.syncUrl, id);
		cleanups.push(
			() => writer.destroy(),
			() => watcher.destroy()
		);
		await Promise.all([writer.synced, watcher.synced]);
		const stalled = await openStalledSocket(r.syncUrl, id);
		cleanups.push(() => stalled.destroy());
		expect(await r.metric('railyard_connections')).toBe(3);

		// Every round broadcasts ~128 KiB that the stalled socket never reads. Inserting and deleting
		// keeps the board itself small. Bounded: 400 rounds is ~50 MiB, far past any socket buffer.
		const text = writer.doc.getText('scratch');
		const cut = () =>
			r.metric('railyard_closes_total', { reason: 'TRY_AGAIN_LATER', initiator: 'relay' });
		let rounds = 0;
		let peakQueued = 0;
		while ((await cut()) === 0 && rounds < 400) {
			text.insert(0, CHUNK);
			text.delete(0, CHUNK.length);
			rounds += 1;
			await new Promise((resolve) => setImmediate(resolve));
			peakQueued = Math.max(peakQueued, await r.metric('railyard_send_queue_bytes'));
		}
		expect(await cut()).toBe(1);
		// What the relay ever held for it: the cap, plus the frame that crossed it, plus a frame or
		// two in flight to the live clients.
		expect(peakQueued).toBeLessThan(CAP + 4 * CHUNK.length);
		await expect.poll(() => r.metric('railyard_connections')).toBe(2);

		// The room keeps going, and nothing piles up for the socket that was dropped.
		for (let i = 0; i < 20; i++) {
			text.insert(0, CHUNK);
			text.delete(0, CHUNK.length);
			await new Promise((resolve) => setImmediate(resolve));
		}
		text.insert(0, 'after the cut');
		await expect.poll(() => watcher.doc.getText('scratch').toString()).toBe('after the cut');
		expect(await r.metric('railyard_send_queue_bytes')).toBeLessThan(CAP);
		expect(writer.provider.wsconnected && watcher.provider.wsconnected).toBe(true);
	});
});
