/**
 * What the board shows about objectives outside their own list: which objectives each lane and
 * card serves (its tag, and the ⋯ menu entries that link it), and predictability in words.
 * Pure, built once per snapshot.
 */
import {
	linkObjective,
	type BoardSnapshot,
	type ObjectiveView,
	type Predictability
} from '$lib/model/index.ts';
import type { BoardState } from './board.svelte.ts';
import type { MenuEntry } from './menu-entry.ts';
import { findCard, findLane } from './moves.ts';

const served = new WeakMap<BoardSnapshot, Map<string, ObjectiveView[]>>();
/** One empty answer for the thousands of cards that serve nothing: no new array per snapshot. */
const NONE: ObjectiveView[] = [];

/** The objectives a lane or card serves (linked from the objective), in list order. */
export function servedBy(
	snapshot: BoardSnapshot,
	kind: 'lane' | 'card',
	id: string
): ObjectiveView[] {
	return servedMap(snapshot).get(`${kind}:${id}`) ?? NONE;
}

/** Per item key (`card:<id>`), the objectives it serves; items that serve none are absent. */
export function servedMap(snapshot: BoardSnapshot): ReadonlyMap<string, ObjectiveView[]> {
	let map = served.get(snapshot);
	if (!map) {
		map = new Map();
		for (const program of snapshot.programs) {
			for (const objective of program.objectives) {
				for (const lane of objective.lanes)
					map.set(`lane:${lane}`, [...(map.get(`lane:${lane}`) ?? []), objective]);
				for (const card of objective.cards)
					map.set(`card:${card}`, [...(map.get(`card:${card}`) ?? []), objective]);
			}
		}
		served.set(snapshot, map);
	}
	return map;
}

/**
 * "84.6 % (11 of 13)"; "not yet scored" before any actual value is in (the end of the period),
 * null while no committed objective has a planned value.
 */
export function predictabilityText(p: Predictability): string | null {
	if (p.percent === null) return null;
	if (p.scored === 0) return `not yet scored (${p.planned} planned)`;
	return `${p.percent.toFixed(1)} % (${p.actual} of ${p.planned})`;
}

/** "3 objectives: 2 committed, 1 stretch, 13 planned". */
export function objectivesBrief(p: Predictability): string {
	const count = p.committed + p.stretch;
	if (count === 0) return 'No objectives yet';
	return `${count} ${count === 1 ? 'objective' : 'objectives'}: ${p.committed} committed, ${p.stretch} stretch, ${p.planned} planned`;
}

/**
 * The ⋯ menu entries that link a lane or card to the objectives of its program ("Serves …"),
 * each a toggle; the other end of the links the objective's panel makes.
 */
export function servesEntries(board: BoardState, kind: 'lane' | 'card', id: string): MenuEntry[] {
	const snapshot = board.snapshot;
	const program =
		kind === 'lane' ? findLane(snapshot, id)?.program : findCard(snapshot, id)?.program;
	return (program?.objectives ?? []).map((objective) => {
		const linked = (kind === 'lane' ? objective.lanes : objective.cards).includes(id);
		const name = objective.name || 'Untitled objective';
		return {
			label: linked ? `Stop serving ${name}` : `Serves ${name}`,
			group: 'Objectives',
			onselect: () =>
				board.run(linkObjective, { id: objective.id, kind, targetId: id, linked: !linked })
		};
	});
}
