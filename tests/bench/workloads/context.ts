/** What a workload gets from the driver: the server under test and the orchestrator's hooks. */
import type { ServerInfo } from '../protocol.ts';

export interface WorkloadContext {
	server: ServerInfo;
	/** The large board (one Yjs update), for workloads that need it. */
	board: Uint8Array | null;
	/** Marks the start of the measured part; resolves once the server's CPU has been sampled. */
	measureStart(): Promise<void>;
	/** Restarts the server on the same data; resolves with its new address. */
	restart(): Promise<ServerInfo>;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `promise`, or a rejection naming `what` after `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
