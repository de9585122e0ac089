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
	/** Which change, as a person counts them, this update is part of. */
	change: number;
}

/**
 * What a transaction changed, as one string: the ids of the shared types it wrote to. Typing
 * into one name writes the same Y.Text keystroke after keystroke, so a rename is one change.
 * Null when it added or removed records (it wrote a top-level map): two cards added one after
 * the other are two changes.
 */
export function changedTypes(transaction: Y.Transaction): string | null {
	const keys: string[] = [];
	for (const type of transaction.changed.keys()) {
		const item = type._item;
		if (!item) return null;
		keys.push(`${item.id.client}:${item.id.clock}`);
	}
	return keys.length ? keys.sort().join(',') : null;
}

export class Acknowledgements {
	#entries: Entry[] = [];
	#serverClocks = new Map<number, number>();
	#changes = 0;
	#lastWhat: string | null = null;

	/**
	 * Local changes not yet known to be on the server, as a person counts them: consecutive
	 * updates to the same thing (the keystrokes of one rename) are one change, not twenty.
	 */
	get pending(): number {
		return new Set(this.#entries.map((entry) => entry.change)).size;
	}

	/**
	 * An update made here, by `client`, about to be sent. `what` says what it changed
	 * (`changedTypes`); one right after another on the same thing joins its change.
	 */
	local(update: Uint8Array, client: number, what: string | null = null): void {
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
		const last = this.#entries.at(-1);
		const same = what !== null && what === this.#lastWhat && last?.change === this.#changes;
		if (!same) this.#changes++;
		this.#lastWhat = what;
		this.#entries.push({ client, clock, deletes, change: this.#changes });
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
