/**
 * `npm run bench:relay`: Railyard's relay against the reference y-websocket server
 * (@y/websocket-server 0.1.1), same workloads, clients in a separate process (driver.ts).
 *
 * Every measurement gets a fresh server process (so its peak RSS is that workload's) and a fresh
 * client process. Runs alternate which server goes first, and the table shows medians over runs:
 * on a shared 2-core machine one run's p99 moves by up to 2.5x between runs of the same server.
 *
 * Environment (defaults finish in about 4 minutes on 2 cores):
 *   BENCH_RUNS=3        runs of every workload on every server
 *   BENCH_SECONDS=10    duration of the fan-out and many-rooms workloads (the figure: 20)
 *   BENCH_JOINERS=200   clients in the join storm
 *   BENCH_CARDS=5000    cards on the large board (join storm, cold load)
 *   BENCH_ONLY=a,b      only these workloads: fanout, rooms, join-storm, cold-load, flood, locks
 *                       (locks: the lock guard's cost per update, in this process, lock-guard.ts)
 *   BENCH_JSON=path     also write every raw measurement there
 *   BENCH_CPU_PROF=dir  run every server with `node --cpu-prof` (and BENCH_HEAP_PROF=dir with
 *                       `--heap-prof`), profiles written to dir when it stops
 *   BENCH_HEAP_SNAPSHOT=dir  a heap snapshot of every server halfway through the measured part
 *                       (it pauses the server: diagnosis only, not for figures)
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBoard } from './fixture.ts';
import { lockGuardCost } from './lock-guard.ts';
import { cpuSeconds, peakRssMb, rssMb } from './proc-stats.ts';
import type { Figures, FromDriver, ServerKind, ToDriver, Workload } from './protocol.ts';
import { killLeftovers, runningPids, startServer, type RunningServer } from './servers.ts';
import { median } from './stats.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

function envInt(name: string, fallback: number): number {
	const value = Number(process.env[name]);
	return Number.isInteger(value) && value > 0 ? value : fallback;
}

const RUNS = envInt('BENCH_RUNS', 3);
const SECONDS = envInt('BENCH_SECONDS', 10);
const JOINERS = envInt('BENCH_JOINERS', 200);
const CARDS = envInt('BENCH_CARDS', 5000);
const ONLY = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());

interface Variant {
	label: string;
	kind: ServerKind;
	env?: Record<string, string>;
	/** Workshop locks on every board (fan-out only): the cost of the relay's lock guard. */
	locks?: boolean;
}

// Default limits admit 250 connections per IP; the bench's clients all come from 127.0.0.1.
const connectionHeadroom: Record<string, string> =
	JOINERS + 10 > 250
		? {
				MAX_CONNECTIONS_PER_IP: String(JOINERS + 10),
				MAX_CONNECTIONS_PER_ROOM: String(JOINERS + 10)
			}
		: {};
const RAILYARD: Variant = { label: 'Railyard', kind: 'railyard', env: connectionHeadroom };
const REFERENCE: Variant = { label: 'reference', kind: 'reference' };
const RAILYARD_LOCKED: Variant = {
	label: 'Railyard, locks on',
	kind: 'railyard',
	env: connectionHeadroom,
	locks: true
};
const RAILYARD_NO_RATE_LIMIT: Variant = {
	label: 'Railyard, rate limit off',
	kind: 'railyard',
	env: { ...connectionHeadroom, RATE_LIMIT_MESSAGES_PER_SECOND: '0' }
};

interface Row {
	metric: string;
	key: string;
	/** Which Railyard variant fills the Railyard column (default: Railyard). */
	variant?: string;
	format?: (value: number) => string;
}

