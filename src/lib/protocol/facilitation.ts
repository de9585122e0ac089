/**
 * The facilitation channel: message type 7 on the board's WebSocket, beside the stock
 * y-websocket types. Each frame is `varUint 7, varString json`, one small JSON message validated
 * here, by the relay and the app alike. Stock clients never see one: the relay sends these
 * frames only to connections that said `hello` first.
 *
 * The timer's end is decided by the relay's clock. Each client estimates how far its own clock
 * is from the relay's (`clockOffset`) and reads the time left with `remainingMs`, so a late
 * joiner or a laptop with a wrong clock shows the same countdown.
 *
 * Pure: no IO, no DOM.
 */
import * as v from 'valibot';

export const MESSAGE_FACILITATION = 7;

/** Longest timer: a whole-day workshop. */
export const MAX_TIMER_MS = 12 * 60 * 60 * 1000;
export const MAX_TIMER_LABEL = 80;
export const MAX_NAME = 120;

const Ms = v.pipe(v.number(), v.integer(), v.minValue(1000), v.maxValue(MAX_TIMER_MS));
const Now = v.pipe(v.number(), v.finite());
const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(64));

export const LockTargetSchema = v.variant('kind', [
	v.object({ kind: v.literal('structure') }),
	v.object({ kind: v.literal('freeze') }),
	v.object({ kind: v.literal('program'), id: Id })
]);

/** What a client sends. */
export const ClientMessage = v.variant('type', [
	/** Joins the channel; `name` is shown with what this person sets ("Structure locked by Ana"). */
	v.object({
		type: v.literal('hello'),
		name: v.pipe(v.string(), v.trim(), v.maxLength(MAX_NAME)),
		clientNow: Now
	}),
	/** Asks the relay's time again, to refresh the clock offset. */
	v.object({ type: v.literal('time'), clientNow: Now }),
	v.object({
		type: v.literal('timer-start'),
		label: v.pipe(v.string(), v.trim(), v.maxLength(MAX_TIMER_LABEL)),
		durationMs: Ms
	}),
	v.object({ type: v.literal('timer-pause') }),
	v.object({ type: v.literal('timer-resume') }),
	v.object({ type: v.literal('timer-add'), ms: Ms }),
	v.object({ type: v.literal('timer-stop') }),
	v.object({ type: v.literal('lock'), target: LockTargetSchema, locked: v.boolean() })
]);
export type ClientMessage = v.InferOutput<typeof ClientMessage>;

/**
 * The shared timer as the relay holds it. Running: it ends at `endsAt` (relay clock). Paused:
 * `remainingMs` are left.
 */
export const TimerState = v.object({
	label: v.string(),
	durationMs: v.number(),
	running: v.boolean(),
	endsAt: v.nullable(v.number()),
	remainingMs: v.number(),
	by: v.string()
});
export type TimerState = v.InferOutput<typeof TimerState>;

export const REFUSALS = ['not-facilitator', 'locked', 'bad-message', 'no-timer'] as const;
export type Refusal = (typeof REFUSALS)[number];

/** What the relay sends. `serverNow` is the relay's clock when it sent the frame. */
export const ServerMessage = v.variant('type', [
	v.object({
		type: v.literal('welcome'),
		clientNow: Now,
		serverNow: Now,
		canFacilitate: v.boolean(),
		timer: v.nullable(TimerState)
	}),
	v.object({ type: v.literal('time'), clientNow: Now, serverNow: Now }),
	v.object({ type: v.literal('timer'), serverNow: Now, timer: v.nullable(TimerState) }),
	v.object({ type: v.literal('error'), code: v.picklist(REFUSALS), message: v.string() })
]);
export type ServerMessage = v.InferOutput<typeof ServerMessage>;

/** Parses a frame's JSON; null (never a throw) when it is not a valid message. */
export function parseMessage<T>(schema: v.GenericSchema<unknown, T>, json: string): T | null {
	let value: unknown;
	try {
		value = JSON.parse(json);
	} catch {
		return null;
	}
	const parsed = v.safeParse(schema, value);
	return parsed.success ? parsed.output : null;
}

// ---------------------------------------------------------------------------------------------
// Timer math, on the relay's clock

/**
 * Time left at relay time `serverNow`: never below 0, and never above the timer's length (a
 * client whose clock estimate lags a little must not show 2:01 on a 2-minute timer).
 */
export function remainingMs(timer: TimerState, serverNow: number): number {
	if (!timer.running || timer.endsAt === null) return Math.max(0, timer.remainingMs);
	return Math.max(0, Math.min(timer.durationMs, timer.endsAt - serverNow));
}

export function startTimer(opts: {
	label: string;
	durationMs: number;
	by: string;
	serverNow: number;
}): TimerState {
	return {
		label: opts.label,
		durationMs: opts.durationMs,
		running: true,
		endsAt: opts.serverNow + opts.durationMs,
		remainingMs: opts.durationMs,
		by: opts.by
	};
}

export function pauseTimer(timer: TimerState, serverNow: number): TimerState {
	if (!timer.running) return timer;
	return { ...timer, running: false, endsAt: null, remainingMs: remainingMs(timer, serverNow) };
}

export function resumeTimer(timer: TimerState, serverNow: number): TimerState {
	if (timer.running) return timer;
	return { ...timer, running: true, endsAt: serverNow + timer.remainingMs };
}

/** Adds time; a timer that already ran out starts counting again from what was added. */
export function addToTimer(timer: TimerState, ms: number, serverNow: number): TimerState {
	const left = Math.min(MAX_TIMER_MS, remainingMs(timer, serverNow) + ms);
	const durationMs = Math.min(MAX_TIMER_MS, timer.durationMs + ms);
	return timer.running
		? { ...timer, durationMs, endsAt: serverNow + left, remainingMs: left }
		: { ...timer, durationMs, remainingMs: left };
}

/**
 * How far the relay's clock is ahead of this one, from one round trip: the relay read its clock
 * (`serverNow`) about half-way between `sentAt` and `receivedAt` (both local).
 */
export function clockOffset(opts: { sentAt: number; receivedAt: number; serverNow: number }): {
	offset: number;
	rtt: number;
} {
	const rtt = Math.max(0, opts.receivedAt - opts.sentAt);
	return { offset: opts.serverNow + rtt / 2 - opts.receivedAt, rtt };
}

/** "14:05", "1:02:03": minutes and seconds (hours when needed), rounding up so 0:00 means done. */
export function formatRemaining(ms: number): string {
	const total = Math.ceil(Math.max(0, ms) / 1000);
	const h = Math.floor(total / 3600);
	const m = Math.floor((total % 3600) / 60);
	const s = String(total % 60).padStart(2, '0');
	return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
