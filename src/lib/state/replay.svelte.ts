/**
 * Replay (README "History"): the board as it was at any moment of a period, read-only, on this
 * screen only. The relay sends the board at the period's start and every change after it with
 * its time (src/lib/sync/checkpoints-api.ts); this class rebuilds the board in a Y.Doc of its
 * own — never the live one — behind a viewer's BoardState, so the usual board rendering shows it
 * and nothing can be edited. Moving forward applies the next changes to that doc (someone's move
 * glides into place as it does live); moving back rebuilds it from the nearest saved keyframe.
 *
 * Play runs the period forward at `speed` times real time, shortening quiet stretches (lunch,
 * the night) to a moment so a day replays in minutes.
 */
import * as Y from 'yjs';
import type { CheckpointsClient, ReplayData } from '$lib/sync/checkpoints-api.ts';
import { detachedConnection } from '$lib/sync/replay-connection.ts';
import { BoardState } from './board.svelte.ts';

export const REPLAY_PERIODS = [
	{ id: 'hour', label: 'Last hour' },
	{ id: 'today', label: 'Today' },
	{ id: 'week', label: 'Last 7 days' },
	{ id: 'all', label: 'All kept history' }
] as const;
export type ReplayPeriod = (typeof REPLAY_PERIODS)[number]['id'];

/** Times real time: a minute, ten minutes, an hour a second. */
export const REPLAY_SPEEDS = [60, 600, 3600] as const;

/** A keyframe (the board encoded whole) every this many changes: the most a step back replays. */
const KEYFRAME_EVERY = 200;
/** Playback: a quiet stretch longer than this (real milliseconds) is shortened to it. */
const MAX_QUIET_MS = 1500;
const TICK_MS = 100;
const HOUR = 3_600_000;

/** Where `period` starts, for a relay whose clock says `now` and whose history starts at `start`. */
export function periodStart(period: ReplayPeriod, now: number, start: number): number {
	let from: number;
	if (period === 'hour') from = now - HOUR;
	else if (period === 'week') from = now - 7 * 24 * HOUR;
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a calculation, nothing renders it
	else if (period === 'today') from = new Date(now).setHours(0, 0, 0, 0);
	else from = start;
	return Math.min(Math.max(from, start), now);
}

/** How many of `updates` (oldest first) are stamped at or before `time`. */
export function countUpTo(updates: readonly { at: number }[], time: number): number {
	let low = 0;
	let high = updates.length;
	while (low < high) {
		const mid = (low + high) >>> 1;
		if (updates[mid]!.at <= time) low = mid + 1;
		else high = mid;
	}
	return low;
}

/** The origin replayed changes are applied with: someone else's, to the board state. */
const REPLAYED = Symbol('replayed');

export class ReplayState {
	readonly #client: CheckpointsClient;
	#open = $state.raw(false);
	#loading = $state.raw(false);
	#error = $state.raw<string | null>(null);
	#period = $state.raw<ReplayPeriod>('today');
	#data = $state.raw<ReplayData | null>(null);
	#time = $state.raw(0);
	/** How many of the period's changes the shown board holds. */
	#shown = $state.raw(0);
	#board = $state.raw<BoardState | null>(null);
	#playing = $state.raw(false);
	#speed = $state.raw<number>(600);
	#doc: Y.Doc | null = null;
	/** keyframes[k]: the board after k × KEYFRAME_EVERY changes, encoded whole. */
	#keyframes: Uint8Array[] = [];
	#timer: ReturnType<typeof setInterval> | null = null;
	#lastTick = 0;
	/** Bumped by every load and by close, so a late answer is dropped. */
	#request = 0;

	constructor(opts: { client: CheckpointsClient }) {
		this.#client = opts.client;
	}

	get open(): boolean {
		return this.#open;
	}

	get loading(): boolean {
		return this.#loading;
	}

	get error(): string | null {
		return this.#error;
	}

	get period(): ReplayPeriod {
		return this.#period;
	}

	/** The board at `time`, read-only; null until the period has loaded. */
	get board(): BoardState | null {
		return this.#board;
	}

	/** The moment shown. */
	get time(): number {
		return this.#time;
	}

	get from(): number {
		return this.#data?.from ?? 0;
	}

	get to(): number {
		return this.#data?.to ?? 0;
	}

	/** Where the relay's kept history starts (older moments cannot be replayed). */
	get historyStart(): number {
		return this.#data?.start ?? 0;
	}

	/** The period's changes, and how many of them the shown board holds. */
	get changes(): number {
		return this.#data?.updates.length ?? 0;
	}

