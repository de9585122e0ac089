/**
 * An in-process relay on 127.0.0.1:0 for tests: quiet, with its own store and signing secret,
 * and a close() that tears everything down. Use startRelayProcess (relay-process.ts) when the
 * test needs to kill it.
 *
 * Boards are created through the API, like any script would; the owner token it answers with is
 * remembered (boardTokens) so the client helpers connect with it unless told otherwise.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import type { RelayLimits } from '../../server/config.ts';
import { createRelay, type Relay } from '../../server/relay.ts';
import { createMemoryStore } from '../../server/storage/memory.ts';
import type { BoardStore } from '../../server/storage/types.ts';
import type { SharedRole } from '../../src/lib/protocol/roles.ts';

export const TEST_SECRET = new Uint8Array(crypto.randomBytes(32));

export interface TestRelay {
	url: string;
	/** What a stock y-websocket client takes as its server URL. */
	syncUrl: string;
	relay: Relay;
	store: BoardStore;
	createBoard(template?: 'empty' | 'sample', title?: string): Promise<string>;
	/** The owner token the API gave when `boardId` was created. */
	ownerToken(boardId: string): string;
	/** Mints a share link through the API, as the board's owner would. */
	share(
		boardId: string,
		body: { role: SharedRole; label?: string; expiresAt?: number | null }
	): Promise<{ link: { id: string; role: string; expiresAt: number | null }; token: string }>;
	/** fetch() against the relay, with `Authorization: Bearer <token>` when a token is given. */
	api(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
	/** The board exactly as stored (snapshot and log, concatenated), to compare byte for byte. */
	stored(boardId: string): Promise<Buffer>;
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
		/**
		 * Defaults to one random secret per test process, so a relay restarted on the same store
		 * accepts the links the first one issued (as the server does with DATA_DIR/secret.key).
		 */
		secret?: Uint8Array;
		adminToken?: string;
		allowedOrigins?: string[];
		now?: () => number;
	} = {}
): Promise<TestRelay> {
	const store = opts.store ?? createMemoryStore();
	const relay = createRelay({
		store,
		logger: pino({ level: 'silent' }),
		limits: opts.limits,
		trustProxy: opts.trustProxy,
		secret: opts.secret ?? TEST_SECRET,
		adminToken: opts.adminToken,
		allowedOrigins: opts.allowedOrigins,
		now: opts.now
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
		ownerToken,
		async share(boardId, body) {
			const res = await apiFetch(url, `/api/boards/${boardId}/links`, {
				method: 'POST',
				token: ownerToken(boardId),
				body: JSON.stringify(body)
			});
			if (res.status !== 201) throw new Error(`share: ${res.status} ${await res.text()}`);
			return res.json();
		},
		api(path, init) {
			return apiFetch(url, path, init);
		},
		async stored(boardId) {
			const board = await store.load(boardId);
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
			if (!opts.keepStore) await store.close();
		}
	};
}

/** Owner tokens of the boards created through createBoardOver, by board id. */
export const boardTokens = new Map<string, string>();

export function ownerToken(boardId: string): string {
	const token = boardTokens.get(boardId);
	if (!token)
		throw new Error(`no owner token for board ${boardId}: create it with createBoardOver`);
	return token;
}

export function apiFetch(
	url: string,
	path: string,
	init: RequestInit & { token?: string | null } = {}
): Promise<Response> {
	const { token, ...rest } = init;
	const headers = new Headers(rest.headers);
	if (token) headers.set('authorization', `Bearer ${token}`);
	if (rest.body !== undefined && !headers.has('content-type')) {
		headers.set('content-type', 'application/json');
	}
	return fetch(`${url}${path}`, { ...rest, headers });
}

/** Creates a board through the API and remembers its owner token. Returns the board id. */
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
	const body = (await res.json()) as { id: string; owner: { token: string } };
	boardTokens.set(body.id, body.owner.token);
	return body.id;
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
