/**
 * Runs the production entry (node server/index.ts) as a child process on 127.0.0.1:0, for tests
 * that must kill it (SIGKILL, SIGTERM) or drive the built app (Playwright). It resolves once the
 * server logs that it is listening, and stops only the process it started, by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface RelayProcess {
	url: string;
	port: number;
	pid: number;
	dataDir: string;
	/** Every log line the server printed so far, parsed. */
	logs: Record<string, unknown>[];
	/** SIGTERM, then wait for exit. Resolves with the exit code. */
	stop(): Promise<number | null>;
	/** Send `signal` (default SIGKILL) and wait for the process to be gone. */
	kill(signal?: NodeJS.Signals): Promise<void>;
	/** Send `signal` and return at once (SIGSTOP, SIGCONT: the process stays). */
	signal(signal: NodeJS.Signals): void;
	/** Whether the process has exited. */
	readonly exited: boolean;
}

function exited(child: ChildProcess): Promise<number | null> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
	return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

export async function startRelayProcess(
	/** `env` may not raise LOG_LEVEL above info: startup is detected from the info line. */
	opts: {
		dataDir?: string;
		env?: Record<string, string>;
		timeoutMs?: number;
		/** Also write everything the server prints here, for reading after a failed run. */
		logFile?: string;
	} = {}
): Promise<RelayProcess> {
	const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-test-'));
	const child = spawn(process.execPath, [path.join(root, 'server/index.ts')], {
		cwd: root,
		env: {
			...process.env,
			PORT: '0',
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			LOG_LEVEL: 'info',
			...opts.env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const logs: Record<string, unknown>[] = [];
	let stderr = '';
	child.stderr?.on('data', (chunk) => (stderr += chunk));
	if (opts.logFile) {
		fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
		const out = fs.createWriteStream(opts.logFile, { flags: 'w' });
		child.stdout?.pipe(out);
		child.stderr?.pipe(out);
	}
	const url = await new Promise<string>((resolve, reject) => {
		const timer = setTimeout(() => {
			// Never leave a half-started server behind.
			child.kill('SIGKILL');
			reject(new Error(`relay did not start in time. stderr: ${stderr}`));
		}, opts.timeoutMs ?? 20_000);
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`relay exited with ${code} before listening. stderr: ${stderr}`));
		});
		readline.createInterface({ input: child.stdout! }).on('line', (line) => {
			let entry: Record<string, unknown>;
			try {
				entry = JSON.parse(line);
			} catch {
				return;
			}
			logs.push(entry);
			if (entry.msg === 'listening' && typeof entry.url === 'string') {
				clearTimeout(timer);
				resolve(entry.url);
			}
		});
	});
	return {
		url,
		port: Number(new URL(url).port),
		pid: child.pid!,
		dataDir,
		logs,
		async stop() {
			child.kill('SIGTERM');
			return exited(child);
		},
		async kill(signal = 'SIGKILL') {
			// A stopped process would not act on SIGTERM until continued.
			if (signal !== 'SIGKILL') child.kill('SIGCONT');
			child.kill(signal);
			await exited(child);
		},
		signal(signal) {
			child.kill(signal);
		},
		get exited() {
			return child.exitCode !== null || child.signalCode !== null;
		}
	};
}
