/**
 * Compare, as words: each change of a board diff (model/diff.ts) as a sentence for the history
 * panel, and as the short mark compare mode puts on the item on the board ("↑2", "new", "moved
 * from Q2"). Names come from both boards, so a moved card names the cell it left even if that
 * lane has since been renamed or deleted.
 */
import type { BoardSnapshot, Cell, Change } from '$lib/model/index.ts';

export interface Names {
	program(id: string): string;
	lane(id: string): string;
	period(id: string): string;
}

/** Names of every program, lane and period in either board, the later board's first. */
export function namesOf(before: BoardSnapshot, after: BoardSnapshot): Names {
	const programs = new Map<string, string>();
	const lanes = new Map<string, string>();
	const periods = new Map<string, string>();
	for (const board of [before, after]) {
		for (const program of board.programs) {
			programs.set(program.id, program.name);
			for (const lane of program.lanes) lanes.set(lane.id, lane.name);
		}
		for (const period of board.periods) periods.set(period.id, period.name);
	}
	const named = (map: Map<string, string>, what: string) => (id: string) =>
		map.get(id) || `(unnamed ${what})`;
	return {
		program: named(programs, 'program'),
		lane: named(lanes, 'lane'),
		period: named(periods, 'period')
	};
}

const TYPE_LABEL = { program: 'Program', lane: 'Lane', period: 'Period', card: 'Card' } as const;

function quoted(name: string): string {
	return `“${name || 'untitled'}”`;
}

function value(v: unknown): string {
	if (v === null || v === undefined || v === '') return '—';
	if (typeof v === 'boolean') return v ? 'yes' : 'no';
	return String(v);
}

function cell(names: Names, c: Cell): string {
	return `${names.lane(c.lane)} · ${names.period(c.period)}`;
}

/** One change as a sentence: "Card “Checkout v2” moved from Checkout · Q1 to Billing · Q2". */
export function describeChange(change: Change, names: Names): string {
	const label = TYPE_LABEL[change.type];
	switch (change.kind) {
		case 'added':
			return `${label} ${quoted(change.name)} added`;
		case 'removed':
			return `${label} ${quoted(change.name)} removed`;
		case 'renamed':
			return `${label} ${quoted(change.from)} renamed to ${quoted(change.to)}`;
		case 'reprioritised':
			return `Lane ${quoted(change.name)} priority ${change.from} → ${change.to}`;
		case 'moved':
			return change.type === 'lane'
				? `Lane ${quoted(change.name)} moved from ${names.program(change.from)} to ${names.program(change.to)}`
				: `Card ${quoted(change.name)} moved from ${cell(names, change.from)} to ${cell(names, change.to)}`;
		case 'field':
			return `${label} ${quoted(change.name)}: ${change.field} ${value(change.from)} → ${value(change.to)}`;
	}
}

/** The short mark compare mode shows on the changed item; null for a change not on the board. */
export function markOf(change: Change, names: Names): string | null {
	switch (change.kind) {
		case 'added':
			return 'new';
		case 'removed':
			return null;
		case 'renamed':
			return 'renamed';
		case 'reprioritised':
			return change.to < change.from
				? `↑${change.from - change.to}`
				: `↓${change.to - change.from}`;
		case 'moved':
			if (change.type === 'lane') return `moved from ${names.program(change.from)}`;
			return change.from.period !== change.to.period
				? `moved from ${names.period(change.from.period)}`
				: `moved from ${names.lane(change.from.lane)}`;
		case 'field':
			return `${change.field} changed`;
	}
}
