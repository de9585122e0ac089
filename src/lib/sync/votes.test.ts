import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startRelay, type TestRelay } from '../../../tests/helpers/relay.ts';
import { VoteState } from '$lib/state/votes.svelte.ts';
import { connectBoard, type BoardConnection } from './connect-board.ts';
import { browserId, BROWSER_ID_KEY } from './votes.ts';
import { memoryStorage } from './memory-storage.ts';

describe('the vote channel over a real relay', () => {
	let relay: TestRelay;
	const open: BoardConnection[] = [];
	beforeAll(async () => {
		relay = await startRelay();
	});
	afterAll(async () => {
		for (const connection of open) connection.destroy();
		await relay.close();
	});

	function connect(boardId: string, token: string) {
		const connection = connectBoard({
			boardId,
			url: relay.url.replace(/^http/, 'ws'),
			token,
			cache: false
		});
		open.push(connection);
		return { connection, votes: new VoteState({ channel: connection.votes }) };
	}

	it('says hello on connect, and carries a vote from open to result between two browsers', async () => {
		const errors = vi.spyOn(console, 'error');
		const boardId = await relay.createBoard('sample');
		const { token } = await relay.share(boardId, { role: 'editor' });
		const owner = connect(boardId, relay.ownerToken(boardId));
		const editor = connect(boardId, token);
		await expect.poll(() => owner.votes.joined && editor.votes.joined).toBe(true);
		expect(owner.votes.canFacilitate).toBe(true);
		expect(editor.votes.canFacilitate).toBe(false);
		expect(editor.votes.canVote).toBe(true);

		owner.votes.openConfidence({ subject: { type: 'plan' } });
		await expect.poll(() => editor.votes.open?.eligible).toBe(2);
		editor.votes.vote(2);
		owner.votes.vote(5);
		await expect.poll(() => owner.votes.open?.voted).toBe(2);
		expect(editor.votes.mine).toEqual({ kind: 'confidence', value: 2 });
		owner.votes.close();
		await expect
			.poll(() => editor.votes.result?.result)
			.toEqual({
				kind: 'confidence',
				average: 3.5,
				distribution: [0, 1, 0, 0, 1]
			});
		expect(editor.votes.open).toBeNull();
		// The stock provider never saw a message type it could not handle.
		expect(errors).not.toHaveBeenCalledWith('Unable to compute message');
		errors.mockRestore();
	});

	it('keeps one browser id per browser, and makes one where storage is refused', () => {
		const storage = memoryStorage();
		const first = browserId(storage);
		expect(first).toMatch(/^[A-Za-z0-9_-]{21}$/);
		expect(browserId(storage)).toBe(first);
		expect(storage.getItem(BROWSER_ID_KEY)).toBe(first);
		const refusing = {
			getItem: () => {
				throw new Error('denied');
			},
			setItem: () => {}
		};
		expect(browserId(refusing)).toMatch(/^[A-Za-z0-9_-]{21}$/);
	});
});
