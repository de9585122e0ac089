/**
 * Who may open a connection: at most `perRoom` per board and `perIp` per client address, counting
 * upgrades still in progress, so a burst of simultaneous joins cannot all pass the check before
 * any of them is counted. Refusals happen at the HTTP upgrade (503 / 429), before a room is loaded
 * or a WebSocket exists.
 */
import type { IncomingMessage } from 'node:http';

export type Admission =
	| { ok: true; release: () => void }
	| { ok: false; status: 429 | 503; reason: 'room_full' | 'ip_limit'; message: string };

export class AdmissionControl {
	readonly #perRoom: number;
	readonly #perIp: number;
	readonly #rooms = new Map<string, number>();
	readonly #ips = new Map<string, number>();

	constructor(opts: { perRoom: number; perIp: number }) {
		this.#perRoom = opts.perRoom;
		this.#perIp = opts.perIp;
	}

	/** On success, call `release` exactly when the connection (or the attempt) is over; it is idempotent. */
	admit(opts: { boardId: string; ip: string }): Admission {
		const inRoom = this.#rooms.get(opts.boardId) ?? 0;
		const fromIp = this.#ips.get(opts.ip) ?? 0;
		if (fromIp >= this.#perIp) {
			return {
				ok: false,
				status: 429,
				reason: 'ip_limit',
				message: `too many connections from this address (limit ${this.#perIp})`
			};
		}
		if (inRoom >= this.#perRoom) {
			return {
				ok: false,
				status: 503,
				reason: 'room_full',
				message: `this board has the maximum of ${this.#perRoom} connections`
			};
		}
		this.#rooms.set(opts.boardId, inRoom + 1);
		this.#ips.set(opts.ip, fromIp + 1);
		let released = false;
		return {
			ok: true,
			release: () => {
				if (released) return;
				released = true;
				decrement(this.#rooms, opts.boardId);
				decrement(this.#ips, opts.ip);
			}
		};
	}
}

function decrement(counts: Map<string, number>, key: string): void {
	const left = (counts.get(key) ?? 1) - 1;
	if (left <= 0) counts.delete(key);
	else counts.set(key, left);
}

/**
 * The client's address. Behind a reverse proxy every socket comes from the proxy, so with
 * `trustProxy` the last X-Forwarded-For entry (the one the proxy itself appended) is used.
 */
export function clientIp(req: IncomingMessage, opts: { trustProxy: boolean }): string {
	if (opts.trustProxy) {
		const header = req.headers['x-forwarded-for'];
		const value = Array.isArray(header) ? header.at(-1) : header;
		const last = value?.split(',').at(-1)?.trim();
		if (last) return last;
	}
	return req.socket.remoteAddress ?? 'unknown';
}
