/**
 * Stock y-websocket clients send back every awareness frame they receive. On one relay that echo
 * costs a decode and is dropped (nothing newer in it); in cluster mode a forwarded client's echo
 * would also cross Redis to the owner, once per client per presence change — most of a busy board's
 * inbox traffic. A forwarding relay knows the newest clock of every awareness state the owner sent
 * it, so it drops a client frame whose every entry is one of those (or older) before forwarding:
 * the owner would have ignored it. A frame with anything newer (the client's own state) goes on
 * whole, and one it cannot read goes on too, for the owner to refuse.
 */
import * as decoding from 'lib0/decoding';
import { MESSAGE_AWARENESS } from '../sync/protocol.ts';

/** The (clientID, clock) of each entry of an awareness frame; null for any other frame. */
function clocks(frame: Uint8Array): [number, number][] | null {
	if (frame[0] !== MESSAGE_AWARENESS) return null;
	try {
		const outer = decoding.createDecoder(frame);
		decoding.readVarUint(outer);
		const d = decoding.createDecoder(decoding.readVarUint8Array(outer));
		const count = decoding.readVarUint(d);
		const out: [number, number][] = [];
		for (let i = 0; i < count; i++) {
			const clientID = decoding.readVarUint(d);
			const clock = decoding.readVarUint(d);
			decoding.readVarString(d);
			out.push([clientID, clock]);
		}
		return out;
	} catch {
		return null;
	}
}

export class AwarenessEchoes {
	readonly #newest = new Map<number, number>();

	/** A frame from the owner: remember the clocks it carries. */
	sent(frame: Uint8Array): void {
		for (const [clientID, clock] of clocks(frame) ?? []) {
			if (clock > (this.#newest.get(clientID) ?? -1)) this.#newest.set(clientID, clock);
		}
	}

	/** Whether a client's frame only repeats what the owner sent (nothing to forward). */
	isEcho(frame: Uint8Array): boolean {
		const entries = clocks(frame);
		if (!entries || entries.length === 0) return false;
		return entries.every(([clientID, clock]) => clock <= (this.#newest.get(clientID) ?? -1));
	}
}
