/**
 * HAProxy (Debian's package) in front of the test's relays, started from docs/haproxy.cfg itself
 * — the configuration the README documents — with only its `bind` and `server` lines pointed at
 * the test's ports and a faster health check, so the tests and the documented setup cannot drift.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForPort } from './ports.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const HAPROXY_CFG = path.join(root, 'docs/haproxy.cfg');

export interface Haproxy {
	url: string;
	/** What a stock y-websocket client takes as its server URL. */
	syncUrl: string;
	/**
	 * Resolves once every relay has answered through the balancer (started with `nameRelay`): a
	 * relay still busy starting may fail its first health check and be skipped for a moment.
	 */
	everyRelayServes(timeoutMs?: number): Promise<void>;
	close(): Promise<void>;
}

/**
 * docs/haproxy.cfg with its frontend on `port` and one server per relay port; with `nameRelay`,
 * every response names the relay that served it (X-Railyard-Relay: relay-<n>, n from 1), for a
 * benchmark that must know which relay each client landed on.
 */
export function haproxyConfig(
	port: number,
	relayPorts: readonly number[],
	opts: { nameRelay?: boolean } = {}
): string {
	const lines = fs.readFileSync(HAPROXY_CFG, 'utf8').split('\n');
	const servers = relayPorts.map((p, i) => `\tserver relay-${i + 1} 127.0.0.1:${p}`);
	const out: string[] = [];
	for (const line of lines) {
		if (/^\s*bind /.test(line)) out.push(`\tbind 127.0.0.1:${port}`);
		else if (/^\s*default-server /.test(line))
			out.push('\tdefault-server check inter 200ms fall 1 rise 1');
		else if (/^\s*balance /.test(line) && opts.nameRelay) {
			out.push(line, '\thttp-response set-header X-Railyard-Relay %[srv_name]');
		} else if (/^\s*server /.test(line)) {
			if (servers.length > 0) out.push(...servers.splice(0));
		} else out.push(line);
	}
	return out.join('\n');
}

export async function startHaproxy(
	relayPorts: readonly number[],
	opts: { nameRelay?: boolean } = {}
): Promise<Haproxy> {
	const port = await freePort();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-haproxy-'));
	const file = path.join(dir, 'haproxy.cfg');
	fs.writeFileSync(file, haproxyConfig(port, relayPorts, opts));
	// -db: stay in the foreground, so the test owns the process and stops it by PID.
	const child = spawn('haproxy', ['-db', '-f', file], { stdio: ['ignore', 'ignore', 'pipe'] });
	let stderr = '';
	child.stderr.on('data', (chunk) => (stderr += chunk));
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	child.once('error', (err) => (stderr += String(err)));
	try {
		await Promise.race([
			waitForPort(port, 'haproxy'),
			exited.then(() => Promise.reject(new Error('haproxy exited')))
		]);
	} catch (err) {
		child.kill('SIGKILL');
		throw new Error(`${(err as Error).message}: ${stderr}`, { cause: err });
	}
	const url = `http://127.0.0.1:${port}`;
	return {
		url,
		syncUrl: `ws://127.0.0.1:${port}/sync`,
		async everyRelayServes(timeoutMs = 30_000) {
			if (!opts.nameRelay) throw new Error('everyRelayServes needs startHaproxy(…, { nameRelay })');
			const seen = new Set<string>();
			const until = performance.now() + timeoutMs;
			while (seen.size < relayPorts.length) {
				if (performance.now() > until) {
					throw new Error(`only ${[...seen].join(', ') || 'no relay'} answered through HAProxy`);
				}
				const response = await fetch(`${url}/healthz`).catch(() => null);
				const relay = response?.headers.get('x-railyard-relay');
				if (response?.ok && relay) seen.add(relay);
				else await new Promise((resolve) => setTimeout(resolve, 50));
			}
		},
		async close() {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGKILL');
				await exited;
			}
			fs.rmSync(dir, { recursive: true, force: true });
		}
	};
}
