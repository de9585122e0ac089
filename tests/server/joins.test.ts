/**
 * Joins are cheap and correct: every joiner with an empty doc is sent the same cached full-state
 * frame, encoded once per change of the board; any update invalidates it, so nobody is ever sent
 * a stale board.
 */
import { isDeepStrictEqual } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createLane, readBoard } from '../../src/lib/model/index.ts';
import { EncodedState } from '../../server/sync/encoded-state.ts';
import { connectClient, type TestClient } from '../helpers/clients.ts';
import { startRelay } from '../helpers/relay.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const fn of cleanups.splice(0).reverse()) await fn();
});

const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc());

function docWithText(text: string): Y.Doc {
	const doc = new Y.Doc();
	doc.getText('t').insert(0, text);
	return doc;
}

function watched(doc: Y.Doc, opts?: { snapshot?: Uint8Array }): EncodedState {
	const state = new EncodedState(doc, opts);
	doc.on('update', (update: Uint8Array) => state.invalidate(update));
	return state;
}

describe('EncodedState', () => {
	it('answers every new joiner with the same frame until the doc changes', () => {
		const doc = docWithText('hello');
		const state = watched(doc);
		const first = state.step2For(EMPTY_STATE_VECTOR);
		expect(state.step2For(EMPTY_STATE_VECTOR)).toBe(first);
		expect(state.step1Frame()).toBe(state.step1Frame());

		doc.getText('t').insert(5, ' world');
		const second = state.step2For(EMPTY_STATE_VECTOR);
		expect(second).not.toBe(first);
		const joiner = new Y.Doc();
		// The frame is [sync, step 2, varUint8Array update]; the update is its tail.
		Y.applyUpdate(joiner, second.subarray(second.length - state.full().length));
		expect(joiner.getText('t').toString()).toBe('hello world');
	});

	it('sends a client that already has part of the board only the rest', () => {
		const doc = docWithText('abc'.repeat(100));
		const state = watched(doc);
		const client = new Y.Doc();
		Y.applyUpdate(client, Y.encodeStateAsUpdate(doc));
		doc.getText('t').insert(300, 'def');
		const frame = state.step2For(Y.encodeStateVector(client));
		expect(frame.length).toBeLessThan(100);
		Y.applyUpdate(client, frame.subarray(3));
		expect(client.getText('t').toString()).toBe(doc.getText('t').toString());
	});

	it('starts from a stored snapshot without encoding, and bounds the size from above', () => {
		const doc = docWithText('snapshot');
		const snapshot = Y.encodeStateAsUpdate(doc);
		const state = watched(doc, { snapshot });
		expect(state.full()).toEqual(snapshot);
		doc.getText('t').insert(0, 'more ');
		expect(state.sizeBound()).toBeGreaterThanOrEqual(state.size());
	});
});

describe('joins', () => {
	it('serves a crowd joining at once the same board, and later joiners every edit', async () => {
		const r = await startRelay();
		cleanups.push(() => r.close());
		const id = await r.createBoard('sample');
		// Each stock provider adds a process 'exit' listener.
		process.setMaxListeners(64);
		const crowd: TestClient[] = [];
		for (let i = 0; i < 30; i++) {
			const c = connectClient(r.syncUrl, id);
			cleanups.push(() => c.destroy());
			crowd.push(c);
		}
		await Promise.all(crowd.map((c) => c.synced));
		const expected = readBoard(crowd[0]!.doc);
		expect(crowd.every((c) => isDeepStrictEqual(readBoard(c.doc), expected))).toBe(true);

		// An edit and a join in the same moment: the joiner must not get the cached old board.
		const programId = expected.programs[0]!.id;
		createLane(crowd[0]!.doc, { programId, name: 'Added while joining' });
		const late = connectClient(r.syncUrl, id);
		cleanups.push(() => late.destroy());
		await late.synced;
		await expect
			.poll(() => readBoard(late.doc).programs[0]!.lanes.map((l) => l.name))
			.toContain('Added while joining');
	});
});
