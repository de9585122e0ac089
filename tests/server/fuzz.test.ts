/**
 * Bounded, seeded fuzzing of a live relay: random bytes and mutations of real protocol frames,
 * one raw socket at a time. Afterwards the relay is up, a stock client syncs the same board, and
 * the stored board is byte-identical to before.
 *
 * A mutation can turn into a perfectly valid edit, which the relay must accept. So an oracle (a
 * copy of the board) vets every frame that decodes to a document update, and such legitimate edits
 * are not sent: everything that is sent must leave the board exactly as it was.
 *
 * Reproduce a run with FUZZ_SEED=<seed>; FUZZ_FRAMES and FUZZ_MS bound its length.
 */
import { within } from '../helpers/slowdown.ts';
import { isDeepStrictEqual } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { createCard, readBoard } from '../../src/lib/model/index.ts';
import { encodeAwarenessEntries } from '../../server/awareness-owners.ts';
import { CloseCode, closeReason } from '../../src/lib/protocol/close-codes.ts';
import {
	decodeMessage,
	encodeAwareness,
	encodeSyncStep1,
	encodeSyncStep2,
	encodeUpdate,
	MESSAGE_QUERY_AWARENESS
} from '../../server/protocol.ts';
import { connectClient, openRawSocket, type TestClient } from '../helpers/clients.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';

const SEED = Number(process.env.FUZZ_SEED) || Date.now() % 2 ** 31;
const MAX_FRAMES = Number(process.env.FUZZ_FRAMES) || 3000;
const MAX_MS = Number(process.env.FUZZ_MS) || 4000;
const MAX_FRAME_BYTES = 64 * 1024;

/** How a bad frame may end its socket. Anything else (INTERNAL_ERROR above all) is a relay bug. */
const EXPECTED_CLOSES = new Set<number>([
	CloseCode.PROTOCOL_ERROR,
	CloseCode.BAD_UPDATE,
	CloseCode.TOO_BIG,
	CloseCode.INVALID_PAYLOAD
]);

type Rng = () => number;

function mulberry32(seed: number): Rng {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const int = (rng: Rng, n: number) => Math.floor(rng() * n);
const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, items.length)] as T;
const randomBytes = (rng: Rng, n: number) => Uint8Array.from({ length: n }, () => int(rng, 256));

/** Small structural damage: what a buggy encoder or a flaky proxy does to a frame. */
function mutate(rng: Rng, input: Uint8Array): Uint8Array {
	let bytes = Uint8Array.from(input);
	const rounds = 1 + int(rng, 3);
	for (let i = 0; i < rounds; i++) {
		const at = int(rng, bytes.length + 1);
		switch (int(rng, 7)) {
			case 0: // flip bits
				if (bytes.length) bytes[at % bytes.length]! ^= 1 << int(rng, 8);
				break;
			case 1: // truncate
				bytes = bytes.slice(0, at);
				break;
			case 2: // insert random bytes
				bytes = Uint8Array.from([
					...bytes.slice(0, at),
					...randomBytes(rng, 1 + int(rng, 8)),
					...bytes.slice(at)
				]);
				break;
			case 3: // delete a range
				bytes = Uint8Array.from([...bytes.slice(0, at), ...bytes.slice(at + 1 + int(rng, 16))]);
				break;
			case 4: // a huge varint where a small one was
				bytes = Uint8Array.from([
					...bytes.slice(0, at),
					0xff,
					0xff,
					0xff,
					0xff,
					0x0f,
					...bytes.slice(at + 1)
				]);
				break;
			case 5: // duplicate a range
				bytes = Uint8Array.from([
					...bytes.slice(0, at),
					...bytes.slice(at, at + 1 + int(rng, 32)),
					...bytes.slice(at)
				]);
				break;
			default: // set a byte to an edge value
				if (bytes.length) bytes[at % bytes.length] = pick(rng, [0, 1, 0x7f, 0x80, 0xff]);
		}
	}
	return bytes;
}

/** Real frames of every kind, as a stock client would send them, to mutate. */
function corpus(board: Uint8Array): Uint8Array[] {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, board);
	const before = Y.encodeStateVector(doc);
	const { programs, periods } = readBoard(doc);
	createCard(doc, {
		laneId: programs[0]!.lanes[0]!.id,
		periodId: periods[0]!.id,
		title: 'fuzz'
	});
	const edit = Y.encodeStateAsUpdate(doc, before);
	const presence = encodeAwarenessEntries([
		{ clientID: 4242, clock: 3, json: JSON.stringify({ user: { name: 'Fuzz' } }), removal: false }
	]);
	return [
		encodeSyncStep1(Y.encodeStateVector(new Y.Doc())),
		encodeSyncStep1(before),
		encodeSyncStep2(board),
		encodeUpdate(board),
		encodeUpdate(edit),
		encodeSyncStep2(edit),
		encodeAwareness(presence),
		Uint8Array.from([MESSAGE_QUERY_AWARENESS])
	];
}

/**
 * Whether `frame` is a document update that would legitimately change the board (or park pending
 * structs that a later frame could complete): the relay must accept those, so they are not sent.
 */
