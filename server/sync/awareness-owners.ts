/**
 * Awareness hygiene. Awareness (presence: who is here, their cursor) is a map from client id to a
 * JSON state, and the y-protocols format lets any connection set or remove any id. Left alone, a
 * buggy or hostile client can impersonate or erase other people's presence — and a stock
 * y-websocket client does send removals of *other* people's ids when they time out locally.
 *
 * So a connection may only set and remove the client ids it introduced; entries for ids held by
 * another connection are dropped (not applied), and every id a connection holds is removed when it
 * closes. Two details come from how stock clients behave:
 * - A stock client re-sends every awareness change it receives. Those echoes carry nothing newer
 *   than what the relay has, so they are ignored quietly rather than counted as drops.
 * - A client that reconnects before the relay has noticed its old socket is gone sends its state
 *   under the same id from the new connection. A *newer* entry for a held id is remembered as a
 *   claim and handed over when the holder goes, so the person's presence does not blink out.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { ProtocolError } from './protocol.ts';

/** A stock client introduces one id per connection; a few more allow for a doc that changes its id. */
export const MAX_IDS_PER_CONNECTION = 4;
/** A presence state is a name, a colour and a cursor; this leaves room for much more. */
export const MAX_STATE_BYTES = 64 * 1024;

export interface AwarenessEntry {
	clientID: number;
	clock: number;
	/** The state as the JSON text it arrived in ("null" for a removal). */
	json: string;
	removal: boolean;
}

export type DropReason = 'foreign_id' | 'too_many_ids' | 'state_too_big';

export function decodeAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
	const decoder = decoding.createDecoder(update);
	const entries: AwarenessEntry[] = [];
	try {
		const count = decoding.readVarUint(decoder);
		for (let i = 0; i < count; i++) {
			const clientID = decoding.readVarUint(decoder);
			const clock = decoding.readVarUint(decoder);
			const json = decoding.readVarString(decoder);
			// Parsed here so a broken entry refuses the whole update before any of it is applied;
			// an oversize state is dropped unparsed (filter), so it costs no parsing.
			const removal = json.length <= MAX_STATE_BYTES && JSON.parse(json) === null;
			entries.push({ clientID, clock, json, removal });
		}
	} catch (err) {
		throw new ProtocolError(`bad awareness update: ${(err as Error).message}`);
	}
	if (decoding.hasContent(decoder)) throw new ProtocolError('bytes after the awareness update');
	return entries;
}

export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, entries.length);
	for (const entry of entries) {
		encoding.writeVarUint(encoder, entry.clientID);
		encoding.writeVarUint(encoder, entry.clock);
		encoding.writeVarString(encoder, entry.json);
	}
	return encoding.toUint8Array(encoder);
}

/** What the awareness currently holds for an id: its clock, and whether it has a state. */
export type Known = (clientID: number) => { clock: number; present: boolean } | undefined;

export class AwarenessOwners<P> {
	readonly #reserved: ReadonlySet<number>;
	readonly #known: Known;
	readonly #owner = new Map<number, P>();
	readonly #owned = new Map<P, Set<number>>();
	/** Latest entry another connection sent for an id that is held: handed over on release. */
	readonly #claims = new Map<number, { peer: P; entry: AwarenessEntry }>();

	/** `reserved`: ids no connection may use (the relay's own). */
	constructor(opts: { known: Known; reserved?: Iterable<number> }) {
		this.#known = opts.known;
		this.#reserved = new Set(opts.reserved);
	}

	/** Whether applying `entry` would change anything (y-protocols' own rule). */
	#wouldChange(entry: AwarenessEntry): boolean {
		const known = this.#known(entry.clientID);
		const clock = known?.clock ?? 0;
		return clock < entry.clock || (clock === entry.clock && entry.removal && !!known?.present);
	}

	join(peer: P): void {
		this.#owned.set(peer, new Set());
	}

	/** Splits `entries` into those `peer` may apply and those it may not. */
	filter(
		peer: P,
		entries: readonly AwarenessEntry[]
	): { allowed: AwarenessEntry[]; dropped: { clientID: number; reason: DropReason }[] } {
		const mine = this.#owned.get(peer);
		const allowed: AwarenessEntry[] = [];
		const dropped: { clientID: number; reason: DropReason }[] = [];
		if (!mine) return { allowed, dropped };
		for (const entry of entries) {
			const id = entry.clientID;
			const owner = this.#owner.get(id);
			if (entry.json.length > MAX_STATE_BYTES) {
				dropped.push({ clientID: id, reason: 'state_too_big' });
			} else if (owner === peer) {
				allowed.push(entry);
			} else if (owner !== undefined || this.#reserved.has(id)) {
				if (!this.#wouldChange(entry)) continue; // an echo of what everyone already has
				const newer = entry.clock > (this.#known(id)?.clock ?? 0);
				if (owner !== undefined && newer && !entry.removal) this.#claims.set(id, { peer, entry });
				dropped.push({ clientID: id, reason: 'foreign_id' });
			} else if (entry.removal) {
				// Removing an id nobody holds changes nothing; not worth a metric.
			} else if (mine.size >= MAX_IDS_PER_CONNECTION) {
				dropped.push({ clientID: id, reason: 'too_many_ids' });
			} else {
				this.#owner.set(id, peer);
				mine.add(id);
				allowed.push(entry);
			}
		}
		return { allowed, dropped };
	}

	/**
	 * Forgets `peer`. Returns the ids to remove from the awareness, and the claims to apply instead
	 * (the claimant then holds that id).
	 */
	release(peer: P): { remove: number[]; handover: { peer: P; entry: AwarenessEntry }[] } {
		const mine = this.#owned.get(peer) ?? new Set<number>();
		this.#owned.delete(peer);
		for (const [id, claim] of this.#claims) if (claim.peer === peer) this.#claims.delete(id);
		const remove: number[] = [];
		const handover: { peer: P; entry: AwarenessEntry }[] = [];
		for (const id of mine) {
			this.#owner.delete(id);
			const claim = this.#claims.get(id);
			this.#claims.delete(id);
			const claimant = claim && this.#owned.get(claim.peer);
			if (claim && claimant && claimant.size < MAX_IDS_PER_CONNECTION) {
				this.#owner.set(id, claim.peer);
				claimant.add(id);
				handover.push(claim);
			} else {
				remove.push(id);
			}
		}
		return { remove, handover };
	}

	/** The ids `peer` holds (for tests and logs). */
	idsOf(peer: P): number[] {
		return [...(this.#owned.get(peer) ?? [])];
	}
}
