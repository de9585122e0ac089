/**
 * A round-robin TCP load balancer on 127.0.0.1:0 for cluster tests: no sticky sessions, and a
 * backend that refuses the connection (a killed relay) is skipped for the next one, as HAProxy
 * or nginx do with a failed upstream. WebSockets pass through untouched (it forwards bytes).
 * docs/haproxy.cfg is the real one, for deployments.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Balancer {
	port: number;
	/** What a stock y-websocket client takes as its server URL. */
	syncUrl: string;
	url: string;
	close(): Promise<void>;
}

export async function startBalancer(backends: () => number[]): Promise<Balancer> {
	let next = 0;
	const sockets = new Set<net.Socket>();
	const track = (socket: net.Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => socket.destroy());
	};
	function connect(client: net.Socket, tries: number): void {
		const ports = backends();
		if (tries >= ports.length || client.destroyed) return void client.destroy();
		const port = ports[next++ % ports.length]!;
		const upstream = net.connect({ host: '127.0.0.1', port });
		let connected = false;
		upstream.on('error', () => {
			upstream.destroy();
			if (!connected) connect(client, tries + 1);
		});
		upstream.once('connect', () => {
			connected = true;
			track(upstream);
			client.pipe(upstream);
			upstream.pipe(client);
			client.resume();
			upstream.on('close', () => client.destroy());
			client.on('close', () => upstream.destroy());
		});
	}
	const server = net.createServer({ pauseOnConnect: true }, (client) => {
		track(client);
		connect(client, 0);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		port,
		url: `http://127.0.0.1:${port}`,
		syncUrl: `ws://127.0.0.1:${port}/sync`,
		async close() {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}