interface BenchWorkload {
	id: string;
	title: string;
	workload: Workload;
	variants: Variant[];
	/** The reference persists to LevelDB for this one (it must survive a restart). */
	persist?: boolean;
	rows: Row[];
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(v < 10 ? 1 : 0) : 'n/a');
const mb = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : 'n/a');
const pct = (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)}%` : 'n/a');
const int = (v: number) => (Number.isFinite(v) ? Math.round(v).toString() : 'n/a');
const secs = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');

const memoryRows: Row[] = [
	{ metric: 'server peak RSS during the workload (MiB)', key: 'windowPeakRssMb', format: mb },
	{ metric: 'server peak RSS, whole process (MiB)', key: 'peakRssMb', format: mb }
];

const serverRows: Row[] = [
	{ metric: 'server CPU (s)', key: 'cpuSeconds', format: secs },
	{ metric: 'server CPU (% of one core)', key: 'cpuPct', format: pct },
	...memoryRows
];

const fanoutRows: Row[] = [
	{ metric: 'delivery latency p50 (ms)', key: 'p50', format: ms },
	{ metric: 'delivery latency p95 (ms)', key: 'p95', format: ms },
	{ metric: 'delivery latency p99 (ms)', key: 'p99', format: ms },
	{ metric: 'delivered / expected', key: 'deliveredPct', format: pct },
	...serverRows
];

/** The same fan-out with locks on, in the same run: what enforcing locks costs. */
const lockedRows: Row[] = [
	{
		metric: '… locks on: delivery latency p99 (ms)',
		key: 'p99',
		variant: RAILYARD_LOCKED.label,
		format: ms
	},
	{
		metric: '… locks on: delivered / expected',
		key: 'deliveredPct',
		variant: RAILYARD_LOCKED.label,
		format: pct
	},
	{
		metric: '… locks on: server CPU (s)',
		key: 'cpuSeconds',
		variant: RAILYARD_LOCKED.label,
		format: secs
	}
];

const WORKLOADS: BenchWorkload[] = [
	{
		id: 'fanout',
		title: `fan-out: 1 room × 40 clients × 5 updates/s, ${SECONDS} s`,
		workload: {
			name: 'fanout',
			rooms: 1,
			clientsPerRoom: 40,
			updatesPerSecond: 5,
			seconds: SECONDS
		},
		variants: [RAILYARD, RAILYARD_LOCKED, REFERENCE],
		rows: [...fanoutRows, ...lockedRows]
	},
	{
		id: 'rooms',
		title: `many rooms: 50 rooms × 4 clients × 2 updates/s, ${SECONDS} s`,
		workload: {
			name: 'fanout',
			rooms: 50,
			clientsPerRoom: 4,
			updatesPerSecond: 2,
			seconds: SECONDS
		},
		variants: [RAILYARD, REFERENCE],
		rows: fanoutRows
	},
	{
		id: 'join-storm',
		title: `join storm: ${JOINERS} clients at once, ${CARDS}-card board`,
		workload: { name: 'join-storm', joiners: JOINERS, cards: CARDS },
		variants: [RAILYARD, REFERENCE],
		rows: [
			{ metric: 'all synced (ms)', key: 'allSyncedMs', format: ms },
			{ metric: 'median joiner synced (ms)', key: 'p50SyncedMs', format: ms },
			{ metric: 'cards in a joiner’s board', key: 'cardsReceived', format: int },
			...serverRows
		]
	},
	{
		id: 'cold-load',
		title: `cold load: ${CARDS}-card board after a restart`,
		workload: { name: 'cold-load', cards: CARDS },
		variants: [RAILYARD, REFERENCE],
		persist: true,
		rows: [
			{ metric: 'stock client synced (ms)', key: 'firstSyncMs', format: ms },
			{ metric: 'stock client holds the whole board (ms)', key: 'completeMs', format: ms },
			{ metric: 'server CPU (s)', key: 'cpuSeconds', format: secs },
			...memoryRows
		]
	},
	{
		id: 'flood',
		title: 'awareness flood: 10 clients, 1 connection sending 1,000 presence updates/s, 5 joins',
		workload: { name: 'awareness-flood', listeners: 10, probes: 5, floodMs: 1000, rate: 1000 },
		variants: [RAILYARD, RAILYARD_NO_RATE_LIMIT, REFERENCE],
		rows: [
			{ metric: 'new client synced, median (ms)', key: 'probeMedianMs', format: ms },
			{ metric: 'new client synced, slowest (ms)', key: 'probeMaxMs', format: ms },
			{ metric: 'joins that took over 10 s', key: 'probesTimedOut', format: int },
			{ metric: 'flood messages sent', key: 'flooderSent', format: int },
			{ metric: 'flooder closed with (0: never)', key: 'flooderClosedCode', format: int },
			{ metric: 'server CPU while joining (s)', key: 'cpuSeconds', format: secs },
			{
				metric: '… rate limit off: new client synced, median (ms)',
				key: 'probeMedianMs',
				variant: RAILYARD_NO_RATE_LIMIT.label,
				format: ms
			},
			{
				metric: '… rate limit off: slowest (ms)',
				key: 'probeMaxMs',
				variant: RAILYARD_NO_RATE_LIMIT.label,
				format: ms
			},
			{
				metric: '… rate limit off: flood messages sent',
				key: 'flooderSent',
				variant: RAILYARD_NO_RATE_LIMIT.label,
				format: int
			},
			{
				metric: '… rate limit off: server CPU while joining (s)',
				key: 'cpuSeconds',
				variant: RAILYARD_NO_RATE_LIMIT.label,
				format: secs
			}
		]
	}
];

function log(line: string): void {
	process.stderr.write(`${line}\n`);
}

/** NODE_OPTIONS for a profiled server: its profiles go to a folder named after the measurement. */
function profiling(name: string): Record<string, string> {
	const folder = name.replace(/[^a-z0-9]+/gi, '-');
	const cpu = process.env.BENCH_CPU_PROF;
	const heap = process.env.BENCH_HEAP_PROF;
	const snapshot = process.env.BENCH_HEAP_SNAPSHOT;
	if (snapshot) fs.mkdirSync(path.resolve(snapshot, folder), { recursive: true });
	const options = [
		...(cpu ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(cpu, folder)}`] : []),
		...(heap ? ['--heap-prof', `--heap-prof-dir=${path.resolve(heap, folder)}`] : []),
		...(snapshot
			? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${path.resolve(snapshot, folder)}`]
			: [])
	];
	return options.length > 0 ? { NODE_OPTIONS: options.join(' ') } : {};
}

/** One workload on one server: fresh server, fresh client process. */
async function measure(
	bench: BenchWorkload,
	variant: Variant,
	boardFile: string
): Promise<Figures> {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `railyard-bench-${variant.kind}-`));
	const serverOptions = {
		kind: variant.kind,
		dataDir,
		persist: bench.persist,
		env: { ...variant.env, ...profiling(`${bench.id}-${variant.label}`) }
	};
	let server: RunningServer = await startServer(serverOptions);
	const idleRssMb = rssMb(server.pid);
	const driver = fork(path.join(here, 'driver.ts'), [], {
		stdio: ['ignore', 'inherit', 'inherit', 'ipc']
	});
	runningPids.add(driver.pid!);
	const tell = (message: ToDriver) => driver.send(message);
	let sampler: NodeJS.Timeout | undefined;
	try {
		return await new Promise<Figures>((resolve, reject) => {
			let cpuAtStart = NaN;
			let clientCpuAtStart = NaN;
			let wallAtStart = NaN;
			// VmHWM covers the process's whole life; this is the peak within the measured part.
			let windowPeakRssMb = 0;
			const sample = () => (windowPeakRssMb = Math.max(windowPeakRssMb, rssMb(server.pid)));
			driver.once('exit', (code) => reject(new Error(`driver exited with ${code}`)));
			driver.on('message', (message: FromDriver) => {
				switch (message.type) {
					case 'measure-start':
						cpuAtStart = cpuSeconds(server.pid);
						clientCpuAtStart = cpuSeconds(driver.pid!);
						wallAtStart = performance.now();
						sampler = setInterval(sample, 10);
						if (process.env.BENCH_HEAP_SNAPSHOT) {
							setTimeout(() => process.kill(server.pid, 'SIGUSR2'), (SECONDS * 1000) / 2);
						}
						tell({ type: 'measuring' });
						return;
					case 'restart':
						void server
							.stop()
							.then(() => startServer(serverOptions))
							.then((restarted) => {
								server = restarted;
								tell({ type: 'restarted', server: server.info });
							}, reject);
						return;
					case 'done': {
						clearInterval(sampler);
						sample();
						const cpu = cpuSeconds(server.pid) - cpuAtStart;
						const wall = (performance.now() - wallAtStart) / 1000;
						resolve({
							...message.figures,
							cpuSeconds: cpu,
							cpuPct: (100 * cpu) / wall,
							// A saturated client process (near 100%) would be measuring itself.
							clientCpuPct: (100 * (cpuSeconds(driver.pid!) - clientCpuAtStart)) / wall,
							peakRssMb: peakRssMb(server.pid),
							windowPeakRssMb,
							idleRssMb
						});
						return;
					}
					case 'error':
						reject(new Error(message.message));
				}
			});
			tell({
				type: 'run',
				workload:
					variant.locks && bench.workload.name === 'fanout'
						? { ...bench.workload, locks: true }
						: bench.workload,
				server: server.info,
				boardFile:
					bench.workload.name === 'join-storm' || bench.workload.name === 'cold-load'
						? boardFile
						: null
			});
		});
	} finally {
		clearInterval(sampler);
		driver.removeAllListeners('exit');
		if (driver.exitCode === null) driver.kill('SIGKILL');
		runningPids.delete(driver.pid!);
		await server.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
}

function table(results: Map<string, Map<string, Figures[]>>, selected: BenchWorkload[]): string {
	const lines = [
		'| Workload | Metric | Railyard | reference | Railyard ÷ reference |',
		'| --- | --- | ---: | ---: | ---: |'
	];
	for (const bench of selected) {
		const byVariant = results.get(bench.id)!;
		const value = (variant: string, key: string) =>
			median((byVariant.get(variant) ?? []).map((f) => f[key] ?? NaN));
		bench.rows.forEach((row, i) => {
			const ours = value(row.variant ?? RAILYARD.label, row.key);
			const theirs = value(REFERENCE.label, row.key);
			const format = row.format ?? ms;
			const ratio =
				theirs !== 0 && Number.isFinite(ours / theirs) ? `${(ours / theirs).toFixed(2)}×` : '–';
			lines.push(
				`| ${i === 0 ? bench.title : ''} | ${row.metric} | ${format(ours)} | ${format(theirs)} | ${ratio} |`
			);
		});
	}
	const idle = (variant: string) =>
		median(
			[...results.values()].flatMap((byVariant) =>
				(byVariant.get(variant) ?? []).map((f) => f.idleRssMb ?? NaN)
			)
		);
	const [ours, theirs] = [idle(RAILYARD.label), idle(REFERENCE.label)];
	lines.push(
		`| idle server | RSS after start (MiB) | ${mb(ours)} | ${mb(theirs)} | ${(ours / theirs).toFixed(2)}× |`
	);
	return lines.join('\n');
}

/** Locks on ÷ locks off for the fan-out, both Railyard, medians of the same run. */
function lockCost(results: Map<string, Map<string, Figures[]>>): string[] {
	const byVariant = results.get('fanout');
	if (!byVariant) return [];
	const value = (variant: string, key: string) =>
		median((byVariant.get(variant) ?? []).map((f) => f[key] ?? NaN));
	const ratio = (key: string) =>
		(value(RAILYARD_LOCKED.label, key) / value(RAILYARD.label, key)).toFixed(2);
	return [
		'',
		`Fan-out with workshop locks on ÷ off (Railyard, same run): latency p99 ${ratio('p99')}×, ` +
			`p50 ${ratio('p50')}×, server CPU ${ratio('cpuSeconds')}×.`
	];
}

async function main(): Promise<void> {
	const selected = WORKLOADS.filter((w) => !ONLY || ONLY.includes(w.id));
	const started = performance.now();
	log(`building or loading the ${CARDS}-card board…`);
	const { file: boardFile } = loadBoard({ cards: CARDS });
	// Each server's first start fills the compile cache; measured starts find it warm, as a
	// relay restarted by `railyard.sh start` does.
	for (const kind of ['railyard', 'reference'] as const) {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `railyard-bench-warm-`));
		await (await startServer({ kind, dataDir })).stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
	const results = new Map<string, Map<string, Figures[]>>(
		selected.map((w) => [w.id, new Map(w.variants.map((v) => [v.label, []]))])
	);
	for (let run = 0; run < RUNS; run++) {
		for (const bench of selected) {
			// Alternate who goes first, so neither server always runs on a warmer machine.
			const order = run % 2 === 0 ? bench.variants : [...bench.variants].reverse();
			for (const variant of order) {
				const t0 = performance.now();
				// One failed measurement leaves a gap in the table, not a failed bench.
				const figures = await measure(bench, variant, boardFile).catch((err: unknown) => {
					log(
						`run ${run + 1}/${RUNS} ${bench.id} · ${variant.label} failed: ${(err as Error).message}`
					);
					return {} as Figures;
				});
				results.get(bench.id)!.get(variant.label)!.push(figures);
				log(
					`run ${run + 1}/${RUNS} ${bench.id} · ${variant.label}: ${((performance.now() - t0) / 1000).toFixed(1)} s ` +
						JSON.stringify(figures, (_, v: unknown) =>
							typeof v === 'number' ? Number(v.toFixed(2)) : v
						)
				);
			}
		}
	}
	const cpus = os.cpus();
	const out = [
		'',
		`Railyard relay vs @y/websocket-server 0.1.1 (in memory; LevelDB for the cold load) — median of ${RUNS} runs, servers alternating`,
		`${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, Node ${process.version}, ${((performance.now() - started) / 60_000).toFixed(1)} min`,
		'Lower is better everywhere except delivered / expected; a ratio below 1× means Railyard is lower.',
		'',
		...(selected.length > 0 ? [table(results, selected)] : []),
		...lockCost(results),
		...(!ONLY || ONLY.includes('locks') ? lockGuardCost() : []),
		''
	];
	process.stdout.write(out.join('\n'));
	if (process.env.BENCH_JSON) {
		const raw = Object.fromEntries(
			[...results].map(([id, byVariant]) => [id, Object.fromEntries(byVariant)])
		);
		fs.writeFileSync(process.env.BENCH_JSON, JSON.stringify(raw, null, '\t'));
	}
}

// An interrupted bench (Ctrl-C, a timeout) must not leave servers or clients running.
process.on('exit', killLeftovers);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, () => {
		killLeftovers();
		process.exit(130);
	});
}

await main();
