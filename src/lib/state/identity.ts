/**
 * Who a person is on the board, as pure functions: the colour picked for them, their initials
 * and the name they go by until they give one.
 */

/**
 * Twelve colours that read as themselves on white and on the dark theme's surfaces, and stay
 * apart from each other for the common colour-vision deficiencies as far as twelve can.
 */
export const PRESENCE_PALETTE = [
	'#2563eb',
	'#d9480f',
	'#0f9d58',
	'#c2185b',
	'#7b4fd6',
	'#0e8a9e',
	'#b7791f',
	'#5c6bc0',
	'#e0365f',
	'#2e7d32',
	'#8d5b3e',
	'#0277bd'
] as const;

/** "Ana Ruiz" → "AR", "Bo" → "BO". */
export function initials(name: string): string {
	const words = name.trim().split(/\s+/).filter(Boolean);
	const letters =
		words.length > 1 ? [words[0]![0], words.at(-1)![0]] : [...(words[0] ?? '?')].slice(0, 2);
	return letters.join('').toUpperCase();
}

export function guestName(clientId: number): string {
	return `Guest ${(clientId % 4096).toString(16).padStart(3, '0')}`;
}

/** The palette colour for `seed`, or the next one nobody in `used` has, if there is one. */
export function pickColour(seed: number, used: Iterable<string>): string {
	const taken = new Set([...used].map((colour) => colour.toLowerCase()));
	const n = PRESENCE_PALETTE.length;
	const start = Math.abs(seed) % n;
	for (let i = 0; i < n; i++) {
		const colour = PRESENCE_PALETTE[(start + i) % n]!;
		if (!taken.has(colour)) return colour;
	}
	return PRESENCE_PALETTE[start]!;
}

/**
 * The colour each person is shown in. People keep the colour they chose, except that two people
 * with the same initials never share one: the later to join (higher client id, the same order
 * on every screen, so every screen agrees) is shown in the first palette colour nobody with
 * those initials has, preferring one nobody on the board has.
 */
export function distinctColours(
	people: readonly { clientId: number; initials: string; colour: string }[]
): Map<number, string> {
	const out = new Map<number, string>();
	const everyone = new Set(people.map((p) => p.colour.toLowerCase()));
	const byInitials = new Map<string, Set<string>>();
	for (const person of [...people].sort((a, b) => a.clientId - b.clientId)) {
		const group = byInitials.get(person.initials) ?? new Set<string>();
		byInitials.set(person.initials, group);
		let colour = person.colour.toLowerCase();
		if (group.has(colour)) {
			const free = PRESENCE_PALETTE.filter((c) => !group.has(c));
			colour = free.find((c) => !everyone.has(c)) ?? free[0] ?? colour;
			everyone.add(colour);
		}
		group.add(colour);
		out.set(person.clientId, colour);
	}
	return out;
}
