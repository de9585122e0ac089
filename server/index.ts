/**
 * Railyard's production entry: one process, one port, serving the built SvelteKit app, the
 * boards API and the y-websocket relay. Configuration comes from the environment (config.ts).
 *   npm run build && node server/index.ts
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadSecret } from './auth/secret.ts';
import { readConfig } from './config.ts';
import { createLogger } from './log.ts';
import { createRelay } from './relay.ts';
import { setSecurityHeaders } from './http/security-headers.ts';
import { testClock } from './http/test-clock.ts';
import { describeStore, openStore } from './storage/open.ts';
import { openCluster } from './cluster/open.ts';
import type { PostgresStore } from './storage/postgres.ts';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const config = readConfig();
const log = createLogger(config.logLevel);
// Tests only (RAILYARD_TEST_CLOCK, only with NODE_ENV=test): one settable clock for all.
const clock = config.testClock ? testClock() : null;
const store = await openStore({ ...config, now: clock?.now });
// Cluster mode: the store is PostgreSQL (config.ts insists), whose epochs fence former owners.
const link = config.cluster ? await openCluster(config.cluster, log) : null;
const relay = createRelay({
	cluster: link ? { link, claim: (id) => (store as PostgresStore).claim(id) } : undefined,
	store,
	logger: log,
	limits: config.limits,
	trustProxy: config.trustProxy,
	processMetrics: true,
	secret: loadSecret({ env: config.secret, dataDir: config.dataDir }),
	adminToken: config.adminToken,
	allowedOrigins: config.allowedOrigins,
	now: clock?.now
});

/** The app built by `npm run build` (adapter-node). Without it, the relay still serves. */
async function loadApp(): Promise<Handler | null> {
	const file = path.join(root, 'build', 'handler.js');
	if (!fs.existsSync(file)) {
		log.warn({ file }, 'app not built (run `npm run build`); serving the relay and API only');
		return null;
	}
	return ((await import(pathToFileURL(file).href)) as { handler: Handler }).handler;
}

// The heartbeat first: owners drop the clients of a relay that has none.
await relay.cluster?.start();

const app = await loadApp();
const server = http.createServer((req, res) => {
	setSecurityHeaders(res);
	if (clock?.handle(req, res)) return;
	if (relay.handleHttp(req, res)) return;
	const notFound = () => {
		res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
		res.end('Not found');
	};
	if (app) app(req, res, notFound);
	else notFound();
});
server.on('upgrade', (req, socket, head) => {
	if (!relay.handleUpgrade(req, socket, head)) socket.destroy();
});

server.listen(config.port, config.host, () => {
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : config.port;
	const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
	log.info(
		{ url, store: describeStore(config), node: link?.token, redis: link && config.cluster?.prefix },
		'listening'
	);
	if (process.stdout.isTTY) process.stdout.write(`\n  Railyard is running at ${url}\n\n`);
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
	if (stopping) return;
	stopping = true;
	log.info({ signal }, 'shutting down');
	// Never hang: if something refuses to close, exit anyway once the data is flushed.
	const force = setTimeout(() => process.exit(0), 5000);
	force.unref();
	server.close();
	await relay.close();
	await link?.close();
	await store.close();
	server.closeAllConnections();
	log.info('stopped');
	process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
