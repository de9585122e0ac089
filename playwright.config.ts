import { defineConfig } from '@playwright/test';

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
	timeout: 30_000,
	expect: { timeout: 10_000 },
	use: {
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
