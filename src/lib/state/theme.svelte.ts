/**
 * Light or dark: the system's choice unless this person picked one, remembered per browser. The
 * choice is an attribute on <html> that app.css maps to `color-scheme`; app.html applies the
 * stored one before first paint, so a dark room never sees a white flash.
 */
export type ThemeMode = 'system' | 'light' | 'dark';

const KEY = 'railyard-theme';
const MODES: readonly ThemeMode[] = ['system', 'light', 'dark'];

function stored(): ThemeMode {
	try {
		const value = localStorage.getItem(KEY);
		return MODES.includes(value as ThemeMode) ? (value as ThemeMode) : 'system';
	} catch {
		return 'system';
	}
}

export class Theme {
	#mode = $state.raw<ThemeMode>('system');

	constructor() {
		if (typeof document !== 'undefined') this.#mode = stored();
	}

	get mode(): ThemeMode {
		return this.#mode;
	}

	set(mode: ThemeMode): void {
		this.#mode = mode;
		try {
			if (mode === 'system') localStorage.removeItem(KEY);
			else localStorage.setItem(KEY, mode);
		} catch {
			// Private mode without storage: the choice lasts for this page only.
		}
		if (mode === 'system') delete document.documentElement.dataset.theme;
		else document.documentElement.dataset.theme = mode;
	}

	/** system → light → dark → system: one button, three states. */
	next(): void {
		this.set(MODES[(MODES.indexOf(this.#mode) + 1) % MODES.length]!);
	}
}
