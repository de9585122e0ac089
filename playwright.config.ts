import { defineConfig } from '@playwright/test';
import { slowdown } from './tests/helpers/slowdown.ts';

/**
 * End-to-end tests against the production build: `npm run build`, then globalSetup starts
 * `node server/index.ts` on an ephemeral port (or uses RAILYARD_URL if it is already set).
 * Chromium is the system one; nothing is downloaded.
 */
export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: 'test-results/e2e',
	globalSetup: './tests/e2e/global-setup.ts',
	// Two cores on the shared machine: more workers only make every test slower.
	workers: 2,
	retries: 0,
	forbidOnly: !!process.env.CI,
	reporter: 'list',
	// Every wait in the specs is for a state, never for time: these budgets are only how long a
	// busy machine (CI's may be) may take to reach it, so they cost nothing when things are fast.
	// `npm run test:soak` raises them with RAILYARD_TEST_SLOWDOWN while it loads both cores.
	timeout: 90_000 * slowdown,
	expect: { timeout: 20_000 * slowdown },
	use: {
		actionTimeout: 20_000 * slowdown,
		navigationTimeout: 30_000 * slowdown,
		browserName: 'chromium',
		viewport: { width: 1440, height: 900 },
		screenshot: 'only-on-failure',
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run',
				'--disable-quic'
			]
		}
	}
});