	get shown(): number {
		return this.#shown;
	}

	/** When each change of the period was made, oldest first (the timeline's marks). */
	get times(): number[] {
		return this.#data?.updates.map((u) => u.at) ?? [];
	}

	get playing(): boolean {
		return this.#playing;
	}

	get speed(): number {
		return this.#speed;
	}

	set speed(speed: number) {
		this.#speed = speed;
	}

	/** Opens replay on `period`, starting at its beginning. */
	async start(period: ReplayPeriod = this.#period): Promise<void> {
		this.#open = true;
		await this.load(period);
	}

	async load(period: ReplayPeriod): Promise<void> {
		this.pause();
		this.#period = period;
		this.#loading = true;
		const request = ++this.#request;
		try {
			const range = await this.#client.historyRange();
			const from = periodStart(period, range.now, range.start);
			const data = await this.#client.replay({ from, to: range.now });
			if (request !== this.#request) return;
			this.#data = data;
			this.#keyframes = [data.state];
			this.#time = data.from;
			this.#rebuild(0);
			this.#error = null;
		} catch (failure) {
			if (request === this.#request) {
				// No board from another period under this one's name: the error says what to do.
				this.#clear();
				this.#error = `The history could not be loaded: ${(failure as Error).message}`;
			}
		} finally {
			if (request === this.#request) this.#loading = false;
		}
	}

	/** Shows the board as it was at `time` (within the period). */
	seek(time: number): void {
		const data = this.#data;
		if (!data) return;
		this.#time = Math.min(Math.max(time, data.from), data.to);
		const index = countUpTo(data.updates, this.#time);
		if (this.#doc && index >= this.#shown) this.#forward(index);
		else this.#rebuild(index);
	}

	/** The next change (1) or the one before the last shown (-1). */
	step(direction: 1 | -1): void {
		const data = this.#data;
		if (!data) return;
		this.pause();
		if (direction === 1) this.seek(data.updates[this.#shown]?.at ?? data.to);
		else this.seek(this.#shown >= 2 ? data.updates[this.#shown - 2]!.at : data.from);
	}

	play(): void {
		const data = this.#data;
		if (!data || this.#playing) return;
		if (this.#time >= data.to) this.seek(data.from);
		this.#playing = true;
		this.#lastTick = performance.now();
		this.#timer = setInterval(() => this.#tick(), TICK_MS);
	}

	pause(): void {
		this.#playing = false;
		if (this.#timer) clearInterval(this.#timer);
		this.#timer = null;
	}

	/** Leaves replay: back to the live board (which replay never touched). */
	close(): void {
		this.pause();
		this.#request += 1;
		this.#open = false;
		this.#loading = false;
		this.#error = null;
		this.#clear();
	}

	#clear(): void {
		this.#data = null;
		this.#keyframes = [];
		this.#board?.destroy();
		this.#board = null;
		this.#doc = null;
		this.#shown = 0;
	}

	#tick(): void {
		const data = this.#data;
		if (!data) return this.pause();
		const now = performance.now();
		let next = this.#time + (now - this.#lastTick) * this.#speed;
		this.#lastTick = now;
		const coming = data.updates[this.#shown]?.at ?? data.to;
		if (coming - next > MAX_QUIET_MS * this.#speed) next = coming - MAX_QUIET_MS * this.#speed;
		if (next >= data.to) {
			this.seek(data.to);
			this.pause();
		} else this.seek(next);
	}

	/** Applies the changes up to `index` to the shown board. */
	#forward(index: number): void {
		const doc = this.#doc;
		const data = this.#data;
		if (!doc || !data) return;
		for (let i = this.#shown; i < index; i++) {
			Y.applyUpdate(doc, data.updates[i]!.data, REPLAYED);
			const done = i + 1;
			if (done % KEYFRAME_EVERY === 0 && this.#keyframes.length === done / KEYFRAME_EVERY) {
				this.#keyframes.push(Y.encodeStateAsUpdate(doc));
			}
		}
		this.#shown = Math.max(this.#shown, index);
	}

	/** A new doc for the board after `index` changes, from the nearest keyframe before it. */
	#rebuild(index: number): void {
		const k = Math.min(Math.floor(index / KEYFRAME_EVERY), this.#keyframes.length - 1);
		const doc = new Y.Doc();
		Y.applyUpdate(doc, this.#keyframes[k]!);
		const previous = this.#board;
		this.#doc = doc;
		this.#shown = k * KEYFRAME_EVERY;
		this.#forward(index);
		this.#board = new BoardState(detachedConnection(doc), { role: 'viewer' });
		previous?.destroy();
	}
}
