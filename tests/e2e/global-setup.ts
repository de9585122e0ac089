import fs from 'node:fs';
import { startRelayProcess } from '../helpers/relay-process.ts';
import { within } from '../helpers/slowdown.ts';

/**
 * Starts the built app and relay once for the whole run, in a fresh data directory, and hands
 * its URL to the tests through RAILYARD_URL. The returned function is Playwright's teardown:
 * it stops only the process started here.
 */
export default async function globalSetup(): Promise<(() => Promise<void>) | void> {
	if (process.env.RAILYARD_URL) return;
	// Debug level, to a file beside the test results: a failure on a busy CI machine can then be
	// read against what the relay saw (joins, loads, closes) without re-running it.
	const relay = await startRelayProcess({
		env: { LOG_LEVEL: 'debug' },
		logFile: 'test-results/relay.log',
		timeoutMs: within(30_000)
	});
	process.env.RAILYARD_URL = relay.url;
	// For tests that act as the server's operator (the admin CLI on the same data).
	process.env.RAILYARD_DATA_DIR = relay.dataDir;
	return async () => {
		await relay.stop();
		fs.rmSync(relay.dataDir, { recursive: true, force: true });
	};
}
