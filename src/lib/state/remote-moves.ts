/**
 * Moves made by someone else: which items a remote change put somewhere new, and a polite,
 * throttled way of telling screen-reader users about them ("Ana moved Billing to priority 1 of
 * 5 in Payments"), so a busy board does not talk over itself.
 */
import type { BoardSnapshot } from '$lib/model/index.ts';
import { describePlace, type ItemKind } from './moves.ts';

export interface MovedItem {
	kind: ItemKind;
	id: string;
}

/**
 * Where each item sits, as one comparable string per item: parent and rank. Programs in `same`
 * are left out: a program object both snapshots share (reconcile keeps identity) has nothing in
 * it that moved, which spares walking 5,000 cards for a keystroke in one of them.
 */
function places(snapshot: BoardSnapshot, same: ReadonlySet<object>): Map<string, string> {
	const out = new Map<string, string>();
	for (const program of snapshot.programs) {
		if (same.has(program)) continue;
		out.set(`program:${program.id}`, program.pos.rank);
		for (const o of program.objectives)
			out.set(`objective:${o.id}`, `${o.pos.program}|${o.pos.rank}`);
		for (const lane of program.lanes) {
			out.set(`lane:${lane.id}`, `${lane.pos.program}|${lane.pos.rank}`);
			for (const cards of Object.values(lane.cells)) {
				for (const card of cards) {
					out.set(`card:${card.id}`, `${card.pos.lane}|${card.pos.period}|${card.pos.rank}`);
				}
			}
		}
	}
	for (const period of snapshot.periods) out.set(`period:${period.id}`, period.pos.rank);
	for (const risks of Object.values(snapshot.risks)) {
		for (const risk of risks) out.set(`risk:${risk.id}`, `${risk.roam}|${risk.pos.rank}`);
	}
	return out;
}

/** Items on both boards whose position changed: the moved ones, not the siblings they pushed. */
export function movedItems(before: BoardSnapshot, after: BoardSnapshot): MovedItem[] {
	if (before === after) return [];
	const kept = new Set<object>(before.programs);
	const same = new Set<object>(after.programs.filter((program) => kept.has(program)));
	const old = places(before, same);
	const moved: MovedItem[] = [];
	for (const [key, place] of places(after, same)) {
		const was = old.get(key);
		if (was === undefined || was === place) continue;
		const split = key.indexOf(':');
		moved.push({ kind: key.slice(0, split) as ItemKind, id: key.slice(split + 1) });
	}
	return moved;
}

export interface MoveAnnouncerOptions {
	announce: (message: string) => void;
	/** Who moved it (the person seen dragging it, else who wrote its place), or null for "Someone". */
	movedBy: (item: MovedItem) => string | null;
	/** At most one announcement per this many ms; moves in between are summed up. */
	interval?: number;
	now?: () => number;
}

export const ANNOUNCE_INTERVAL_MS = 2_000;
/**
 * A move is said this long after it arrives at the earliest: the mover's presence, which names
 * them, travels separately and may come a little after the move itself (the relay batches
 * presence every 50 ms), so who moved it is looked up when it is said, not when it arrives.
 */
export const ANNOUNCE_GRACE_MS = 250;

export class MoveAnnouncer {
	#opts: Required<MoveAnnouncerOptions>;
	#queue = new Map<string, MovedItem>();
	#snapshot: BoardSnapshot | null = null;
	#lastAt = Number.NEGATIVE_INFINITY;
	#timer: ReturnType<typeof setTimeout> | null = null;

	constructor(opts: MoveAnnouncerOptions) {
		this.#opts = { interval: ANNOUNCE_INTERVAL_MS, now: Date.now, ...opts };
	}

	/** Remote moves just applied; `snapshot` is the board after them. */
	add(snapshot: BoardSnapshot, items: MovedItem[]): void {
		this.#snapshot = snapshot;
		for (const item of items) {
			const key = `${item.kind}:${item.id}`;
			// The latest place of an item moved twice is the only one worth saying.
			this.#queue.delete(key);
			this.#queue.set(key, item);
		}
		if (this.#queue.size === 0 || this.#timer) return;
		const wait = this.#lastAt + this.#opts.interval - this.#opts.now();
		this.#timer = setTimeout(this.#flush, Math.max(wait, ANNOUNCE_GRACE_MS));
	}

	#flush = (): void => {
		this.#timer = null;
		const snapshot = this.#snapshot;
		const queued = [];
		for (const item of this.#queue.values()) {
			// Said from the newest board, where the item is now (it may have gone meanwhile).
			const place = snapshot && describePlace(snapshot, item.kind, item.id);
			if (!place) continue;
			const who = this.#opts.movedBy(item);
			queued.push({ who, sentence: `${who ?? 'Someone'} moved ${place.name} to ${place.where}` });
		}
		this.#queue.clear();
		if (queued.length === 0) return;
		this.#lastAt = this.#opts.now();
		if (queued.length === 1) return this.#opts.announce(queued[0]!.sentence);
		const who = new Set(queued.map((q) => q.who));
		const one = who.size === 1 ? [...who][0] : null;
		this.#opts.announce(
			one ? `${one} moved ${queued.length} items` : `${queued.length} items were moved`
		);
	};

	destroy(): void {
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		this.#queue.clear();
	}
}
