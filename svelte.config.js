import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		// The production entry (server/index.ts) mounts this handler next to the relay.
		adapter: adapter({ out: 'build' })
	}
};

export default config;
