/**
 * Who dragged what, remembered a little while after the drag ends: a remote move of an item is
 * credited to the person seen dragging it ("Ana moved Billing…"), and the move may arrive just
 * after their presence stopped saying so.
 */
import type { Peer } from './presence.svelte.ts';

export class DragMemory {
	readonly #memoryMs: number;
	/** Each peer's dragged item key as last seen. */
	#dragging = new Map<number, string>();
	/** Who last dragged each item, and when they were last seen doing so. */
	#draggedBy = new Map<string, { name: string; at: number }>();

	constructor(memoryMs: number) {
		this.#memoryMs = memoryMs;
	}

	/** Everyone's presence as of `now`. */
	note(others: readonly Peer[], now: number, keyOf: (peer: Peer) => string | null): void {
		const seen = new Set<number>();
		for (const peer of others) {
			seen.add(peer.clientId);
			const key = keyOf(peer);
			const before = this.#dragging.get(peer.clientId);
			if (before && before !== key) this.#draggedBy.set(before, { name: peer.name, at: now });
			if (key) {
				this.#dragging.set(peer.clientId, key);
				this.#draggedBy.set(key, { name: peer.name, at: now });
			} else this.#dragging.delete(peer.clientId);
		}
		for (const clientId of this.#dragging.keys()) {
			if (!seen.has(clientId)) this.#dragging.delete(clientId);
		}
		for (const [key, memory] of this.#draggedBy) {
			if (now - memory.at > this.#memoryMs) this.#draggedBy.delete(key);
		}
	}

	/** The name of whoever dragged the item `key` within the memory, else null. */
	recent(key: string, now: number): string | null {
		const memory = this.#draggedBy.get(key);
		return memory && now - memory.at <= this.#memoryMs ? memory.name : null;
	}
}
