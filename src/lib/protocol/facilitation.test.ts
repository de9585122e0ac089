import { describe, expect, it } from 'vitest';
import {
	addToTimer,
	clockOffset,
	formatRemaining,
	pauseTimer,
	remainingMs,
	resumeTimer,
	startTimer
} from './facilitation.ts';

describe('timer math on the relay clock', () => {
	const started = startTimer({
		label: 'Breakout',
		durationMs: 120_000,
		by: 'Ana',
		serverNow: 1_000
	});

	it('counts down from the end the relay set, never below zero', () => {
		expect(remainingMs(started, 1_000)).toBe(120_000);
		expect(remainingMs(started, 61_000)).toBe(60_000);
		expect(remainingMs(started, 500_000)).toBe(0);
		// A clock estimate slightly behind the relay's never shows more than the timer's length.
		expect(remainingMs(started, 400)).toBe(120_000);
	});

	it('holds still while paused and resumes from what was left', () => {
		const paused = pauseTimer(started, 31_000);
		expect(remainingMs(paused, 31_000)).toBe(90_000);
		expect(remainingMs(paused, 900_000)).toBe(90_000);
		const resumed = resumeTimer(paused, 1_000_000);
		expect(remainingMs(resumed, 1_030_000)).toBe(60_000);
	});

	it('adds time to a running, a paused and a finished timer', () => {
		expect(remainingMs(addToTimer(started, 60_000, 61_000), 61_000)).toBe(120_000);
		expect(remainingMs(addToTimer(pauseTimer(started, 61_000), 60_000, 99_999), 99_999)).toBe(
			120_000
		);
		const finished = addToTimer(started, 60_000, 500_000);
		expect(remainingMs(finished, 500_000)).toBe(60_000);
	});

	it('gives clients with skewed clocks the same remaining time', () => {
		// The relay read its clock at 10_050 while a message took 100 ms round trip.
		const serverNow = 10_050;
		for (const skew of [-3_600_000, 0, 123_456]) {
			const sentAt = 10_000 + skew;
			const receivedAt = 10_100 + skew;
			const { offset, rtt } = clockOffset({ sentAt, receivedAt, serverNow });
			expect(rtt).toBe(100);
			// This client's view of the relay clock at its receivedAt.
			expect(receivedAt + offset).toBe(10_100);
			const timer = startTimer({ label: '', durationMs: 120_000, by: '', serverNow: 10_000 });
			expect(remainingMs(timer, receivedAt + offset)).toBe(119_900);
		}
	});

	it('formats minutes and seconds, rounding up', () => {
		expect(formatRemaining(120_000)).toBe('2:00');
		expect(formatRemaining(119_001)).toBe('2:00');
		expect(formatRemaining(59_000)).toBe('0:59');
		expect(formatRemaining(0)).toBe('0:00');
		expect(formatRemaining(3_723_000)).toBe('1:02:03');
	});
});
