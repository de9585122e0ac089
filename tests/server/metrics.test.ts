/**
 * GET /metrics: Prometheus text with what an operator needs to see a relay's load and trouble.
 * Each relay has its own registry, so this file's relays and every other test's coexist.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLane, readBoard } from '../../src/lib/model/index.ts';
import { closed, connectClient, openRawSocket } from '../helpers/clients.ts';
import { metricValue, startRelay } from '../helpers/relay.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('/metrics', () => {
	it('reports rooms, connections, traffic, persistence latency, closes and errors', async () => {
		const r = await startRelay({ limits: { compactEvery: 2 } });
		cleanups.push(() => r.close());
		const second = await startRelay();
		cleanups.push(() => second.close());
		const id = await r.createBoard('sample');
		const c = connectClient(r.syncUrl, id);
		cleanups.push(() => c.destroy());
		await c.synced;
		const programId = readBoard(c.doc).programs[0]!.id;
		for (let i = 0; i < 3; i++) {
			createLane(c.doc, { programId, name: `Lane ${i}` });
			await expect.poll(() => r.metric('railyard_store_append_seconds_count')).toBe(i + 1);
		}
		const bad = await openRawSocket(r.syncUrl, id);
		const badClosed = closed(bad);
		bad.send(Uint8Array.from([9]));
		await badClosed;

		const res = await fetch(`${r.url}/metrics`);
		expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
		await expect.poll(() => r.metric('railyard_connections')).toBe(1);
		const text = await (await fetch(`${r.url}/metrics`)).text();
		const value = (name: string, labels?: Record<string, string>) =>
			metricValue(text, name, labels);
		expect(value('railyard_rooms_loaded')).toBe(1);
		expect(value('railyard_messages_received_total', { type: 'sync-step1' })).toBeGreaterThan(0);
		expect(value('railyard_messages_received_total', { type: 'update' })).toBe(3);
		expect(value('railyard_received_bytes_total')).toBeGreaterThan(0);
		expect(value('railyard_messages_sent_total')).toBeGreaterThan(3);
		expect(value('railyard_sent_bytes_total')).toBeGreaterThan(0);
		expect(value('railyard_store_compact_seconds_count')).toBe(1);
		expect(value('railyard_room_load_seconds_count')).toBe(1);
		expect(value('railyard_closes_total', { reason: 'PROTOCOL_ERROR', initiator: 'relay' })).toBe(
			1
		);
		expect(value('railyard_errors_total', { kind: 'protocol' })).toBe(1);
		// The other relay counted none of it.
		expect(await second.metric('railyard_room_load_seconds_count')).toBe(0);
	});
});
