/** Ports for servers the tests start that cannot bind port 0 themselves (redis-server, HAProxy). */
import net from 'node:net';

/** A port free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = net.createServer().listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as net.AddressInfo;
			probe.close(() => resolve(port));
		});
		probe.on('error', reject);
	});
}

/** Resolves once something accepts connections on `port` (throws after `timeoutMs`). */
export async function waitForPort(port: number, what: string, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await listening(port))) {
		if (Date.now() > deadline) throw new Error(`${what} did not start on port ${port}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

function listening(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}
