/**
 * What changed between two snapshots of a board (issue 14's "compare"): items added, removed and
 * renamed, lanes whose priority changed, lanes moved to another program, cards moved to another
 * cell, and field changes (health, progress, manager, capacity, estimate, owner, dates…), grouped by program, with counts.
 *
 * Pure: it reads two BoardSnapshots, so it works on a checkpoint against now, two checkpoints,
 * or a replayed moment, whatever stores them.
 *
 * Priorities: when one lane is dragged from 3rd to 1st, the two it passed shift down too, but only
 * the dragged one was reprioritised. Within a program, the lanes kept in both snapshots whose
 * relative order is unchanged are the longest increasing run of their old priorities; only the
 * others are reported as reprioritised (from → to).
 */
import type { BoardSnapshot, LaneView, ProgramView } from './snapshot.ts';
import type { Card } from './records/card.ts';
import type { Period } from './records/period.ts';

export type ItemType = 'program' | 'lane' | 'period' | 'card';

export interface Cell {
	lane: string;
	period: string;
}

export type Change =
	| { kind: 'added' | 'removed'; type: ItemType; id: string; name: string }
	| { kind: 'renamed'; type: ItemType; id: string; from: string; to: string }
	| { kind: 'reprioritised'; type: 'lane'; id: string; name: string; from: number; to: number }
	| { kind: 'moved'; type: 'lane'; id: string; name: string; from: string; to: string }
	| { kind: 'moved'; type: 'card'; id: string; name: string; from: Cell; to: Cell }
	| {
			kind: 'field';
			type: ItemType;
			id: string;
			name: string;
			field: string;
			from: unknown;
			to: unknown;
	  };

export interface ChangeGroup {
	/** The program the changes are in (as it is after; as it was, if it was removed); null: the board's periods. */
	program: { id: string; name: string } | null;
	changes: Change[];
}

export interface BoardDiff {
	groups: ChangeGroup[];
	counts: Record<Change['kind'], number>;
	total: number;
}

const NAME_FIELD: Record<ItemType, string> = {
	program: 'name',
	lane: 'name',
	period: 'name',
	card: 'title'
};
/** Fields compared besides the name; positions are compared by the rules above instead. */
const FIELDS: Record<ItemType, readonly string[]> = {
	program: ['objective', 'manager', 'color'],
	lane: ['scope', 'manager', 'health', 'progress', 'capacity'],
	period: ['start', 'end'],
	card: ['kind', 'done', 'estimate', 'owner']
};

interface Placed<T> {
	item: T;
	program: string;
}

function cardsOf(board: BoardSnapshot): Map<string, Placed<Card> & { cell: Cell }> {
	const out = new Map<string, Placed<Card> & { cell: Cell }>();
	for (const program of board.programs) {
		for (const lane of program.lanes) {
			// In board order (the periods' order, not the cells object's), so changes list the same
			// way every time.
			for (const { id: period } of board.periods) {
				for (const card of lane.cells[period] ?? []) {
					out.set(card.id, { item: card, program: program.id, cell: { lane: lane.id, period } });
				}
			}
		}
	}
	return out;
}

function lanesOf(board: BoardSnapshot): Map<string, Placed<LaneView>> {
	const out = new Map<string, Placed<LaneView>>();
	for (const program of board.programs) {
		for (const lane of program.lanes) out.set(lane.id, { item: lane, program: program.id });
	}
	return out;
}

function byId<T extends { id: string }>(items: readonly T[]): Map<string, Placed<T>> {
	return new Map(items.map((item) => [item.id, { item, program: '' }]));
}

/** Indexes (into `values`) of one longest strictly increasing subsequence. */
function longestIncreasing(values: readonly number[]): Set<number> {
	const tails: number[] = [];
	const previous: number[] = new Array(values.length).fill(-1);
	values.forEach((value, i) => {
		let lo = 0;
		let hi = tails.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (values[tails[mid]!]! < value) lo = mid + 1;
			else hi = mid;
		}
		if (lo > 0) previous[i] = tails[lo - 1]!;
		tails[lo] = i;
	});
	const kept = new Set<number>();
	for (let i = tails.at(-1) ?? -1; i >= 0; i = previous[i]!) kept.add(i);
	return kept;
}

