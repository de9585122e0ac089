/**
 * The workshop as the UI sees it: the shared timer (time left on the relay's clock, ticking while
 * it runs, and the moment it runs out), whether this person facilitates, and a facilitator's
 * commands (timer, locks). It reads and writes only the facilitation channel
 * (sync/facilitation-channel.ts); components call it and never touch the network.
 */
import type { LockTarget } from '$lib/model/locks.ts';
import { formatRemaining, remainingMs, type TimerState } from '$lib/protocol/facilitation.ts';
import type { ChannelState, FacilitationChannel } from '$lib/sync/facilitation-channel.ts';

const TICK_MS = 250;
export const SOUND_KEY = 'railyard:timer-sound';

export class FacilitationState {
	readonly #channel: FacilitationChannel;
	readonly #announce: (message: string) => void;
	readonly #storage: Pick<Storage, 'getItem' | 'setItem'> | undefined;
	#state = $state.raw<ChannelState>();
	/** The relay's clock as of the last tick. */
	#now = $state.raw(0);
	#sound = $state(false);
	/** Counts the times a timer ran out here, so a view can react once per end. */
	#finished = $state(0);
	#wasRunningWithTime = false;
	#tick: ReturnType<typeof setInterval> | null = null;
	#unsubscribe: () => void;
	/** Whether this person's link facilitates (the relay checks it again on every command). */
	readonly canFacilitate: boolean;

	constructor(opts: {
		channel: FacilitationChannel;
		canFacilitate: boolean;
		announce: (message: string) => void;
		/** The relay refused something this person did (a locked change, a command). */
		onRefusal: (message: string) => void;
		storage?: Pick<Storage, 'getItem' | 'setItem'>;
	}) {
		this.#channel = opts.channel;
		this.#announce = opts.announce;
		this.#storage = opts.storage;
		this.canFacilitate = opts.canFacilitate;
		this.#sound = opts.storage?.getItem(SOUND_KEY) === 'on';
		this.#state = opts.channel.state;
		this.#now = opts.channel.serverNow();
		let seen = opts.channel.state.refusal?.seq ?? 0;
		this.#unsubscribe = opts.channel.subscribe((state) => {
			const previous = this.#state?.timer ?? null;
			this.#state = state;
			if (state.refusal && state.refusal.seq !== seen) {
				seen = state.refusal.seq;
				opts.onRefusal(state.refusal.message);
			}
			if (state.timer !== previous) this.#timerChanged(previous, state.timer);
		});
		this.#timerChanged(null, this.timer);
	}

	get timer(): TimerState | null {
		return this.#state?.timer ?? null;
	}

	/** Time left, in ms, on the relay's clock as this client estimates it. */
	get remaining(): number {
		const timer = this.timer;
		return timer ? remainingMs(timer, this.#now) : 0;
	}

	/** "14:05". */
	get remainingText(): string {
		return formatRemaining(this.remaining);
	}

	get running(): boolean {
		return !!this.timer?.running && this.remaining > 0;
	}

	/** The timer ran out (and nobody has stopped or extended it yet). */
	get expired(): boolean {
		return !!this.timer && this.remaining === 0;
	}

	/** Goes up by one each time a timer runs out while this board is open. */
	get finishedCount(): number {
		return this.#finished;
	}

	get sound(): boolean {
		return this.#sound;
	}

	set sound(on: boolean) {
		this.#sound = on;
		try {
			this.#storage?.setItem(SOUND_KEY, on ? 'on' : 'off');
		} catch {
			// A browser that refuses storage still plays it for this visit.
		}
	}

	/** Joins the channel under this person's display name (shown with the locks they set). */
	rename(name: string): void {
		this.#channel.rename(name);
	}

	start(label: string, minutes: number): void {
		const durationMs = Math.round(minutes * 60_000);
		this.#channel.send({ type: 'timer-start', label: label.trim(), durationMs });
	}

	pause(): void {
		this.#channel.send({ type: 'timer-pause' });
	}

	resume(): void {
		this.#channel.send({ type: 'timer-resume' });
	}

	addMinutes(minutes: number): void {
		this.#channel.send({ type: 'timer-add', ms: Math.round(minutes * 60_000) });
	}

	stop(): void {
		this.#channel.send({ type: 'timer-stop' });
	}

	setLock(target: LockTarget, locked: boolean): void {
		this.#channel.send({ type: 'lock', target, locked });
	}

	destroy(): void {
		this.#stopTicking();
		this.#unsubscribe();
	}

	#timerChanged(previous: TimerState | null, timer: TimerState | null): void {
		this.#update();
		if (timer?.running) this.#startTicking();
		else this.#stopTicking();
		if (!previous && timer)
			this.#announce(`Timer started: ${timer.label || 'timer'}, ${this.remainingText}`);
		else if (previous && !timer) this.#announce('Timer stopped');
	}

	#update = (): void => {
		this.#now = this.#channel.serverNow();
		const timer = this.timer;
		const runningWithTime = !!timer?.running && this.remaining > 0;
		if (this.#wasRunningWithTime && timer?.running && !runningWithTime) {
			this.#finished += 1;
			this.#announce(`Time is up${timer.label ? `: ${timer.label}` : ''}`);
			this.#stopTicking();
		}
		this.#wasRunningWithTime = runningWithTime;
	};

	#startTicking(): void {
		this.#tick ??= setInterval(this.#update, TICK_MS);
	}

	#stopTicking(): void {
		if (this.#tick) clearInterval(this.#tick);
		this.#tick = null;
	}
}