function wouldEdit(board: Uint8Array, frame: Uint8Array): boolean {
	let update: Uint8Array;
	try {
		const message = decodeMessage(frame);
		if (message.type !== 'update' && message.type !== 'sync-step2') return false;
		update = message.update;
	} catch {
		return false;
	}
	const copy = new Y.Doc();
	Y.applyUpdate(copy, board);
	let changed = false;
	copy.on('update', () => (changed = true));
	try {
		Y.applyUpdate(copy, update);
	} catch {
		return false; // the relay must refuse it too
	}
	return changed || copy.store.pendingStructs !== null || copy.store.pendingDs !== null;
}

type Outcome = { closed: number } | 'alive';

/** Sends `frame`, then a ping: the pong comes back only if the relay handled the frame and kept the socket. */
function sendAndSettle(ws: WebSocket, frame: Uint8Array | string): Promise<Outcome> {
	return new Promise((resolve) => {
		const onPong = () => done('alive');
		const onClose = (code: number) => done({ closed: code });
		const done = (outcome: Outcome) => {
			ws.off('pong', onPong);
			ws.off('close', onClose);
			resolve(outcome);
		};
		ws.on('pong', onPong);
		ws.on('close', onClose);
		ws.send(frame, { binary: typeof frame !== 'string' });
		ws.ping();
	});
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('relay fuzz', () => {
	it(
		`survives random and mutated frames with the board untouched (seed ${SEED})`,
		async () => {
			console.info(`relay fuzz seed ${SEED} (FUZZ_SEED=${SEED} to reproduce)`);
			const rng = mulberry32(SEED);
			const r: TestRelay = await startRelay({
				limits: { maxFrameBytes: MAX_FRAME_BYTES, rateLimitPerSecond: 0, pingIntervalMs: 0 }
			});
			cleanups.push(() => r.close());
			const id = await r.createBoard('sample');
			const keeper: TestClient = connectClient(r.syncUrl, id);
			cleanups.push(() => keeper.destroy());
			await keeper.synced;
			const stored = await r.stored(id);
			const board = Y.encodeStateAsUpdate(keeper.doc);
			const expected = readBoard(keeper.doc);
			const bases = corpus(board);

			const log: string[] = [];
			const closes = new Map<string, number>();
			let sent = 0;
			let skipped = 0;
			let ws = await openRawSocket(r.syncUrl, id);
			const started = Date.now();
			try {
				while (sent < MAX_FRAMES && Date.now() - started < MAX_MS) {
					let frame: Uint8Array | string;
					const kind = int(rng, 100);
					if (kind < 15) frame = randomBytes(rng, int(rng, 48));
					else if (kind < 25)
						frame = Uint8Array.from([int(rng, 5), ...randomBytes(rng, int(rng, 32))]);
					else if (kind < 85) frame = mutate(rng, pick(rng, bases));
					else if (kind < 97) {
						// A well-formed envelope around a damaged update, to reach Yjs's own decoder.
						const payload = mutate(rng, pick(rng, [board, ...bases]));
						frame = pick(rng, [encodeUpdate, encodeSyncStep2])(payload);
					} else if (kind < 99) frame = 'not a binary frame';
					else frame = new Uint8Array(MAX_FRAME_BYTES + 1 + int(rng, 1024));

					if (typeof frame !== 'string' && wouldEdit(board, frame)) {
						skipped += 1;
						continue;
					}
					sent += 1;
					const shown =
						typeof frame === 'string' ? frame : Buffer.from(frame.slice(0, 64)).toString('hex');
					log.push(`#${sent} ${shown}`);
					if (log.length > 20) log.shift();
					const outcome = await sendAndSettle(ws, frame);
					if (outcome !== 'alive') {
						const name = closeReason(outcome.closed);
						closes.set(name, (closes.get(name) ?? 0) + 1);
						expect(EXPECTED_CLOSES.has(outcome.closed), `seed ${SEED}: closed with ${name}`).toBe(
							true
						);
						ws = await openRawSocket(r.syncUrl, id);
					}
				}
			} catch (err) {
				console.error(`relay fuzz seed ${SEED} failed; last frames:\n${log.join('\n')}`);
				throw err;
			} finally {
				ws.terminate();
			}
			const resets = await r.metric('railyard_errors_total', { kind: 'room_reset' });
			console.info(
				`relay fuzz seed ${SEED}: ${sent} frames sent, ${skipped} valid edits held back, ` +
					`${resets} room resets, closes ${JSON.stringify(Object.fromEntries(closes))}`
			);

			expect((await fetch(`${r.url}/healthz`)).status).toBe(200);
			const late = connectClient(r.syncUrl, id);
			cleanups.push(() => late.destroy());
			await late.synced;
			expect(isDeepStrictEqual(readBoard(late.doc), expected), `seed ${SEED}`).toBe(true);
			expect((await r.stored(id)).equals(stored), `seed ${SEED}: the stored board changed`).toBe(
				true
			);
			expect(await r.metric('railyard_errors_total', { kind: 'internal' }), `seed ${SEED}`).toBe(0);
		},
		within(30_000)
	);
});
