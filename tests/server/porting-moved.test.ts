/**
 * Cluster mode: an import or restore sent through a relay that forwards the board can lose its
 * answer when the board moves (a failover, a gap the stream no longer holds). The person gets a
 * 503 that says to look before trying again, not a 500 "internal error".
 */
import { describe, expect, it } from 'vitest';
import { BoardMovedError } from '../../server/cluster/forwarded-room.ts';
import { HttpError } from '../../server/http/api.ts';
import { boardDocs } from '../../server/http/porting.ts';
import type { RoomSource } from '../../server/sync/room-handle.ts';
import { createMemoryStore } from '../../server/storage/memory.ts';

describe('an import whose board moved away before it was confirmed', () => {
	it('answers 503 and says to check the board before trying again', async () => {
		const room = {
			apply: () => Promise.reject(new BoardMovedError('the board moved to another relay')),
			flush: () => Promise.resolve()
		};
		const rooms = { open: async () => room, get: () => room } as unknown as RoomSource;
		const docs = boardDocs({ store: createMemoryStore(), rooms });
		const refused = await docs.apply('b1', new Uint8Array([0, 0]), 'editor').catch((e) => e);
		expect(refused).toBeInstanceOf(HttpError);
		expect((refused as HttpError).status).toBe(503);
		expect((refused as HttpError).message).toMatch(/reload the board to see whether it arrived/);
	});
});
