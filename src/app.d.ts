// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Error {
			message: string;
			/** A sentence on what to do next, for errors the page can explain (e.g. a revoked link). */
			detail?: string;
		}
	}
}

export {};
