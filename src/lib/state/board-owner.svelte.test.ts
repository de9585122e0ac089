import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createRisk } from '$lib/model/index.ts';
import { localConnection } from '../../../tests/helpers/local-connection.ts';
import { BoardState } from './board.svelte.ts';

const settle = () => new Promise<void>((resolve) => queueMicrotask(resolve));

describe('moving a risk to Owned', () => {
	it('asks for an owner when it has none, and moves with the name given', async () => {
		const board = new BoardState(localConnection().connection);
		const id = board.run(createRisk, { title: 'Vendor' }) as string;
		await settle();
		expect(board.move({ kind: 'risk', id, roam: 'owned', index: 0 })).toBe(false);
		expect(board.ownerWanted).toEqual({ kind: 'risk', id, roam: 'owned', index: 0 });
		expect(board.risks.new.map((r) => r.id)).toEqual([id]);
		expect(board.announcement).toContain('Who owns Vendor?');

		expect(board.answerOwner('Ana')).toBe(true);
		expect(board.ownerWanted).toBeNull();
		expect(board.risks.owned.map((r) => [r.id, r.owner])).toEqual([[id, 'Ana']]);
		expect(board.error).toBeNull();
		board.destroy();
	});

	it('leaves the risk where it was when the question is cancelled', async () => {
		const board = new BoardState(localConnection().connection);
		const id = board.run(createRisk, { title: 'Vendor' }) as string;
		await settle();
		board.move({ kind: 'risk', id, roam: 'owned', index: 0 });
		expect(board.answerOwner(null)).toBe(false);
		await settle();
		expect(board.ownerWanted).toBeNull();
		expect(board.risks.new.map((r) => r.id)).toEqual([id]);
		board.destroy();
	});

	it('moves at once a risk that already has an owner, or one moved elsewhere', async () => {
		const board = new BoardState(localConnection().connection);
		const owned = board.run(createRisk, { title: 'Staff', owner: 'Lee' }) as string;
		const other = board.run(createRisk, { title: 'Data' }) as string;
		await settle();
		expect(board.move({ kind: 'risk', id: owned, roam: 'owned', index: 0 })).toBe(true);
		expect(board.move({ kind: 'risk', id: other, roam: 'accepted', index: 0 })).toBe(true);
		expect(board.ownerWanted).toBeNull();
		expect(board.risks.owned.map((r) => r.title)).toEqual(['Staff']);
		expect(board.risks.accepted.map((r) => r.title)).toEqual(['Data']);
		board.destroy();
	});

	it('asks nothing of a viewer, who cannot move it', async () => {
		const doc = new Y.Doc();
		const id = createRisk(doc, { title: 'Vendor' });
		const viewer = new BoardState(localConnection(doc).connection, { role: 'viewer' });
		expect(viewer.move({ kind: 'risk', id, roam: 'owned', index: 0 })).toBe(false);
		expect(viewer.ownerWanted).toBeNull();
		expect(viewer.risks.new.map((r) => r.id)).toEqual([id]);
		viewer.destroy();
	});
});
