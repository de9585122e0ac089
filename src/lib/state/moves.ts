/**
 * Where things can move, worked out from a snapshot, for the three ways to move them: drag and
 * drop, the keyboard (lift, arrows, drop) and the Move… menu. Each produces a Move, which runs
 * as the model's one single-write move operation; each describes the result in words for the
 * live region. Pure functions, so they are tested without a browser.
 */
import type { BoardSnapshot, LaneView, ProgramView, Roam } from '$lib/model/index.ts';
import {
	describeObjective,
	describeRisk,
	objectivePlace,
	objectiveStep,
	planningOptions,
	riskPlace,
	riskStep
} from './moves-planning.ts';

export type Move =
	| { kind: 'lane'; id: string; programId: string; index: number }
	| { kind: 'card'; id: string; laneId: string; periodId: string; index: number }
	| { kind: 'program'; id: string; index: number }
	| { kind: 'period'; id: string; index: number }
	| { kind: 'objective'; id: string; programId: string; index: number }
	/** To Owned needs an owner: the risk's own, or `owner`, written with the move. */
	| { kind: 'risk'; id: string; roam: Roam; index: number; owner?: string };

export type ItemKind = Move['kind'];
export type Direction = 'up' | 'down' | 'left' | 'right' | 'top' | 'bottom';

export interface MoveOption {
	label: string;
	move: Move;
	/** Options are shown under these headings, in order. */
	group: 'Position' | 'Program' | 'Lane' | 'Period' | 'Column';
}

interface LaneAt {
	program: ProgramView;
	programIndex: number;
	lane: LaneView;
	index: number;
}

export function findLane(snapshot: BoardSnapshot, id: string): LaneAt | null {
	for (const [programIndex, program] of snapshot.programs.entries()) {
		const index = program.lanes.findIndex((lane) => lane.id === id);
		if (index >= 0) return { program, programIndex, lane: program.lanes[index]!, index };
	}
	return null;
}

export function findCard(snapshot: BoardSnapshot, id: string) {
	for (const program of snapshot.programs) {
		for (const [laneIndex, lane] of program.lanes.entries()) {
			for (const [periodId, cards] of Object.entries(lane.cells)) {
				const index = cards.findIndex((card) => card.id === id);
				if (index < 0) continue;
				const periodIndex = snapshot.periods.findIndex((p) => p.id === periodId);
				return {
					program,
					lane,
					laneIndex,
					periodId,
					periodIndex,
					cards,
					card: cards[index]!,
					index
				};
			}
		}
	}
	return null;
}

/** Where an item is now, as a Move that would leave it there (for Esc after a keyboard lift). */
export function currentPlace(snapshot: BoardSnapshot, kind: ItemKind, id: string): Move | null {
	if (kind === 'objective') return objectivePlace(snapshot, id);
	if (kind === 'risk') return riskPlace(snapshot, id);
	if (kind === 'lane') {
		const at = findLane(snapshot, id);
		return at && { kind, id, programId: at.program.id, index: at.index };
	}
	if (kind === 'card') {
		const at = findCard(snapshot, id);
		return at && { kind, id, laneId: at.lane.id, periodId: at.periodId, index: at.index };
	}
	const list = kind === 'program' ? snapshot.programs : snapshot.periods;
	const index = list.findIndex((item) => item.id === id);
	return index < 0 ? null : { kind, id, index };
}

const named = (name: string, fallback: string) => name || fallback;

export interface Place {
	name: string;
	/** e.g. "priority 2 of 5 in Payments". */
	where: string;
}

/** The item's name and where it is now. */
export function describePlace(snapshot: BoardSnapshot, kind: ItemKind, id: string): Place | null {
	if (kind === 'objective') return describeObjective(snapshot, id);
	if (kind === 'risk') return describeRisk(snapshot, id);
	if (kind === 'lane') {
		const at = findLane(snapshot, id);
		if (!at) return null;
		const program = named(at.program.name, 'Untitled program');
		return {
			name: named(at.lane.name, 'Untitled lane'),
			where: `priority ${at.index + 1} of ${at.program.lanes.length} in ${program}`
		};
	}
	if (kind === 'card') {
		const at = findCard(snapshot, id);
		if (!at) return null;
		const period = named(snapshot.periods[at.periodIndex]?.name ?? '', 'Untitled period');
		const lane = named(at.lane.name, 'Untitled lane');
		return {
			name: named(at.card.title, 'Untitled card'),
			where: `position ${at.index + 1} of ${at.cards.length} in ${lane}, ${period}`
		};
	}
	const list = kind === 'program' ? snapshot.programs : snapshot.periods;
	const index = list.findIndex((item) => item.id === id);
	if (index < 0) return null;
	const what = kind === 'program' ? 'Untitled program' : 'Untitled period';
	const place = kind === 'program' ? 'position' : 'column';
	return { name: named(list[index]!.name, what), where: `${place} ${index + 1} of ${list.length}` };
}

/** "Billing moved to priority 2 of 5 in Payments". */
export function movedMessage(snapshot: BoardSnapshot, kind: ItemKind, id: string): string {
	const place = describePlace(snapshot, kind, id);
	return place ? `${place.name} moved to ${place.where}` : '';
}

/** The move one keyboard step makes, or null at the edge of the board. */
export function step(
	snapshot: BoardSnapshot,
	kind: ItemKind,
	id: string,
	direction: Direction
): Move | null {
	if (kind === 'lane') return laneStep(snapshot, id, direction);
	if (kind === 'card') return cardStep(snapshot, id, direction);
	if (kind === 'objective') return objectiveStep(snapshot, id, direction);
	if (kind === 'risk') return riskStep(snapshot, id, direction);
	const list = kind === 'program' ? snapshot.programs : snapshot.periods;
	const index = list.findIndex((item) => item.id === id);
	if (index < 0) return null;
	const back = kind === 'program' ? 'up' : 'left';
	const forward = kind === 'program' ? 'down' : 'right';
	const last = list.length - 1;
	const to =
		direction === 'top'
			? 0
			: direction === 'bottom'
				? last
				: direction === back
					? index - 1
					: direction === forward
						? index + 1
						: index;
	return to === index || to < 0 || to > last ? null : { kind, id, index: to };
}

