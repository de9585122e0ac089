/**
 * Awareness hygiene: a connection sets and removes only the awareness ids it introduced, and all
 * of them go when it closes. Observed through a stock client, as anyone in the room would see it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import {
	encodeAwarenessEntries,
	MAX_IDS_PER_CONNECTION,
	MAX_STATE_BYTES
} from '../../server/sync/awareness-owners.ts';
import { encodeAwareness } from '../../server/sync/protocol.ts';
import { connectClient, openRawSocket, type TestClient } from '../helpers/clients.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function setup(): Promise<{ r: TestRelay; id: string; observer: TestClient }> {
	const r = await startRelay();
	cleanups.push(() => r.close());
	const id = await r.createBoard();
	const observer = connectClient(r.syncUrl, id);
	cleanups.push(() => observer.destroy());
	await observer.synced;
	return { r, id, observer };
}

async function raw(r: TestRelay, id: string): Promise<WebSocket> {
	const ws = await openRawSocket(r.syncUrl, id);
	cleanups.push(() => ws.terminate());
	return ws;
}

function sendPresence(
	ws: WebSocket,
	entries: { clientID: number; clock: number; state: unknown }[]
): void {
	const update = encodeAwarenessEntries(
		entries.map(({ clientID, clock, state }) => ({
			clientID,
			clock,
			json: JSON.stringify(state),
			removal: state === null
		}))
	);
	ws.send(encodeAwareness(update));
}

/** The name each awareness id shows, as the observer sees it. */
function seen(observer: TestClient, clientID: number): string | undefined {
	return (observer.provider.awareness.getStates().get(clientID) as { name?: string } | undefined)
		?.name;
}

describe('awareness hygiene', () => {
	it('drops entries for ids another connection introduced', async () => {
		const { r, id, observer } = await setup();
		const ann = await raw(r, id);
		sendPresence(ann, [{ clientID: 1001, clock: 1, state: { name: 'Ann' } }]);
		await expect.poll(() => seen(observer, 1001)).toBe('Ann');

		const mallory = await raw(r, id);
		sendPresence(mallory, [
			{ clientID: 1001, clock: 5, state: { name: 'Mallory' } },
			{ clientID: 2002, clock: 1, state: { name: 'Bob' } }
		]);
		await expect.poll(() => seen(observer, 2002)).toBe('Bob');
		sendPresence(mallory, [{ clientID: 1001, clock: 6, state: null }]);
		sendPresence(mallory, [{ clientID: 2002, clock: 2, state: { name: 'Bob, later' } }]);
		await expect.poll(() => seen(observer, 2002)).toBe('Bob, later');
		expect(seen(observer, 1001)).toBe('Ann');
		expect(await r.metric('railyard_awareness_dropped_total', { reason: 'foreign_id' })).toBe(2);
	});

	it('removes every id a connection introduced when it closes', async () => {
		const { r, id, observer } = await setup();
		const ann = await raw(r, id);
		sendPresence(ann, [
			{ clientID: 1001, clock: 1, state: { name: 'Ann' } },
			{ clientID: 1002, clock: 1, state: { name: 'Ann, second tab' } }
		]);
		await expect.poll(() => seen(observer, 1002)).toBe('Ann, second tab');
		ann.terminate();
		await expect
			.poll(() => [seen(observer, 1001), seen(observer, 1002)])
			.toEqual([undefined, undefined]);
	});

	it('hands an id to the connection that reconnected with it when the old one goes', async () => {
		const { r, id, observer } = await setup();
		const before = await raw(r, id);
		sendPresence(before, [{ clientID: 1001, clock: 1, state: { name: 'Ann' } }]);
		await expect.poll(() => seen(observer, 1001)).toBe('Ann');

		// The same client on a new socket while the relay still holds the old one (half-open).
		const after = await raw(r, id);
		sendPresence(after, [{ clientID: 1001, clock: 2, state: { name: 'Ann, reconnected' } }]);
		sendPresence(after, [{ clientID: 3003, clock: 1, state: { name: 'barrier' } }]);
		await expect.poll(() => seen(observer, 3003)).toBe('barrier');
		expect(seen(observer, 1001)).toBe('Ann');

		before.terminate();
		await expect.poll(() => seen(observer, 1001)).toBe('Ann, reconnected');
		after.terminate();
		await expect.poll(() => seen(observer, 1001)).toBeUndefined();
	});

	it(`lets one connection introduce at most ${MAX_IDS_PER_CONNECTION} ids`, async () => {
		const { r, id, observer } = await setup();
		const many = await raw(r, id);
		const ids = Array.from({ length: 10 }, (_, i) => 5000 + i);
		sendPresence(
			many,
			ids.map((clientID) => ({ clientID, clock: 1, state: { name: `n${clientID}` } }))
		);
		await expect
			.poll(() => r.metric('railyard_awareness_dropped_total', { reason: 'too_many_ids' }))
			.toBe(10 - MAX_IDS_PER_CONNECTION);
		await expect
			.poll(() => ids.filter((clientID) => seen(observer, clientID) !== undefined).length)
			.toBe(MAX_IDS_PER_CONNECTION);
	});

	it('drops a presence state over MAX_STATE_BYTES without closing the connection', async () => {
		const { r, id, observer } = await setup();
		const big = await raw(r, id);
		sendPresence(big, [
			{ clientID: 7001, clock: 1, state: { name: 'x'.repeat(MAX_STATE_BYTES) } },
			{ clientID: 7002, clock: 1, state: { name: 'small' } }
		]);
		await expect.poll(() => seen(observer, 7002)).toBe('small');
		expect(seen(observer, 7001)).toBeUndefined();
		expect(await r.metric('railyard_awareness_dropped_total', { reason: 'state_too_big' })).toBe(1);
		expect(big.readyState).toBe(big.OPEN);
	});
});
