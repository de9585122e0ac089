/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * Just enough to open a board with no network: the built app (versioned, cached on install) and
 * the page shell. Every page renders in the browser (ssr = false), so one shell serves every
 * route; the board itself comes from IndexedDB (sync/board-cache.ts). Nothing else is cached:
 * the API and the relay's websocket always go to the network, so online behaviour is unchanged.
 */
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `railyard-${version}`;
const SHELL = '/';
const ASSETS = [...build, ...files];

sw.addEventListener('install', (event) => {
	event.waitUntil(
		caches
			.open(CACHE)
			.then((cache) => cache.addAll([...ASSETS, SHELL]))
			.then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) =>
				Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key)))
			)
			.then(() => sw.clients.claim())
	);
});

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	if (ASSETS.includes(url.pathname)) {
		// Built files are named by content hash: the cached copy is the right one.
		event.respondWith(caches.match(url.pathname).then((hit) => hit ?? fetch(request)));
	} else if (request.mode === 'navigate') {
		// The network first, so a deploy shows at once; the cached shell only when it fails. One
		// shell serves every route because its scripts are linked absolutely (svelte.config.js).
		event.respondWith(
			fetch(request).catch(async () => (await caches.match(SHELL)) ?? Response.error())
		);
	}
});
