/**
 * The two servers under test, each as its own child process on 127.0.0.1:
 * - Railyard's production entry (server/index.ts), through the tests' startRelayProcess;
 * - the reference, @y/websocket-server 0.1.1's own bin (src/server.js), which reads HOST and PORT
 *   and keeps documents in memory, or in LevelDB when YPERSISTENCE names a directory.
 * Each is stopped by its PID only.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startRelayProcess } from '../helpers/relay-process.ts';
import type { ServerInfo, ServerKind } from './protocol.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const REFERENCE_BIN = path.join(root, 'node_modules/@y/websocket-server/src/server.js');

export interface RunningServer {
	info: ServerInfo;
	pid: number;
	stop(): Promise<void>;
}

/** Every server process started and not yet stopped, so an interrupted bench leaves none behind. */
export const runningPids = new Set<number>();

/** SIGKILLs whatever this process started and has not stopped (synchronous: safe on exit). */
export function killLeftovers(): void {
	for (const pid of runningPids) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
	runningPids.clear();
}

export interface ServerOptions {
	kind: ServerKind;
	/** Railyard's DATA_DIR; the reference's YPERSISTENCE when `persist` is set. */
	dataDir: string;
	persist?: boolean;
	env?: Record<string, string>;
}

/**
 * Node's compile cache, shared by both servers as `railyard.sh start` gives it to Railyard: with
 * it warm, Node loads Railyard's TypeScript without its type stripper (about 25 MB resident).
 */
export const COMPILE_CACHE = path.join(os.tmpdir(), 'railyard-bench-compile-cache');

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
	const server = await (opts.kind === 'railyard' ? startRailyard(opts) : startReference(opts));
	runningPids.add(server.pid);
	return {
		...server,
		async stop() {
			await server.stop();
			runningPids.delete(server.pid);
		}
	};
}

async function startRailyard(opts: ServerOptions): Promise<RunningServer> {
	const proc = await startRelayProcess({
		dataDir: opts.dataDir,
		env: { NODE_COMPILE_CACHE: COMPILE_CACHE, ...opts.env }
	});
	return {
		info: {
			kind: 'railyard',
			httpUrl: proc.url,
			syncUrl: `${proc.url.replace('http', 'ws')}/sync`
		},
		pid: proc.pid,
		async stop() {
			// SIGTERM: Railyard flushes and compacts every board, as in a real restart.
			await proc.stop();
		}
	};
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as net.AddressInfo;
			probe.close(() => resolve(port));
		});
	});
}

async function startReference(opts: ServerOptions): Promise<RunningServer> {
	// Its bin cannot listen on port 0 and report the port, so pick a free one first.
	const port = await freePort();
	// Its bin has no SIGTERM handler, and a process killed by a signal writes no profile.
	const profiled = /--(cpu|heap)-prof/.test(opts.env?.NODE_OPTIONS ?? '');
	const exitOnTerm = 'data:text/javascript,process.on("SIGTERM",()=>process.exit(0))';
	const args = profiled ? ['--import', exitOnTerm, REFERENCE_BIN] : [REFERENCE_BIN];
	const child = spawn(process.execPath, args, {
		cwd: root,
		env: {
			...process.env,
			HOST: '127.0.0.1',
			PORT: String(port),
			NODE_COMPILE_CACHE: COMPILE_CACHE,
			...(opts.persist ? { YPERSISTENCE: opts.dataDir } : {}),
			...opts.env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let stderr = '';
	child.stderr?.on('data', (chunk) => (stderr += chunk));
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`reference did not start: ${stderr}`)), 20_000);
		child.once('exit', (code) => reject(new Error(`reference exited with ${code}: ${stderr}`)));
		readline.createInterface({ input: child.stdout! }).on('line', (line) => {
			if (line.startsWith('running at')) {
				clearTimeout(timer);
				resolve();
			}
		});
	});
	child.removeAllListeners('exit');
	const url = `http://127.0.0.1:${port}`;
	return {
		info: { kind: 'reference', httpUrl: url, syncUrl: url.replace('http', 'ws') },
		pid: child.pid!,
		async stop() {
			if (child.exitCode !== null || child.signalCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		}
	};
}
