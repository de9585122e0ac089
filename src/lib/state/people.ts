import type { BoardSnapshot } from '$lib/model/index.ts';

/**
 * Names already on the board (card owners, lane and program managers), most used first: the
 * suggestions for an owner, so the same person is typed the same way.
 */
export function namesOnBoard(snapshot: BoardSnapshot): string[] {
	const counts = new Map<string, number>();
	const add = (name: string) => {
		const trimmed = name.trim();
		if (trimmed) counts.set(trimmed, (counts.get(trimmed) ?? 0) + 1);
	};
	for (const program of snapshot.programs) {
		add(program.manager);
		for (const lane of program.lanes) {
			add(lane.manager);
			for (const cards of Object.values(lane.cells)) for (const card of cards) add(card.owner);
		}
	}
	return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([n]) => n);
}

/** An estimate or capacity as typed: a number from 0, empty for none, else why not. */
export function parseAmount(text: string): { ok: true; value: number | null } | { ok: false } {
	const trimmed = text.trim().replace(',', '.');
	if (trimmed === '') return { ok: true, value: null };
	const value = Number(trimmed);
	return Number.isFinite(value) && value >= 0 ? { ok: true, value } : { ok: false };
}

/** "1 point", "3 points", "1 day", "0.5 days": an amount in the board's (plural) unit. */
export function amountIn(amount: number, unit: string): string {
	const one = amount === 1 && /[^s]s$/i.test(unit) ? unit.slice(0, -1) : unit;
	return `${amount} ${one}`;
}
