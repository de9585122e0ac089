import type { KeyValueStore } from './presence.svelte.ts';

/** localStorage, when there is one and it may be used (private modes can refuse it). */
export function browserStorage(): KeyValueStore | undefined {
	try {
		return typeof localStorage === 'undefined' ? undefined : localStorage;
	} catch {
		return undefined;
	}
}
