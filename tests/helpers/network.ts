/**
 * An unreliable in-memory network of Yjs peers, for fuzzing. Each peer's local updates are queued
 * per recipient and delivered one at a time in random order, sometimes twice, sometimes never
 * (until a resync); a peer can be cut off for a while and reconnected. Everything random comes
 * from the rng, so a seed reproduces a run.
 */
import * as Y from 'yjs';
import { chance, int, type Rng } from './rng.ts';

/** The origin of updates applied from the network: never one of the model's origins. */
export const NETWORK = Symbol('network');

export interface Peer {
	index: number;
	doc: Y.Doc;
	online: boolean;
}

interface Message {
	from: number;
	update: Uint8Array;
}

export interface NetworkOptions {
	peers: number;
	/** Chance that a delivered message is delivered again later. */
	duplicate?: number;
	/** Chance that a message is lost (it comes back only through a resync). */
	drop?: number;
}

export class Network {
	readonly peers: Peer[];
	readonly #rng: Rng;
	readonly #inbox: Message[][];
	readonly #duplicate: number;
	readonly #drop: number;

	constructor(rng: Rng, opts: NetworkOptions) {
		this.#rng = rng;
		this.#duplicate = opts.duplicate ?? 0.05;
		this.#drop = opts.drop ?? 0.01;
		this.#inbox = Array.from({ length: opts.peers }, () => []);
		const clientIds = new Set<number>();
		this.peers = Array.from({ length: opts.peers }, (_, index) => {
			const doc = new Y.Doc();
			// Seeded client ids: Yjs breaks concurrent-write ties by client id.
			let clientID = 1 + int(rng, 2 ** 30);
			while (clientIds.has(clientID)) clientID += 1;
			clientIds.add(clientID);
			doc.clientID = clientID;
			doc.on('update', (update: Uint8Array, origin: unknown) => {
				if (origin !== NETWORK) this.#broadcast(index, update);
			});
			return { index, doc, online: true };
		});
	}

	#broadcast(from: number, update: Uint8Array): void {
		for (const peer of this.peers) {
			if (peer.index === from) continue;
			if (chance(this.#rng, this.#drop)) continue;
			this.#inbox[peer.index]?.push({ from, update });
		}
	}

	/** Positions in `to`'s queue it can receive now: both ends online. */
	#deliverable(to: number): number[] {
		if (!(this.peers[to] as Peer).online) return [];
		const out: number[] = [];
		(this.#inbox[to] as Message[]).forEach((message, i) => {
			if ((this.peers[message.from] as Peer).online) out.push(i);
		});
		return out;
	}

	pending(): number {
		return this.#inbox.reduce((n, inbox) => n + inbox.length, 0);
	}

	/**
	 * Deliver one random deliverable message to a random peer, from anywhere in its queue.
	 * Returns a short description, or null when nothing can be delivered.
	 */
	deliverOne(): string | null {
		const ready = this.peers.filter(
			(peer) =>
				peer.online &&
				(this.#inbox[peer.index] as Message[]).some((m) => (this.peers[m.from] as Peer).online)
		);
		if (ready.length === 0) return null;
		const to = (ready[int(this.#rng, ready.length)] as Peer).index;
		const positions = this.#deliverable(to);
		const i = positions[int(this.#rng, positions.length)] as number;
		const inbox = this.#inbox[to] as Message[];
		const message = inbox[i] as Message;
		const again = chance(this.#rng, this.#duplicate);
		if (!again) inbox.splice(i, 1);
		Y.applyUpdate((this.peers[to] as Peer).doc, message.update, NETWORK);
		return `p${message.from}->p${to}${again ? ' (kept for a duplicate)' : ''}`;
	}

	disconnect(index: number): void {
		(this.peers[index] as Peer).online = false;
	}

	/** Reconnect; with `resync`, exchange state with every online peer, as a provider does. */
	reconnect(index: number, resync: boolean): void {
		const peer = this.peers[index] as Peer;
		peer.online = true;
		if (!resync) return;
		for (const other of this.peers) {
			if (other !== peer && other.online) exchange(peer.doc, other.doc);
		}
	}

	/** Deliver every queued message in random order, then resync all pairs until nothing is missing. */
	settle(): void {
		for (const peer of this.peers) peer.online = true;
		while (this.deliverOne() !== null) {
			// Keep going: duplicates are re-queued only with a small chance, so this ends.
		}
		for (let round = 0; round < 2; round++) {
			for (const a of this.peers) for (const b of this.peers) if (a !== b) exchange(a.doc, b.doc);
		}
	}
}

/** Both directions of a y-protocols sync: each side sends what the other's state vector lacks. */
export function exchange(a: Y.Doc, b: Y.Doc): void {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), NETWORK);
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), NETWORK);
}

/** True when a doc holds updates it could not apply yet (something it depends on never arrived). */
export function hasPending(doc: Y.Doc): boolean {
	return doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
}
