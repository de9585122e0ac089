/**
 * Durability of the real production process: SIGKILL at an arbitrary moment loses nothing that
 * any client received back from the relay; SIGTERM flushes and exits 0 promptly.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { createCard, createLane, readBoard } from '../../src/lib/model/index.ts';
import { connectClient, type TestClient } from '../helpers/clients.ts';
import { apiFetch, createBoardOver, ownerToken } from '../helpers/relay.ts';
import { startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts';
import { within } from '../helpers/slowdown.ts';

const procs: RelayProcess[] = [];
const clients: TestClient[] = [];
afterEach(async () => {
	for (const c of clients.splice(0)) c.destroy();
	for (const p of procs.splice(0)) await p.kill('SIGKILL');
});

async function start(dataDir?: string): Promise<RelayProcess> {
	const proc = await startRelayProcess({ dataDir });
	procs.push(proc);
	return proc;
}

function connect(proc: RelayProcess, boardId: string): TestClient {
	const c = connectClient(proc.url.replace('http', 'ws') + '/sync', boardId);
	clients.push(c);
	return c;
}

function cardTitles(doc: Y.Doc): Set<string> {
	const titles = new Set<string>();
	for (const program of readBoard(doc).programs)
		for (const lane of program.lanes)
			for (const cell of Object.values(lane.cells)) for (const card of cell) titles.add(card.title);
	return titles;
}

describe('crash safety', () => {
	it(
		'after SIGKILL mid-stream, a restart restores every update a client got back',
		async () => {
			const seed = Date.now();
			console.info(`crash test seed ${seed}`);
			let rand = seed % 2147483647;
			const random = () => (rand = (rand * 48271) % 2147483647) / 2147483647;

			let proc = await start();
			const boardId = await createBoardOver(proc.url, 'sample');
			const rounds = 3;
			let written = 0;
			for (let round = 0; round < rounds; round++) {
				const writer = connect(proc, boardId);
				const observer = connect(proc, boardId);
				await Promise.all([writer.synced, observer.synced]);
				const { programs, periods } = readBoard(writer.doc);
				const laneId = programs[0]!.lanes[0]!.id;
				// The observer only ever learns of a card through the relay's broadcast.
				const echoed = new Set<string>();
				observer.doc.on('update', () => {
					for (const title of cardTitles(observer.doc)) echoed.add(title);
				});
				const stream = setInterval(() => {
					for (let i = 0; i < 5; i++) {
						const periodId = periods[written % periods.length]!.id;
						createCard(writer.doc, { laneId, periodId, title: `card ${written++}` });
					}
					if (written % 50 === 0)
						createLane(writer.doc, { programId: programs[0]!.id, name: `L${written}` });
				}, 4);
				// Kill at a random moment once the stream is flowing (on a busy machine it may take a
				// while to start): every run then has something to lose.
				await expect.poll(() => echoed.size, { timeout: within(20_000) }).toBeGreaterThan(10);
				await new Promise((resolve) => setTimeout(resolve, random() * 600));
				await proc.kill('SIGKILL');
				clearInterval(stream);
				const seen = new Set(echoed);
				writer.destroy();
				observer.destroy();
				expect(seen.size, `seed ${seed}: the observer saw the stream`).toBeGreaterThan(10);

				proc = await start(proc.dataDir);
				const check = connect(proc, boardId);
				await check.synced;
				const restored = cardTitles(check.doc);
				const lost = [...seen].filter((title) => !restored.has(title));
				expect(lost, `seed ${seed}, round ${round}: lost after SIGKILL`).toEqual([]);
				check.destroy();
			}
		},
		within(90_000)
	);

	it(
		'on SIGTERM flushes every board and exits 0 within 5 s',
		async () => {
			const proc = await start();
			const boardId = await createBoardOver(proc.url, 'sample');
			const writer = connect(proc, boardId);
			await writer.synced;
			const { programs } = readBoard(writer.doc);
			for (let i = 0; i < 30; i++)
				createLane(writer.doc, { programId: programs[0]!.id, name: `T${i}` });
			const expected = readBoard(writer.doc);
			const token = ownerToken(boardId);
			await expect
				.poll(async () => (await apiFetch(proc.url, `/api/boards/${boardId}`, { token })).ok)
				.toBe(true);
			// Wait until the relay has echoed the last lane back, i.e. accepted it.
			const observer = connect(proc, boardId);
			await observer.synced;
			await expect
				.poll(() => readBoard(observer.doc).programs[0]!.lanes.length)
				.toBe(expected.programs[0]!.lanes.length);
			const started = Date.now();
			const code = await proc.stop();
			expect(code).toBe(0);
			expect(Date.now() - started).toBeLessThan(within(5000));

			const again = await start(proc.dataDir);
			const check = connect(again, boardId);
			await check.synced;
			expect(readBoard(check.doc)).toEqual(expected);
		},
		within(30_000)
	);
});
