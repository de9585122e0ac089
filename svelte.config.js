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
