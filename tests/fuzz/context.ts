/**
 * What every fuzz action shares: the run's context, the planned-then-run shape of an action, and
 * the random text it types.
 */
import { chance, int, pick, type Rng } from '../helpers/rng.ts';
import type { TextOracle } from './text-oracle.ts';

export interface FuzzContext {
	rng: Rng;
	oracle: TextOracle;
	/** `collection/id` of every record a successful create made. */
	created: Set<string>;
	/** Problems found while acting (the model wrote something other than what was asked). */
	problems: string[];
	/** A facilitator locks and unlocks now and then; the peers' locked edits are refused. */
	locks?: boolean;
}

export interface Planned {
	label: string;
	run(): void;
}

export type Plan = Planned | null;

export function plan(label: string, args: object, run: () => void): Planned {
	return { label: `${label} ${JSON.stringify(args)}`, run };
}

/** Emoji included so text edits cross surrogate pairs, as real titles do. */
const EMOJI = ['🚀', '😀', '😃', '🎉', '🨀'];
const LETTERS = 'abcdefgh ';

export function filler(rng: Rng, min: number, max: number): string {
	let out = '';
	const length = min + int(rng, max - min + 1);
	for (let i = 0; i < length; i++) {
		out += chance(rng, 0.15) ? pick(rng, EMOJI) : pick(rng, [...LETTERS]);
	}
	return out;
}
