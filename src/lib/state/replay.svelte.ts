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
 *
 * Keyframes are spaced by bytes, not only by count: every KEYFRAME_EVERY changes at first, and
 * whenever they would take more than KEYFRAME_BUDGET bytes together, every other one is dropped
 * and the spacing doubled (a 2 MB board over 20,000 changes keeps at most 16 keyframes, not 100).
 *
 * A period the relay refuses as too large for one replay (413: too many changes, or too many
 * bytes) is not a dead end: the most recent part of it that fits is loaded instead (the span
 * halved until it does), and `notice` says what is shown.
 */
import * as Y from 'yjs';
import { ApiError } from '$lib/sync/boards-api.ts';
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

/** A keyframe (the board encoded whole) every this many changes at first: a step back replays less. */
const KEYFRAME_EVERY = 200;
/** What keyframes may take together (bytes); past it they are thinned, the first always kept. */
export const KEYFRAME_BUDGET = 32 * 1024 * 1024;
/** How many times a period too large for one replay is halved before giving up. */
const MAX_SHORTENINGS = 10;
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

/** A span of time in words: "3 hours", "45 minutes", "2 days". */
function span(ms: number): string {
	const minutes = Math.max(1, Math.round(ms / 60_000));
	if (minutes < 120) return minutes === 1 ? 'minute' : `${minutes} minutes`;
	const hours = Math.round(minutes / 60);
	if (hours < 48) return `${hours} hours`;
	return `${Math.round(hours / 24)} days`;
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
	/** The board after `index` changes, encoded whole; by index, the first at 0 (the period's start). */
	#keyframes: { index: number; state: Uint8Array }[] = [];
	/** Changes between keyframes now (doubled each time they are thinned). */
	#every = KEYFRAME_EVERY;
	#keyframeBytes = 0;
	readonly #budget: number;
	/** Set when only the most recent part of the period chosen is shown: says so. */
	#notice = $state.raw<string | null>(null);
	#timer: ReturnType<typeof setInterval> | null = null;
	#lastTick = 0;
	/** Bumped by every load and by close, so a late answer is dropped. */
	#request = 0;

	constructor(opts: { client: CheckpointsClient; keyframeBudget?: number }) {
		this.#client = opts.client;
		this.#budget = opts.keyframeBudget ?? KEYFRAME_BUDGET;
	}

	/** What the kept keyframes take, in bytes. */
	get keyframeBytes(): number {
		return this.#keyframeBytes;
	}

	get keyframeCount(): number {
		return this.#keyframes.length;
	}

	/** Why the period shown is shorter than the one chosen; null when it is the one chosen. */
	get notice(): string | null {
		return this.#notice;
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
			const { data, shortened } = await this.#fetch(from, range.now, request);
			if (request !== this.#request) return;
			this.#data = data;
			this.#every = KEYFRAME_EVERY;
			this.#keyframes = [];
			this.#keyframeBytes = 0;
			this.#keep(0, data.state);
			this.#time = data.from;
			this.#rebuild(0);
			this.#error = null;
			this.#notice = shortened
				? `That period has more changes than one replay can show: this is its most recent ${span(data.to - data.from)}. Choose a shorter period to see another part.`
				: null;
		} catch (failure) {
			if (request === this.#request) {
				// No board from another period under this one's name: the error says what to do.
				this.#clear();
				this.#notice = null;
				this.#error = `The history could not be loaded: ${(failure as Error).message}`;
			}
		} finally {
			if (request === this.#request) this.#loading = false;
		}
	}

	/**
	 * The period from `from` to `to`, or, if the relay refuses it as too large for one replay, its
	 * most recent part that fits (halving the span each time).
	 */
	async #fetch(
		from: number,
		to: number,
		request: number
	): Promise<{ data: ReplayData; shortened: boolean }> {
		let start = from;
		for (let tries = 0; ; tries++) {
			try {
				const data = await this.#client.replay({ from: start, to });
				return { data, shortened: start !== from };
			} catch (failure) {
				const tooLarge = failure instanceof ApiError && failure.status === 413;
				const span = to - start;
				if (!tooLarge || tries >= MAX_SHORTENINGS || span < 2 || request !== this.#request) {
					throw failure;
				}
				start = to - Math.floor(span / 2);
			}
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
		this.#keyframeBytes = 0;
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
			if (done % this.#every === 0 && done > this.#keyframes.at(-1)!.index) {
				this.#keep(done, Y.encodeStateAsUpdate(doc));
			}
		}
		this.#shown = Math.max(this.#shown, index);
	}

	/** Keeps a keyframe, then thins them (doubling the spacing) while they exceed the budget. */
	#keep(index: number, state: Uint8Array): void {
		this.#keyframes.push({ index, state });
		this.#keyframeBytes += state.length;
		while (this.#keyframeBytes > this.#budget && this.#keyframes.length > 1) {
			this.#every *= 2;
			const kept = this.#keyframes.filter((k) => k.index === 0 || k.index % this.#every === 0);
			// Spacing past the last one left only the first: drop the newest instead.
			const next = kept.length < this.#keyframes.length ? kept : this.#keyframes.slice(0, -1);
			this.#keyframes = next;
			this.#keyframeBytes = next.reduce((sum, k) => sum + k.state.length, 0);
		}
	}

	/** A new doc for the board after `index` changes, from the nearest keyframe before it. */
	#rebuild(index: number): void {
		let k = this.#keyframes.length - 1;
		while (k > 0 && this.#keyframes[k]!.index > index) k--;
		const keyframe = this.#keyframes[k]!;
		const doc = new Y.Doc();
		Y.applyUpdate(doc, keyframe.state);
		const previous = this.#board;
		this.#doc = doc;
		this.#shown = keyframe.index;
		this.#forward(index);
		this.#board = new BoardState(detachedConnection(doc), { role: 'viewer' });
		previous?.destroy();
	}
}
