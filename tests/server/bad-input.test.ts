/**
 * Fail the message, not the process: each class of bad input closes only the socket that sent it,
 * with the close code named for it; the stored board is byte-identical afterwards and everyone
 * else keeps editing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { createCard, readBoard } from '../../src/lib/model/index.ts';
import { CloseCode, closeReason } from '../../src/lib/protocol/close-codes.ts';
import { encodeAwareness, encodeSyncStep1, encodeUpdate } from '../../server/sync/protocol.ts';
import { closed, connectClient, openRawSocket, type TestClient } from '../helpers/clients.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function relay(): Promise<TestRelay> {
	const r = await startRelay({ limits: { maxFrameBytes: 4096 } });
	cleanups.push(() => r.close());
	return r;
}

function client(r: TestRelay, id: string): TestClient {
	const c = connectClient(r.syncUrl, id);
	cleanups.push(() => c.destroy());
	return c;
}

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
	const encoder = encoding.createEncoder();
	write(encoder);
	return encoding.toUint8Array(encoder);
}

const BAD_INPUT: { name: string; send: (ws: WebSocket) => void; code: number }[] = [
	{
		name: 'an unknown message type',
		send: (ws) => ws.send(Uint8Array.from([99, 1, 2])),
		code: CloseCode.PROTOCOL_ERROR
	},
	{
		name: 'an unknown sync message type',
		send: (ws) => ws.send(Uint8Array.from([0, 9, 0])),
		code: CloseCode.PROTOCOL_ERROR
	},
	{
		name: 'a truncated varint',
		send: (ws) => ws.send(Uint8Array.from([0x80])),
		code: CloseCode.PROTOCOL_ERROR
	},
	{
		name: 'a payload shorter than its declared length',
		send: (ws) => ws.send(Uint8Array.from([0, 2, 50, 1, 2, 3])),
		code: CloseCode.PROTOCOL_ERROR
	},
	{
		name: 'bytes after the message',
		send: (ws) => ws.send(Uint8Array.from([...encodeUpdate(Uint8Array.from([0, 0])), 42])),
		code: CloseCode.PROTOCOL_ERROR
	},
	{
		name: 'an empty frame',
		send: (ws) => ws.send(new Uint8Array(0)),
		code: CloseCode.PROTOCOL_ERROR
	},
	{
		name: 'an update Yjs rejects',
		send: (ws) => ws.send(encodeUpdate(Uint8Array.from([5, 200, 1, 3, 99, 99, 99]))),
		code: CloseCode.BAD_UPDATE
	},
	{
		name: 'a sync step 2 Yjs rejects',
		send: (ws) =>
			ws.send(
				frame((e) => {
					encoding.writeVarUint(e, 0);
					encoding.writeVarUint(e, 1);
					encoding.writeVarUint8Array(e, Uint8Array.from([1, 1, 7, 0, 255, 255]));
				})
			),
		code: CloseCode.BAD_UPDATE
	},
	{
		name: 'a malformed state vector',
		send: (ws) => ws.send(encodeSyncStep1(Uint8Array.from([3, 1]))),
		code: CloseCode.PROTOCOL_ERROR
	},
	{
		name: 'an awareness update with broken JSON',
		send: (ws) =>
			ws.send(
				encodeAwareness(
					frame((e) => {
						encoding.writeVarUint(e, 1);
						encoding.writeVarUint(e, 77);
						encoding.writeVarUint(e, 1);
						encoding.writeVarString(e, '{"user":');
					})
				)
			),
		code: CloseCode.PROTOCOL_ERROR
	},
	{
		name: 'a text frame',
		send: (ws) => ws.send('{"type":"sync"}'),
		code: CloseCode.PROTOCOL_ERROR
	},
	{
		name: 'a frame over MAX_FRAME_BYTES',
		send: (ws) => ws.send(encodeUpdate(new Uint8Array(8000))),
		code: CloseCode.TOO_BIG
	}
];

describe('bad input', () => {
	it.each(BAD_INPUT)('$name closes only that socket, with a named code', async ({ send, code }) => {
		const r = await relay();
		const id = await r.createBoard('sample');
		const good = client(r, id);
		await good.synced;
		const stored = await r.stored(id);

		const bad = await openRawSocket(r.syncUrl, id);
		const badClosed = closed(bad);
		send(bad);
		expect((await badClosed).code).toBe(code);
		await expect
			.poll(() =>
				r.metric('railyard_closes_total', { reason: closeReason(code), initiator: 'relay' })
			)
			.toBe(1);
		expect((await r.stored(id)).equals(stored)).toBe(true);

		// Everyone else carries on: an edit still goes through and reaches a newcomer.
		const { periods, programs } = readBoard(good.doc);
		const laneId = programs[0]!.lanes[0]!.id;
		createCard(good.doc, { laneId, periodId: periods[0]!.id, title: 'Still here' });
		const late = client(r, id);
		await late.synced;
		await expect
			.poll(() => JSON.stringify(readBoard(late.doc)))
			.toBe(JSON.stringify(readBoard(good.doc)));
		expect(good.provider.wsconnected).toBe(true);
	});

	it('ignores whatever a socket sends after the frame that closed it', async () => {
		const r = await relay();
		const id = await r.createBoard('sample');
		const stored = await r.stored(id);
		const bad = await openRawSocket(r.syncUrl, id);
		const badClosed = closed(bad);
		// A valid edit right behind a bad frame: it arrives before the client sees the close.
		const edit = new Y.Doc();
		edit.getText('sneaky').insert(0, 'should not be stored');
		bad.send(Uint8Array.from([7]));
		bad.send(encodeUpdate(Y.encodeStateAsUpdate(edit)));
		expect((await badClosed).code).toBe(CloseCode.PROTOCOL_ERROR);
		expect((await r.stored(id)).equals(stored)).toBe(true);
	});
});
