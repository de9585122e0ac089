/**
 * `node tests/bench/votes.ts`: what a room voting at once costs the relay. N editors (BENCH_VOTERS,
 * default 40) send a confidence ballot at the same moment, three rounds, on SQLite (in a temporary
 * DATA_DIR) or, with BENCH_STORE=memory, on the memory store. Prints, per round, the time until
 * every voter has its acknowledgement and how many count broadcasts the relay sent for it; then
 * close -> result. In-process relay and clients: read the numbers as ratios between stores and
 * versions on the same machine, not as absolute latencies.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as decoding from 'lib0/decoding';
import type WebSocket from 'ws';
import { openSqliteStore } from '../../server/storage/sqlite.ts';
import {
	encodeVoteFrame,
	MESSAGE_VOTE,
	parseServerVoteMessage,
	type ServerVoteMessage
} from '../../src/lib/protocol/votes.ts';
import { openRawSocket } from '../helpers/clients.ts';
import { startRelay } from '../helpers/relay.ts';

const N = Number(process.env.BENCH_VOTERS ?? 40);
const memory = process.env.BENCH_STORE === 'memory';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-bench-votes-'));
const relay = await startRelay(memory ? {} : { store: openSqliteStore({ dir }) });

function listen(ws: WebSocket, on: (message: ServerVoteMessage) => void): void {
	ws.on('message', (data: Buffer) => {
		const decoder = decoding.createDecoder(new Uint8Array(data));
		if (decoding.readVarUint(decoder) !== MESSAGE_VOTE) return;
		const parsed = parseServerVoteMessage(decoding.readVarString(decoder));
		if (parsed.ok) on(parsed.message);
	});
}

async function until(done: () => boolean): Promise<void> {
	while (!done()) await new Promise((resolve) => setTimeout(resolve, 1));
}

try {
	const boardId = await relay.createBoard('sample');
	const { token } = await relay.share(boardId, { role: 'editor' });
	const owner = await openRawSocket(relay.syncUrl, boardId);
	const seen: ServerVoteMessage[] = [];
	listen(owner, (m) => seen.push(m));
	owner.send(encodeVoteFrame({ t: 'hello', voter: 'owner-browser' }));
	const voters = await Promise.all(
		Array.from({ length: N }, () => openRawSocket(relay.syncUrl, boardId, { token }))
	);
	const acks = voters.map(() => 0);
	voters.forEach((ws, i) => {
		listen(ws, (m) => {
			if (m.t === 'mine') acks[i]! += 1;
		});
		ws.send(encodeVoteFrame({ t: 'hello', voter: `voter-browser-${i}` }));
	});
	owner.send(
		encodeVoteFrame({
			t: 'open',
			spec: { kind: 'confidence', title: '', subject: { type: 'plan' } }
		})
	);
	await until(() => seen.some((m) => m.t === 'current' && m.open?.eligible === N + 1));
	const current = seen.findLast((m) => m.t === 'current');
	const id = current?.t === 'current' ? current.open!.id : '';
	for (const round of [1, 2, 3]) {
		const before = seen.length;
		const started = performance.now();
		voters.forEach((ws, i) =>
			ws.send(
				encodeVoteFrame({
					t: 'ballot',
					id,
					ballot: { kind: 'confidence', value: ((i + round) % 5) + 1 }
				})
			)
		);
		await until(() => acks.every((n) => n >= round));
		const ms = performance.now() - started;
		await until(() => seen.slice(before).some((m) => m.t === 'current'));
		const broadcasts = seen.slice(before).filter((m) => m.t === 'current').length;
		console.log(
			`round ${round}: ${N} ballots acknowledged in ${ms.toFixed(1)} ms, ${broadcasts} count broadcast(s)`
		);
	}
	const closing = performance.now();
	owner.send(encodeVoteFrame({ t: 'close', id }));
	await until(() => seen.some((m) => m.t === 'result'));
	console.log(`close -> result: ${(performance.now() - closing).toFixed(1)} ms`);
	for (const ws of [owner, ...voters]) ws.terminate();
} finally {
	await relay.close();
	fs.rmSync(dir, { recursive: true, force: true });
}
