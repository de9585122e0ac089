import * as decoding from 'lib0/decoding';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLane, createProgram, readBoard } from '$lib/model/index.ts';
import { startRelay, type TestRelay } from '../../../tests/helpers/relay.ts';
import { connectBoard, type BoardConnection, type ConnectionState } from './connect-board.ts';
import { CloseCode } from '$lib/protocol/close-codes.ts';

describe('connectBoard', () => {
	let relay: TestRelay;
	const open: BoardConnection[] = [];

	beforeAll(async () => {
		relay = await startRelay();
	});

	afterAll(async () => {
		for (const connection of open) connection.destroy();
		await relay.close();
	});

	function connect(
		boardId: string,
		opts: { token?: string; verify?: () => Promise<{ code: number; reason: string } | null> } = {}
	) {
		const connection = connectBoard({
			boardId,
			url: relay.url.replace(/^http/, 'ws'),
			token: opts.token ?? relay.ownerToken(boardId),
			verify: opts.verify
		});
		open.push(connection);
		return connection;
	}

	it('loads the board, migrates it once synced, and reports each status', async () => {
		const boardId = await relay.createBoard('sample', 'Roadmap');
		const connection = connect(boardId);
		const seen: ConnectionState['status'][] = [connection.state.status];
		connection.subscribe((state) => seen.push(state.status));

		await expect.poll(() => connection.state.loaded).toBe(true);
		expect(connection.state.status).toBe('connected');
		expect(connection.state.migration?.status).toBe('current');
		expect(seen).toEqual(['connecting', 'connected', 'connected']);
		expect(readBoard(connection.doc).title).toBe('Roadmap');
	});

	it('carries one client’s change to another', async () => {
		const boardId = await relay.createBoard('empty');
		const a = connect(boardId);
		const b = connect(boardId);
		await expect.poll(() => a.state.loaded && b.state.loaded).toBe(true);

		const programId = createProgram(a.doc, { name: 'Payments' });
		createLane(a.doc, { programId, name: 'Checkout' });
		await expect
			.poll(() => readBoard(b.doc).programs[0]?.lanes.map((lane) => lane.name))
			.toEqual(['Checkout']);
	});

	it('counts a change as waiting until the relay has it', async () => {
		const boardId = await relay.createBoard('empty');
		const connection = connect(boardId);
		await expect.poll(() => connection.state.loaded).toBe(true);
		const counts: number[] = [];
		connection.subscribe((state) => counts.push(state.pending));
		createProgram(connection.doc, { name: 'Payments' });
		expect(connection.state.pending).toBe(1);
		await expect.poll(() => connection.state.pending).toBe(0);
		expect(counts).toEqual([1, 0]);
	});

	it('stops reporting once destroyed', async () => {
		const boardId = await relay.createBoard('empty');
		const connection = connect(boardId);
		await expect.poll(() => connection.state.loaded).toBe(true);
		let calls = 0;
		connection.subscribe(() => (calls += 1));
		connection.destroy();
		expect(calls).toBe(0);
	});

	it('ends for good, with the relay’s reason, when its link is revoked', async () => {
		const boardId = await relay.createBoard('empty');
		const shared = await relay.share(boardId, { role: 'editor' });
		const connection = connect(boardId, { token: shared.token });
		await expect.poll(() => connection.state.loaded).toBe(true);
		const revoked = await relay.api(`/api/boards/${boardId}/links/${shared.link.id}`, {
			method: 'DELETE',
			token: relay.ownerToken(boardId)
		});
		expect(revoked.status).toBe(200);
		await expect.poll(() => connection.state.status).toBe('closed');
		expect(connection.state.closed).toEqual({
			code: CloseCode.LINK_REVOKED,
			reason: 'this link has been revoked'
		});
	});

	it('asks why when the relay keeps refusing it, and stops dialling once told', async () => {
		const boardId = await relay.createBoard('empty');
		let asked = 0;
		const connection = connect(boardId, {
			token: 'not-a-token',
			verify: async () => {
				asked++;
				return { code: CloseCode.LINK_EXPIRED, reason: 'This link does not work' };
			}
		});
		await expect.poll(() => connection.state.status, { timeout: 10_000 }).toBe('closed');
		expect(connection.state.closed).toEqual({
			code: CloseCode.LINK_EXPIRED,
			reason: 'This link does not work'
		});
		expect(connection.state.loaded).toBe(false);
		expect(asked).toBe(1);
	});

	it('sees it is offline when the browser says so late and sends no offline event', async () => {
		// As after a reload with no network: the first read says online, the truth comes later,
		// and no `offline` event follows. Nothing listens at this address, so every dial fails.
		const browser = { onLine: true };
		vi.stubGlobal('navigator', browser);
		try {
			const connection = connectBoard({
				boardId: 'nowhere',
				url: 'ws://127.0.0.1:9',
				cache: false
			});
			open.push(connection);
			expect(connection.state.online).toBe(true);
			browser.onLine = false;
			await expect.poll(() => connection.state.online, { timeout: 10_000 }).toBe(false);
			expect(connection.state.status).not.toBe('connected');
			// And back, with no `online` event either: dialling went on, so it is noticed.
			browser.onLine = true;
			await expect.poll(() => connection.state.online, { timeout: 10_000 }).toBe(true);
		} finally {
			vi.unstubAllGlobals();
		}
	});

	it('sends only its own presence, never echoes of other people’s', async () => {
		// Every frame each socket sends, by socket.
		const sent = new Map<WebSocket, Uint8Array[]>();
		const send = WebSocket.prototype.send;
		WebSocket.prototype.send = function (this: WebSocket, data) {
			const frames = sent.get(this) ?? [];
			frames.push(new Uint8Array(data as ArrayBuffer));
			sent.set(this, frames);
			return send.call(this, data);
		};
		/** The client ids an awareness frame (type 1) speaks for. */
		const ids = (frame: Uint8Array): number[] => {
			const decoder = decoding.createDecoder(frame);
			if (decoding.readVarUint(decoder) !== 1) return [];
			const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
			const count = decoding.readVarUint(update);
			const out: number[] = [];
			for (let i = 0; i < count; i++) {
				out.push(decoding.readVarUint(update));
				decoding.readVarUint(update);
				decoding.readVarString(update);
			}
			return out;
		};
		try {
			const boardId = await relay.createBoard('empty');
			const a = connect(boardId);
			const b = connect(boardId);
			await expect.poll(() => a.state.synced && b.state.synced).toBe(true);
			a.awareness.setLocalState({ user: { name: 'Ana', colour: '#2563eb' } });
			for (let i = 0; i < 3; i++) {
				b.awareness.setLocalStateField('cursor', { x: i, y: i });
				await expect
					.poll(() => a.awareness.getStates().get(b.doc.clientID)?.cursor)
					.toEqual({ x: i, y: i });
			}
			const socketsOf = (id: number) =>
				[...sent].filter(([, frames]) => frames.some((f) => ids(f).includes(id)));
			const fromA = socketsOf(a.doc.clientID);
			expect(fromA).toHaveLength(1);
			const echoed = fromA[0]![1].flatMap(ids).filter((id) => id !== a.doc.clientID);
			expect(echoed).toEqual([]);
		} finally {
			WebSocket.prototype.send = send;
		}
	});
});
