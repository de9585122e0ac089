/**
 * A compacted board is answered before its doc is built: the stored snapshot is the reply a new
 * joiner needs, so after a restart nobody waits for Yjs to rebuild a large board first. Driven
 * with in-memory peers, so the order of events is exact.
 */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import * as Y from 'yjs';
import { seedSampleBoard } from '../../src/lib/model/index.ts';
import { AuthorLog } from '../../server/sync/author-log.ts';
import { CommitQueue } from '../../server/sync/commit-queue.ts';
import { DEFAULT_LIMITS } from '../../server/config.ts';
import { createMetrics } from '../../server/metrics.ts';
import type { Peer } from '../../server/sync/peer.ts';
import { decodeMessage, encodeSyncStep1, encodeUpdate } from '../../server/sync/protocol.ts';
import { Room } from '../../server/sync/room.ts';
import { createMemoryStore } from '../../server/storage/memory.ts';

async function setup() {
	const store = createMemoryStore();
	const board = new Y.Doc();
	seedSampleBoard(board, { title: 'Cold' });
	const snapshot = Y.encodeStateAsUpdate(board);
	await store.create({ id: 'cold', title: 'Cold' }, snapshot);
	const metrics = createMetrics({
		roomsLoaded: () => 1,
		connections: () => 1,
		queuedBytes: () => 0
	});
	const room = (await Room.load({
		id: 'cold',
		store,
		logger: pino({ level: 'silent' }),
		limits: DEFAULT_LIMITS,
		metrics,
		commits: new CommitQueue({ store, metrics }),
		authors: new AuthorLog({ store, logger: pino({ level: 'silent' }) })
	}))!;
	return { room, snapshot, store };
}

function peer(id: string) {
	const received: ReturnType<typeof decodeMessage>[] = [];
	const p: Peer = {
		id,
		send: (frame) => received.push(decodeMessage(frame)),
		reply: (frame, written) => {
			received.push(decodeMessage(frame));
			written?.();
		},
		close: () => {}
	};
	return { p, received };
}

const turn = () => new Promise((resolve) => setTimeout(resolve, 0));
const EMPTY = Y.encodeStateVector(new Y.Doc());

describe('cold load', () => {
	it('answers a new joiner with the stored snapshot, then builds the doc and sends step 1', async () => {
		const { room, snapshot } = await setup();
		const joiner = peer('a');
		room.join(joiner.p);
		expect(joiner.received).toEqual([]); // no step 1 yet: that needs the doc
		room.receive(joiner.p, encodeSyncStep1(EMPTY));
		expect(joiner.received).toHaveLength(1);
		const reply = joiner.received[0]!;
		expect(reply.type).toBe('sync-step2');
		expect(reply.type === 'sync-step2' && Buffer.from(reply.update).equals(snapshot)).toBe(true);

		await turn();
		expect(joiner.received.map((m) => m.type)).toEqual(['sync-step2', 'sync-step1']);
		const board = new Y.Doc();
		Y.applyUpdate(board, snapshot);
		expect(room.doc.getText('title').toString()).toBe(board.getText('title').toString());
	});

	it('builds the doc at once for an update or a client that already has part of the board', async () => {
		const { room, snapshot, store } = await setup();
		const writer = peer('w');
		room.join(writer.p);
		const doc = new Y.Doc();
		Y.applyUpdate(doc, snapshot);
		const before = Y.encodeStateVector(doc);
		doc.getText('notes').insert(0, 'written before the doc was built');
		room.receive(writer.p, encodeUpdate(Y.encodeStateAsUpdate(doc, before)));
		expect(room.doc.getText('notes').toString()).toBe('written before the doc was built');
		await room.flush();
		expect((await store.load('cold'))!.updates).toHaveLength(2);

		const returning = peer('r');
		room.join(returning.p);
		room.receive(returning.p, encodeSyncStep1(before));
		const diff = returning.received.find((m) => m.type === 'sync-step2');
		expect(diff && diff.type === 'sync-step2' && diff.update.length).toBeLessThan(snapshot.length);
	});
});