export function diffBoards(before: BoardSnapshot, after: BoardSnapshot): BoardDiff {
	const groups = new Map<string | null, Change[]>();
	const add = (program: string | null, change: Change) => {
		const list = groups.get(program);
		if (list) list.push(change);
		else groups.set(program, [change]);
	};

	function compare<T extends { id: string }>(
		type: ItemType,
		was: Map<string, Placed<T>>,
		now: Map<string, Placed<T>>,
		groupOf: (placed: Placed<T>) => string | null
	): void {
		const text = (item: T, field: string) => (item as Record<string, unknown>)[field];
		const nameOf = (item: T) => String(text(item, NAME_FIELD[type]));
		for (const [id, placed] of now) {
			const old = was.get(id);
			if (!old) {
				add(groupOf(placed), { kind: 'added', type, id, name: nameOf(placed.item) });
				continue;
			}
			const name = nameOf(placed.item);
			if (nameOf(old.item) !== name) {
				add(groupOf(placed), { kind: 'renamed', type, id, from: nameOf(old.item), to: name });
			}
			for (const field of FIELDS[type]) {
				const from = text(old.item, field);
				const to = text(placed.item, field);
				if (from !== to) add(groupOf(placed), { kind: 'field', type, id, name, field, from, to });
			}
		}
		for (const [id, old] of was) {
			if (!now.has(id)) add(groupOf(old), { kind: 'removed', type, id, name: nameOf(old.item) });
		}
	}

	const programOf = (placed: Placed<unknown>) => placed.program;
	compare<ProgramView>('program', byId(before.programs), byId(after.programs), (p) => p.item.id);
	compare<Period>('period', byId(before.periods), byId(after.periods), () => null);
	const lanesBefore = lanesOf(before);
	const lanesAfter = lanesOf(after);
	compare('lane', lanesBefore, lanesAfter, programOf);
	const cardsBefore = cardsOf(before);
	const cardsAfter = cardsOf(after);
	compare('card', cardsBefore, cardsAfter, programOf);

	// Lanes moved to another program, and lanes reprioritised within theirs.
	for (const program of after.programs) {
		const stayed: { lane: LaneView; from: number }[] = [];
		for (const lane of program.lanes) {
			const old = lanesBefore.get(lane.id);
			if (!old) continue;
			if (old.program !== program.id) {
				add(program.id, {
					kind: 'moved',
					type: 'lane',
					id: lane.id,
					name: lane.name,
					from: old.program,
					to: program.id
				});
			} else {
				stayed.push({ lane, from: old.item.priority });
			}
		}
		const kept = longestIncreasing(stayed.map((s) => s.from));
		stayed.forEach(({ lane, from }, i) => {
			if (kept.has(i) || from === lane.priority) return;
			add(program.id, {
				kind: 'reprioritised',
				type: 'lane',
				id: lane.id,
				name: lane.name,
				from,
				to: lane.priority
			});
		});
	}
	// Cards moved to another cell.
	for (const [id, now] of cardsAfter) {
		const old = cardsBefore.get(id);
		if (!old || (old.cell.lane === now.cell.lane && old.cell.period === now.cell.period)) continue;
		add(now.program, {
			kind: 'moved',
			type: 'card',
			id,
			name: now.item.title,
			from: old.cell,
			to: now.cell
		});
	}

	// Groups in board order: the periods first, then programs as they are now, then removed ones.
	const names = new Map<string, string>();
	for (const program of [...before.programs, ...after.programs])
		names.set(program.id, program.name);
	const order = [null, ...after.programs.map((p) => p.id), ...before.programs.map((p) => p.id)];
	const seen = new Set<string | null>();
	const out: ChangeGroup[] = [];
	for (const id of order) {
		if (seen.has(id)) continue;
		seen.add(id);
		const changes = groups.get(id);
		if (!changes) continue;
		out.push({ program: id === null ? null : { id, name: names.get(id) ?? '' }, changes });
	}
	const counts = { added: 0, removed: 0, renamed: 0, reprioritised: 0, moved: 0, field: 0 };
	for (const group of out) for (const change of group.changes) counts[change.kind] += 1;
	const total = Object.values(counts).reduce((a, b) => a + b, 0);
	return { groups: out, counts, total };
}
