/**
 * Moves of the program manager's lists: objectives within (or between) programs, and risks
 * within and between ROAM columns. The same three ways as every other item (drag, keyboard,
 * Move… menu) through the same Move; moves.ts dispatches here by kind.
 */
import { ROAM, type BoardSnapshot, type Roam } from '$lib/model/index.ts';
import type { Direction, Move, MoveOption, Place } from './moves.ts';

export const ROAM_LABELS: Record<Roam, string> = {
	new: 'New',
	resolved: 'Resolved',
	owned: 'Owned',
	accepted: 'Accepted',
	mitigated: 'Mitigated'
};

const named = (name: string, fallback: string) => name || fallback;

export function findObjective(snapshot: BoardSnapshot, id: string) {
	for (const program of snapshot.programs) {
		const index = program.objectives.findIndex((o) => o.id === id);
		if (index >= 0) return { program, objective: program.objectives[index]!, index };
	}
	return null;
}

export function findRisk(snapshot: BoardSnapshot, id: string) {
	for (const roam of ROAM) {
		const column = snapshot.risks[roam];
		const index = column.findIndex((risk) => risk.id === id);
		if (index >= 0) return { roam, column, risk: column[index]!, index };
	}
	return null;
}

export function objectivePlace(snapshot: BoardSnapshot, id: string): Move | null {
	const at = findObjective(snapshot, id);
	return at && { kind: 'objective', id, programId: at.program.id, index: at.index };
}

export function riskPlace(snapshot: BoardSnapshot, id: string): Move | null {
	const at = findRisk(snapshot, id);
	return at && { kind: 'risk', id, roam: at.roam, index: at.index };
}

export function describeObjective(snapshot: BoardSnapshot, id: string): Place | null {
	const at = findObjective(snapshot, id);
	if (!at) return null;
	return {
		name: named(at.objective.name, 'Untitled objective'),
		where: `objective ${at.index + 1} of ${at.program.objectives.length} in ${named(at.program.name, 'Untitled program')}`
	};
}

export function describeRisk(snapshot: BoardSnapshot, id: string): Place | null {
	const at = findRisk(snapshot, id);
	if (!at) return null;
	return {
		name: named(at.risk.title, 'Untitled risk'),
		where: `${ROAM_LABELS[at.roam]}, ${at.index + 1} of ${at.column.length}`
	};
}

/** Up and down within the program; Home and End to its first and last place. */
export function objectiveStep(snapshot: BoardSnapshot, id: string, direction: Direction) {
	const at = findObjective(snapshot, id);
	if (!at) return null;
	const last = at.program.objectives.length - 1;
	const to = { top: 0, bottom: last, up: at.index - 1, down: at.index + 1 }[direction as string];
	if (to === undefined || to === at.index || to < 0 || to > last) return null;
	return { kind: 'objective', id, programId: at.program.id, index: to } satisfies Move;
}

/** Up and down within a column; left and right to the neighbouring column, at the same height. */
export function riskStep(snapshot: BoardSnapshot, id: string, direction: Direction): Move | null {
	const at = findRisk(snapshot, id);
	if (!at) return null;
	const here = (index: number): Move => ({ kind: 'risk', id, roam: at.roam, index });
	const last = at.column.length - 1;
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
			const roam = ROAM[ROAM.indexOf(at.roam) + (direction === 'left' ? -1 : 1)];
			if (!roam) return null;
			return { kind: 'risk', id, roam, index: Math.min(at.index, snapshot.risks[roam].length) };
		}
	}
}

/** The Move… menu's entries beyond Position: other programs, or the other ROAM columns. */
export function planningOptions(
	snapshot: BoardSnapshot,
	kind: 'objective' | 'risk',
	id: string
): MoveOption[] {
	if (kind === 'objective') {
		const at = findObjective(snapshot, id);
		return snapshot.programs
			.filter((program) => at && program.id !== at.program.id)
			.map((program) => ({
				label: `To ${named(program.name, 'Untitled program')}`,
				move: { kind, id, programId: program.id, index: program.objectives.length },
				group: 'Program'
			}));
	}
	const at = findRisk(snapshot, id);
	return ROAM.filter((roam) => at && roam !== at.roam).map((roam) => ({
		label: `To ${ROAM_LABELS[roam]}`,
		move: { kind, id, roam, index: snapshot.risks[roam].length },
		group: 'Column'
	}));
}
