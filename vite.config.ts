import { sveltekit } from '@sveltejs/kit/vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { within } from './tests/helpers/slowdown.ts';

/**
 * In development the relay runs inside Vite's HTTP server, so `npm run dev` is one process
 * serving the app (with hot reload) and `/sync/<boardId>` + `/api/*` on the same port.
 */
function railyardRelay(): Plugin {
	return {
		name: 'railyard-relay',
		apply: 'serve',
		async configureServer(server) {
			if (!server.httpServer) return;
			const { attachDevRelay } = await import('./server/dev.ts');
			const relay = await attachDevRelay(server.httpServer);
			server.middlewares.use((req, res, next) => {
				if (!relay.handleHttp(req, res)) next();
			});
		}
	};
}

export default defineConfig({
	plugins: [sveltekit(), railyardRelay()],
	test: {
		include: ['src/**/*.test.ts', 'tests/{server,fuzz,unit}/**/*.test.ts'],
		environment: 'node',
		// Budgets for waits on a busy machine; `npm run test:soak` scales them (tests/helpers/slowdown.ts).
		testTimeout: within(30_000),
		hookTimeout: within(30_000),
		// expect.poll's default of 1 s is a quiet machine's budget.
		expect: { poll: { timeout: within(10_000) } }
	}
});
