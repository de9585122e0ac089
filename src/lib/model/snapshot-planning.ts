/**
 * Placement of the planning records in a snapshot: dependencies (drawn or set aside, with
 * health and cycles), objectives into their programs, risks into ROAM columns. Called by
 * assembleBoard (snapshot.ts), whose rules for what is set aside these follow.
 */
import { dependencyId, type Dependency } from './records/dependency.ts';
import type { Objective } from './records/objective.ts';
import { byId, byRank } from './order.ts';
import { ROAM, type Risk, type Roam } from './records/risk.ts';
import { cycleEdges, dependencyHealth, predictability } from './planning.ts';
import type { DependencyView, OrphanDependency, ProgramView, Read, RiskView } from './snapshot.ts';

/** The record each view was built from, for sameView. */
const sources = new WeakMap<object, object>();

/** `view`, remembered as built from `record`. */
export function viewOf<V extends object>(record: object, view: V): V {
	sources.set(view, record);
	return view;
}

/**
 * `view` if it was built from this very record, with these same `extra` values, else null: a
 * view built again would be this very view. The reader hands back the same record object for
 * an unchanged record and a new object for one that changed, so identity is the test.
 */
export function sameView<V extends object>(
	view: V | undefined,
	record: object,
	extra: Record<string, unknown>
): V | null {
	if (!view || sources.get(view) !== record) return null;
	for (const key in extra) if ((view as Record<string, unknown>)[key] !== extra[key]) return null;
	return view;
}

/**
 * Dependencies between cards on the board, with health and cycles; the others set aside. A
 * record whose endpoints do not match its id (only a foreign writer makes one) is set aside too:
 * drawing it would show two records for one pair.
 */
export function placeDependencies(
	read: Read<Dependency>,
	column: ReadonlyMap<string, number>,
	previous: readonly DependencyView[] = []
): { shown: DependencyView[]; orphans: OrphanDependency[] } {
	const orphans: OrphanDependency[] = read.misplaced.map((d) => ({
		id: d.id,
		from: null,
		to: null,
		missing: ['from', 'to']
	}));
	const placed: Dependency[] = [];
	for (const dep of read.placed) {
		const { from, to } = dep.pos;
		if (dep.id !== dependencyId(from, to) || from === to) {
			orphans.push({ id: dep.id, from, to, missing: ['from', 'to'] });
		} else if (column.has(from) && column.has(to)) placed.push(dep);
		else {
			const missing = (['from', 'to'] as const).filter((end) => !column.has(dep.pos[end]));
			orphans.push({ id: dep.id, from, to, missing });
		}
	}
	placed.sort(byId);
	orphans.sort(byId);
	// A dependency's id is its two ends, so the same ids in the same order are the same graph,
	// with the same cycles: a card moving does not search them again.
	const sameGraph =
		previous.length === placed.length && placed.every((dep, i) => previous[i]!.id === dep.id);
	const cycles = sameGraph ? null : cycleEdges(placed.map((d) => d.pos));
	const shown = placed.map((dep, i) => {
		const health = dependencyHealth(column.get(dep.pos.from)!, column.get(dep.pos.to)!, dep.kind);
		if (sameGraph) {
			const was = previous[i]!;
			if (was.health === health && sameView(was, dep, {})) return was;
		}
		const cycle = cycles ? cycles.has(i) : previous[i]!.cycle;
		return viewOf(dep, { ...dep, health, cycle });
	});
	return { shown, orphans };
}

/** Objectives into their programs, in order; those whose program is gone are returned. */
export function placeObjectives(
	read: Read<Objective>,
	programs: ReadonlyMap<string, ProgramView>,
	lanes: ReadonlySet<string>,
	cards: ReadonlyMap<string, number>
): { id: string; name: string }[] {
	const orphans = read.misplaced.map((o) => ({ id: o.id, name: o.name }));
	for (const objective of read.placed.sort(byRank)) {
		const program = programs.get(objective.pos.program);
		if (!program) {
			orphans.push({ id: objective.id, name: objective.name });
			continue;
		}
		const links = Object.entries(objective.link);
		program.objectives.push({
			...objective,
			lanes: links.filter(([id, kind]) => kind === 'lane' && lanes.has(id)).map(([id]) => id),
			cards: links.filter(([id, kind]) => kind === 'card' && cards.has(id)).map(([id]) => id)
		});
	}
	for (const program of programs.values())
		program.predictability = predictability(program.objectives);
	return orphans.sort(byId);
}

/** Risks into their ROAM columns. */
export function placeRisks(
	read: Read<Risk>,
	board: {
		programs: ReadonlyMap<string, unknown>;
		lanes: ReadonlySet<string>;
		cards: ReadonlyMap<string, unknown>;
	}
): Record<Roam, RiskView[]> {
	const columns = Object.fromEntries(ROAM.map((roam) => [roam, [] as RiskView[]])) as Record<
		Roam,
		RiskView[]
	>;
	const gone = (risk: Omit<Risk, 'pos'>) => {
		const threat = risk.threatens;
		if (!threat) return false;
		if (threat.kind === 'program') return !board.programs.has(threat.id);
		if (threat.kind === 'lane') return !board.lanes.has(threat.id);
		return !board.cards.has(threat.id);
	};
	for (const risk of read.placed.sort(byRank)) {
		const ownerless = risk.pos.roam === 'owned' && risk.owner.trim() === '';
		columns[ownerless ? 'new' : risk.pos.roam].push({
			...risk,
			roam: ownerless ? 'new' : risk.pos.roam,
			note: ownerless
				? 'Marked owned without an owner: shown as not roamed until someone owns it.'
				: null,
			threatGone: gone(risk)
		});
	}
	for (const risk of read.misplaced.sort(byId)) {
		columns.new.push({
			...risk,
			pos: { roam: 'new', rank: '' },
			roam: 'new',
			note: 'Its place in the ROAM view could not be read: shown as not roamed.',
			threatGone: gone(risk)
		});
	}
	return columns;
}
