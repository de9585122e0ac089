/**
 * Development: mount the relay inside Vite's HTTP server so `npm run dev` serves the app with hot
 * reload and the relay on the same port, with the same storage as production.
 */
import type { Server as HttpServer } from 'node:http';
import type { Http2SecureServer } from 'node:http2';
import { loadSecret } from './auth/secret.ts';
import { readConfig } from './config.ts';
import { createLogger } from './log.ts';
import { createRelay, type Relay } from './relay.ts';
import { setSecurityHeaders } from './security-headers.ts';
import { describeStore, openStore } from './storage/open.ts';

export async function attachDevRelay(httpServer: HttpServer | Http2SecureServer): Promise<Relay> {
	const config = readConfig();
	const log = createLogger(config.logLevel);
	const store = await openStore(config);
	const relay = createRelay({
		store,
		logger: log,
		limits: config.limits,
		trustProxy: config.trustProxy,
		secret: loadSecret({ env: config.secret, dataDir: config.dataDir }),
		adminToken: config.adminToken,
		allowedOrigins: config.allowedOrigins
	});
	// Before Vite's own handlers, so every response (pages, modules, the API) carries them.
	httpServer.prependListener('request', (_req, res) => {
		if ('setHeader' in res) setSecurityHeaders(res);
	});
	httpServer.on('upgrade', (req, socket, head) => {
		relay.handleUpgrade(req, socket, head);
	});
	httpServer.on('close', () => {
		void relay.close().then(() => store.close());
	});
	log.info({ store: describeStore(config) }, 'relay mounted on the dev server at /sync');
	return relay;
}