function laneStep(snapshot: BoardSnapshot, id: string, direction: Direction): Move | null {
	const at = findLane(snapshot, id);
	if (!at) return null;
	const last = at.program.lanes.length - 1;
	const here = (index: number): Move => ({ kind: 'lane', id, programId: at.program.id, index });
	if (direction === 'top') return at.index === 0 ? null : here(0);
	if (direction === 'bottom') return at.index === last ? null : here(last);
	if (direction === 'up') {
		if (at.index > 0) return here(at.index - 1);
		// Past the top of its program, a lane goes to the bottom of the program above.
		const above = snapshot.programs[at.programIndex - 1];
		return above ? { kind: 'lane', id, programId: above.id, index: above.lanes.length } : null;
	}
	if (direction === 'down') {
		if (at.index < last) return here(at.index + 1);
		const below = snapshot.programs[at.programIndex + 1];
		return below ? { kind: 'lane', id, programId: below.id, index: 0 } : null;
	}
	return null;
}

function cardStep(snapshot: BoardSnapshot, id: string, direction: Direction): Move | null {
	const at = findCard(snapshot, id);
	if (!at) return null;
	const last = at.cards.length - 1;
	const here = (index: number): Move => ({
		kind: 'card',
		id,
		laneId: at.lane.id,
		periodId: at.periodId,
		index
	});
	switch (direction) {
		case 'top':
			return at.index === 0 ? null : here(0);
		case 'bottom':
			return at.index === last ? null : here(last);
		case 'up':
			return at.index === 0 ? null : here(at.index - 1);
		case 'down':
			return at.index === last ? null : here(at.index + 1);
		case 'left':
		case 'right': {
			const period = snapshot.periods[at.periodIndex + (direction === 'left' ? -1 : 1)];
			if (!period) return null;
			const there = at.lane.cells[period.id]?.length ?? 0;
			return {
				kind: 'card',
				id,
				laneId: at.lane.id,
				periodId: period.id,
				index: Math.min(at.index, there)
			};
		}
	}
}

const POSITION_LABELS: Record<ItemKind, Partial<Record<Direction, string>>> = {
	objective: {
		top: 'Move to top',
		up: 'Move up one',
		down: 'Move down one',
		bottom: 'Move to bottom'
	},
	risk: {
		top: 'Move to top of column',
		up: 'Move up one',
		down: 'Move down one',
		bottom: 'Move to bottom of column'
	},
	lane: {
		top: 'Move to top priority',
		up: 'Move up one',
		down: 'Move down one',
		bottom: 'Move to bottom'
	},
	card: {
		top: 'Move to top of cell',
		up: 'Move up one',
		down: 'Move down one',
		bottom: 'Move to bottom of cell'
	},
	program: {
		top: 'Move to top',
		up: 'Move up one',
		down: 'Move down one',
		bottom: 'Move to bottom'
	},
	period: {
		top: 'Move to first column',
		left: 'Move left one',
		right: 'Move right one',
		bottom: 'Move to last column'
	}
};

/** Everything the Move… menu offers for one item; moves that would change nothing are left out. */
export function moveOptions(snapshot: BoardSnapshot, kind: ItemKind, id: string): MoveOption[] {
	const options: MoveOption[] = [];
	for (const [direction, label] of Object.entries(POSITION_LABELS[kind]) as [Direction, string][]) {
		// "Up one" at the top of a program would leave it: that is the Program group's job.
		const move =
			kind === 'lane' && (direction === 'up' || direction === 'down')
				? laneStepWithin(snapshot, id, direction)
				: step(snapshot, kind, id, direction);
		if (move) options.push({ label, move, group: 'Position' });
	}
	if (kind === 'objective' || kind === 'risk') options.push(...planningOptions(snapshot, kind, id));
	if (kind === 'lane') {
		const at = findLane(snapshot, id);
		for (const program of snapshot.programs) {
			if (!at || program.id === at.program.id) continue;
			options.push({
				label: `To ${named(program.name, 'Untitled program')} (lowest priority)`,
				move: { kind, id, programId: program.id, index: program.lanes.length },
				group: 'Program'
			});
		}
	}
	if (kind === 'card') {
		const at = findCard(snapshot, id);
		if (!at) return options;
		for (const lane of at.program.lanes) {
			if (lane.id === at.lane.id) continue;
			const count = lane.cells[at.periodId]?.length ?? 0;
			options.push({
				label: `To ${named(lane.name, 'Untitled lane')}`,
				move: { kind, id, laneId: lane.id, periodId: at.periodId, index: count },
				group: 'Lane'
			});
		}
		for (const period of snapshot.periods) {
			if (period.id === at.periodId) continue;
			const count = at.lane.cells[period.id]?.length ?? 0;
			options.push({
				label: `To ${named(period.name, 'Untitled period')}`,
				move: { kind, id, laneId: at.lane.id, periodId: period.id, index: count },
				group: 'Period'
			});
		}
	}
	return options;
}

function laneStepWithin(
	snapshot: BoardSnapshot,
	id: string,
	direction: 'up' | 'down'
): Move | null {
	const move = laneStep(snapshot, id, direction);
	const at = findLane(snapshot, id);
	return move && move.kind === 'lane' && move.programId === at?.program.id ? move : null;
}
