/**
 * Which of this tab's changes the server is known to hold. Each local update is remembered until
 * the server shows it has it: the relay echoes every update it accepted (durably) to its sender
 * too, and after a reconnect its sync step 1 carries its state vector and its step 2 its whole
 * delete set. An update is acknowledged once the server's clock for our client passes the update's
 * new items and every item it deleted is deleted on the server too. A delete-only change (removing
 * a card creates no new item) is why clocks alone are not enough.
 */
import * as Y from 'yjs';

interface Entry {
	client: number;
	/** The clock after this update's last new item of `client`; 0 if it made none. */
	clock: number;
	/** [client, start, end) ranges this update deleted that the server has not shown yet. */
	deletes: [number, number, number][];
}

export class Acknowledgements {
	#entries: Entry[] = [];
	#serverClocks = new Map<number, number>();

	/** Local changes not yet known to be on the server. */
	get pending(): number {
		return this.#entries.length;
	}

	/** A change made here, by `client`, about to be sent. */
	local(update: Uint8Array, client: number): void {
		const { structs, ds } = Y.decodeUpdate(update);
		let clock = 0;
		for (const struct of structs) {
			if (struct.id.client === client && !(struct instanceof Y.Skip)) {
				clock = Math.max(clock, struct.id.clock + struct.length);
			}
		}
		const deletes: Entry['deletes'] = [];
		for (const [owner, items] of ds.clients) {
			for (const item of items) deletes.push([owner, item.clock, item.clock + item.len]);
		}
		if (clock === 0 && deletes.length === 0) return;
		this.#entries.push({ client, clock, deletes });
		this.#settle();
	}

	/** The server's state vector (its sync step 1). */
	serverStateVector(stateVector: Uint8Array): void {
		for (const [client, clock] of Y.decodeStateVector(stateVector)) this.#advance(client, clock);
		this.#settle();
	}

	/** An update from the server (a broadcast, our own echo, or its sync step 2). */
	serverUpdate(update: Uint8Array): void {
		const { structs, ds } = Y.decodeUpdate(update);
		for (const struct of structs) {
			if (struct instanceof Y.Skip) continue;
			// The server integrates each client's items in order, so the end of any it sends is a floor.
			this.#advance(struct.id.client, struct.id.clock + struct.length);
		}
		for (const entry of this.#entries) {
			for (const [owner, items] of ds.clients) {
				for (const item of items) {
					entry.deletes = subtract(entry.deletes, owner, item.clock, item.clock + item.len);
				}
			}
		}
		this.#settle();
	}

	#advance(client: number, clock: number): void {
		if (clock > (this.#serverClocks.get(client) ?? 0)) this.#serverClocks.set(client, clock);
	}

	#settle(): void {
		this.#entries = this.#entries.filter(
			(entry) =>
				entry.deletes.length > 0 || entry.clock > (this.#serverClocks.get(entry.client) ?? 0)
		);
	}
}

function subtract(
	ranges: [number, number, number][],
	client: number,
	start: number,
	end: number
): [number, number, number][] {
	const out: [number, number, number][] = [];
	for (const range of ranges) {
		const [owner, from, to] = range;
		if (owner !== client || to <= start || from >= end) {
			out.push(range);
			continue;
		}
		if (from < start) out.push([owner, from, start]);
		if (to > end) out.push([owner, end, to]);
	}
	return out;
}
