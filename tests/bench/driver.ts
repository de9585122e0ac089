/**
 * The benchmark's client process: all clients of a workload live here, apart from the servers
 * they measure, and report to the orchestrator (run.ts) over IPC. One process per measurement.
 */
import fs from 'node:fs';
import type { FromDriver, ServerInfo, ToDriver, Workload } from './protocol.ts';
import { awarenessFlood } from './workloads/awareness-flood.ts';
import { coldLoad } from './workloads/cold-load.ts';
import type { WorkloadContext } from './workloads/context.ts';
import { fanout } from './workloads/fanout.ts';
import { joinStorm } from './workloads/join-storm.ts';

// Every stock provider adds a process 'exit' listener; hundreds are expected here.
process.setMaxListeners(0);

const send = (message: FromDriver) => process.send!(message);
let waiting: ((message: ToDriver) => void) | null = null;

function ask(message: FromDriver): Promise<ToDriver> {
	return new Promise((resolve) => {
		waiting = resolve;
		send(message);
	});
}

function run(workload: Workload, ctx: WorkloadContext) {
	switch (workload.name) {
		case 'fanout':
			return fanout(ctx, workload);
		case 'join-storm':
			return joinStorm(ctx, workload);
		case 'cold-load':
			return coldLoad(ctx, workload);
		case 'awareness-flood':
			return awarenessFlood(ctx, workload);
	}
}

process.on('message', (message: ToDriver) => {
	if (message.type !== 'run') {
		const resolve = waiting;
		waiting = null;
		resolve?.(message);
		return;
	}
	const ctx: WorkloadContext = {
		server: message.server,
		board: message.boardFile ? new Uint8Array(fs.readFileSync(message.boardFile)) : null,
		async measureStart() {
			await ask({ type: 'measure-start' });
		},
		async restart() {
			const reply = await ask({ type: 'restart' });
			if (reply.type !== 'restarted') throw new Error(`unexpected ${reply.type}`);
			ctx.server = reply.server as ServerInfo;
			return ctx.server;
		}
	};
	run(message.workload, ctx).then(
		(figures) => {
			send({ type: 'done', figures });
			setTimeout(() => process.exit(0), 100);
		},
		(err: unknown) => {
			send({ type: 'error', message: (err as Error).stack ?? String(err) });
			setTimeout(() => process.exit(1), 100);
		}
	);
});
