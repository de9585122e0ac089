import * as Y from 'yjs';
import { deleteProgram, moveLane, readBoard, updateLane } from '../../src/lib/model/index.ts';
import { connectClient } from '../helpers/clients.ts';
import { createBoard, expect, openBoard, test } from './fixtures.ts';

/** A stock y-websocket client in the test process: the board as another tool would change it. */
function syncUrl(baseURL: string | undefined): string {
	return `${baseURL!.replace(/^http/, 'ws')}/sync`;
}

function findLane(doc: Y.Doc, name: string) {
	for (const program of readBoard(doc).programs) {
		const lane = program.lanes.find((l) => l.name === name);
		if (lane) return lane;
	}
	throw new Error(`no lane ${name}`);
}

test('edits from another client show up live', async ({ page, baseURL, request }) => {
	const board = await createBoard(request, { template: 'sample' });
	await openBoard(page, board);
	const peer = connectClient(syncUrl(baseURL), board.id, new Y.Doc(), { token: board.token });
	try {
		await peer.synced;
		const lane = findLane(peer.doc, 'Onboarding journey');
		updateLane(peer.doc, { id: lane.id, health: 'off-track', progress: 85 });

		const row = page.getByRole('row', { name: 'Priority 3: Onboarding journey' });
		await expect(row.getByRole('rowheader')).toContainText('Off track');
		await expect(row.getByRole('rowheader')).toContainText('85%');
	} finally {
		peer.destroy();
	}
});

test('a lane moved into a program someone deleted is set aside, not lost', async ({
	page,
	baseURL,
	request
}) => {
	const board = await createBoard(request, { template: 'sample' });
	await openBoard(page, board);
	const peer = connectClient(syncUrl(baseURL), board.id, new Y.Doc(), { token: board.token });
	try {
		await peer.synced;
		// Two people at once: one deletes a program while the other (offline copy) moves a lane
		// into it. Merged, the lane has no program to live in.
		const offline = new Y.Doc();
		Y.applyUpdate(offline, Y.encodeStateAsUpdate(peer.doc));
		const snapshot = readBoard(peer.doc);
		const platform = snapshot.programs.find((p) => p.name === 'Platform reliability')!;
		const partnerApi = findLane(peer.doc, 'Partner API');
		deleteProgram(peer.doc, { id: platform.id });
		moveLane(offline, { id: partnerApi.id, programId: platform.id, index: 0 });
		Y.applyUpdate(peer.doc, Y.encodeStateAsUpdate(offline));

		await expect(page.getByRole('heading', { name: 'Platform reliability' })).toBeHidden();
		await expect(page.getByRole('row', { name: /Partner API/ })).toBeHidden();
		const banner = page.getByRole('group').filter({ hasText: 'lost its place' });
		await expect(banner).toContainText('1 project lane has lost its place on the board');
		await banner.getByText(/lost its place/).click();
		await expect(banner).toContainText('Lane “Partner API” with 4 cards');
	} finally {
		peer.destroy();
	}
});
