/**
 * An in-process relay on 127.0.0.1:0 for tests: quiet, with its own store, and a close() that
 * tears everything down. Use startRelayProcess (relay-process.ts) when the test needs to kill it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import type { RelayLimits } from '../../server/config.ts';
import { createRelay, type Relay } from '../../server/relay.ts';
import { createMemoryStore } from '../../server/storage/memory.ts';
import type { BoardStore } from '../../server/storage/types.ts';

export interface TestRelay {
	url: string;
	/** What a stock y-websocket client takes as its server URL. */
	syncUrl: string;
	relay: Relay;
	store: BoardStore;
	createBoard(template?: 'empty' | 'sample', title?: string): Promise<string>;
	/** The board exactly as stored (snapshot and log, concatenated), to compare byte for byte. */
	stored(boardId: string): Buffer;
	/** A sample's value from GET /metrics (0 when the series does not exist yet). */
	metric(name: string, labels?: Record<string, string>): Promise<number>;
	close(): Promise<void>;
}

export async function startRelay(
	opts: {
		store?: BoardStore;
		limits?: Partial<RelayLimits>;
		trustProxy?: boolean;
		keepStore?: boolean;
	} = {}
): Promise<TestRelay> {
	const store = opts.store ?? createMemoryStore();
	const relay = createRelay({
		store,
		logger: pino({ level: 'silent' }),
		limits: opts.limits,
		trustProxy: opts.trustProxy
	});
	const server = http.createServer((req, res) => {
		if (!relay.handleHttp(req, res)) {
			res.writeHead(404);
			res.end();
		}
	});
	server.on('upgrade', (req, socket, head) => {
		if (!relay.handleUpgrade(req, socket, head)) socket.destroy();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const url = `http://127.0.0.1:${port}`;
	return {
		url,
		syncUrl: `ws://127.0.0.1:${port}/sync`,
		relay,
		store,
		async createBoard(template = 'empty', title) {
			return createBoardOver(url, template, title);
		},
		stored(boardId) {
			const board = store.load(boardId);
			if (!board) throw new Error(`no stored board ${boardId}`);
			return Buffer.concat(board.updates);
		},
		async metric(name, labels = {}) {
			return metricValue(await (await fetch(`${url}/metrics`)).text(), name, labels);
		},
		async close() {
			await relay.close();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			if (!opts.keepStore) store.close();
		}
	};
}

export async function createBoardOver(
	url: string,
	template: 'empty' | 'sample' = 'empty',
	title?: string
): Promise<string> {
	const res = await fetch(`${url}/api/boards`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ template, title })
	});
	if (res.status !== 201) throw new Error(`create board: ${res.status} ${await res.text()}`);
	return ((await res.json()) as { id: string }).id;
}

/** Reads one sample from Prometheus text format; labels must match exactly those given. */
export function metricValue(
	text: string,
	name: string,
	labels: Record<string, string> = {}
): number {
	const wanted = Object.entries(labels)
		.map(([key, value]) => `${key}="${value}"`)
		.sort()
		.join(',');
	for (const line of text.split('\n')) {
		if (!line.startsWith(name)) continue;
		const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
		if (!match || match[1] !== name) continue;
		const have = (match[2] ?? '').split(',').filter(Boolean).sort().join(',');
		if (have === wanted) return Number(match[3]);
	}
	return 0;
}
