import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		// The production entry (server/index.ts) mounts this handler next to the relay.
		adapter: adapter({ out: 'build' }),
		// Absolute asset links, so the service worker's one cached shell works at every URL offline.
		paths: { relative: false },
		// Sent as a header with a nonce per page (server/security-headers.ts covers the rest).
		// Svelte sets inline style attributes, hence 'unsafe-inline' for styles only; the relay's
		// websocket is same-host, but CSP 'self' does not cover ws: in every browser.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				// src/app.html's inline theme script carries the page's nonce, like SvelteKit's own.
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'connect-src': ['self', 'ws:', 'wss:'],
				'font-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none'],
				'worker-src': ['self']
			}
		},
		typescript: {
			// Type-check the relay and the root configs with the app.
			config(tsconfig) {
				tsconfig.include.push('../server/**/*.ts', '../*.config.ts', '../*.config.js');
				return tsconfig;
			}
		}
	}
};

export default config;
