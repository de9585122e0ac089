/**
 * What a drag-and-drop gesture means, as one Move. The drag library reports what was dragged,
 * the innermost thing it was dropped on and the closest edge; this turns that into the index
 * among the siblings *without* the dragged item, which is what the model's move operations take.
 */
import type { BoardSnapshot, Roam } from '$lib/model/index.ts';
import { findCard, findLane, type ItemKind, type Move } from './moves.ts';
import { findObjective, findRisk } from './moves-planning.ts';

/** What is dragged: an item to move, or a card's connector to link it to another card. */
export interface DragData {
	kind: ItemKind | 'connector';
	id: string;
}

export type DropData =
	| { kind: 'lane'; id: string }
	| { kind: 'program'; id: string }
	| { kind: 'card'; id: string }
	| { kind: 'cell'; laneId: string; periodId: string }
	| { kind: 'period'; id: string }
	| { kind: 'objective'; id: string }
	| { kind: 'risk'; id: string }
	/** A ROAM column: a risk dropped there goes to its end. */
	| { kind: 'roam'; id: Roam };

export type Edge = 'top' | 'bottom' | 'left' | 'right';

const AFTER: ReadonlySet<Edge | null> = new Set(['bottom', 'right']);

/** Which drop targets a dragged item may land on; the UI shows indicators only there. */
export function accepts(source: DragData, target: DropData): boolean {
	switch (source.kind) {
		case 'lane':
			return target.kind === 'lane' || target.kind === 'program';
		case 'card':
			return target.kind === 'card' || target.kind === 'cell';
		case 'program':
			return target.kind === 'program';
		case 'period':
			return target.kind === 'period';
		case 'objective':
			return target.kind === 'objective';
		case 'risk':
			return target.kind === 'risk' || target.kind === 'roam';
		case 'connector':
			return target.kind === 'card' && target.id !== source.id;
	}
}

/** A connector dropped on a card: "that card needs this one". */
export function linkForDrop(
	source: DragData,
	target: DropData
): { from: string; to: string } | null {
	if (source.kind !== 'connector' || !accepts(source, target)) return null;
	return { from: source.id, to: (target as { id: string }).id };
}

function indexAmong(ids: string[], source: string, target: string, edge: Edge | null): number {
	const others = ids.filter((id) => id !== source);
	const at = others.indexOf(target);
	return at < 0 ? others.length : at + (AFTER.has(edge) ? 1 : 0);
}

export function moveForDrop(
	snapshot: BoardSnapshot,
	source: DragData,
	target: DropData,
	edge: Edge | null
): Move | null {
	if (source.kind === 'connector' || !accepts(source, target)) return null;
	if ('id' in target && target.id === source.id) return null;
	const { id } = source;
	if (source.kind === 'lane') {
		if (target.kind === 'program') return { kind: 'lane', id, programId: target.id, index: 0 };
		const at = findLane(snapshot, (target as { id: string }).id);
		if (!at) return null;
		const ids = at.program.lanes.map((lane) => lane.id);
		return {
			kind: 'lane',
			id,
			programId: at.program.id,
			index: indexAmong(ids, id, at.lane.id, edge)
		};
	}
	if (source.kind === 'card') {
		if (target.kind === 'cell') {
			const at = findLane(snapshot, target.laneId);
			const cards = at?.lane.cells[target.periodId] ?? [];
			const others = cards.filter((card) => card.id !== id);
			return {
				kind: 'card',
				id,
				laneId: target.laneId,
				periodId: target.periodId,
				index: others.length
			};
		}
		const at = findCard(snapshot, (target as { id: string }).id);
		if (!at) return null;
		const ids = at.cards.map((card) => card.id);
		const index = indexAmong(ids, id, at.card.id, edge);
		return { kind: 'card', id, laneId: at.lane.id, periodId: at.periodId, index };
	}
	if (source.kind === 'objective') {
		const at = findObjective(snapshot, (target as { id: string }).id);
		if (!at) return null;
		const ids = at.program.objectives.map((o) => o.id);
		const index = indexAmong(ids, id, at.objective.id, edge);
		return { kind: 'objective', id, programId: at.program.id, index };
	}
	if (source.kind === 'risk') {
		if (target.kind === 'roam') {
			const others = snapshot.risks[target.id].filter((risk) => risk.id !== id);
			return { kind: 'risk', id, roam: target.id, index: others.length };
		}
		const at = findRisk(snapshot, (target as { id: string }).id);
		if (!at) return null;
		const ids = at.column.map((risk) => risk.id);
		return { kind: 'risk', id, roam: at.roam, index: indexAmong(ids, id, at.risk.id, edge) };
	}
	const list = source.kind === 'program' ? snapshot.programs : snapshot.periods;
	const ids = list.map((item) => item.id);
	return { kind: source.kind, id, index: indexAmong(ids, id, (target as { id: string }).id, edge) };
}
