/**
 * Deleting from the board. A delete that takes children with it (a program with lanes, a lane
 * or period with cards) asks first and says how much goes; anything else just goes, because a
 * confirmation on every card delete teaches people to click "Delete" without reading.
 */
import {
	deleteCard,
	deleteLane,
	deleteObjective,
	deletePeriod,
	deleteProgram,
	deleteRisk
} from '$lib/model/index.ts';
import type { BoardState } from '$lib/state/board.svelte.ts';
import { describePlace, findLane, type ItemKind } from '$lib/state/moves.ts';
import { findObjective, findRisk } from '$lib/state/moves-planning.ts';
import type { BoardUi } from '$lib/state/ui.svelte.ts';
import { focusById, handleId, nameId } from './focus.ts';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function requestDelete(board: BoardState, ui: BoardUi, kind: ItemKind, id: string): void {
	const snapshot = board.snapshot;
	const focusAfter = neighbour(board, kind, id);
	const remove = () => {
		if (kind === 'program') board.run(deleteProgram, { id });
		else if (kind === 'lane') board.run(deleteLane, { id });
		else if (kind === 'period') board.run(deletePeriod, { id });
		else if (kind === 'objective') board.run(deleteObjective, { id });
		else if (kind === 'risk') board.run(deleteRisk, { id });
		else board.run(deleteCard, { id });
		if (ui.detail?.id === id) ui.openDetail(null);
		// The focused item is gone: keep the keyboard near where it was, not back at the page top.
		if (focusAfter) void focusById(focusAfter);
	};
	let name = '';
	let children = '';
	if (kind === 'program') {
		const program = snapshot.programs.find((p) => p.id === id);
		name = program?.name || 'Untitled program';
		const cards = (program?.lanes ?? []).reduce((n, lane) => n + cardCount(lane.cells), 0);
		if (program?.lanes.length) {
			children = `${plural(program.lanes.length, 'project lane', 'project lanes')} and ${plural(cards, 'card', 'cards')}`;
		}
	} else if (kind === 'lane') {
		const lane = findLane(snapshot, id)?.lane;
		name = lane?.name || 'Untitled lane';
		const cards = lane ? cardCount(lane.cells) : 0;
		if (cards) children = plural(cards, 'card', 'cards');
	} else if (kind === 'objective' || kind === 'risk') {
		name = describePlace(snapshot, kind, id)?.name ?? '';
	} else if (kind === 'period') {
		const period = snapshot.periods.find((p) => p.id === id);
		name = period?.name || 'Untitled period';
		let cards = 0;
		for (const program of snapshot.programs) {
			for (const lane of program.lanes) cards += lane.cells[id]?.length ?? 0;
		}
		if (cards) children = plural(cards, 'card', 'cards');
	}
	if (!children) {
		remove();
		if (name) board.announce(`${name} deleted.`);
		return;
	}
	ui.ask({
		title: `Delete ${name}?`,
		message: `This also deletes its ${children}, for everyone on this board.`,
		confirmLabel: `Delete ${kind}`,
		onconfirm: () => {
			remove();
			board.announce(`${name} deleted with its ${children}.`);
		}
	});
}

function cardCount(cells: Record<string, unknown[]>): number {
	return Object.values(cells).reduce((n, cell) => n + cell.length, 0);
}

/** The element to focus once the item is deleted: a neighbour, or its parent. */
function neighbour(board: BoardState, kind: ItemKind, id: string): string | null {
	const snapshot = board.snapshot;
	const near = (list: readonly { id: string }[]) => {
		const at = list.findIndex((item) => item.id === id);
		return list[at + 1] ?? list[at - 1] ?? null;
	};
	if (kind === 'lane') {
		const at = findLane(snapshot, id);
		if (!at) return null;
		const other = near(at.program.lanes);
		return other ? handleId('lane', other.id) : nameId('program', at.program.id);
	}
	if (kind === 'objective') {
		const other = near(findObjective(snapshot, id)?.program.objectives ?? []);
		return other ? handleId('objective', other.id) : null;
	}
	if (kind === 'risk') {
		const other = near(findRisk(snapshot, id)?.column ?? []);
		return other ? handleId('risk', other.id) : null;
	}
	if (kind === 'card') {
		for (const program of snapshot.programs) {
			for (const lane of program.lanes) {
				for (const cards of Object.values(lane.cells)) {
					if (!cards.some((card) => card.id === id)) continue;
					const other = near(cards);
					return other ? nameId('card', other.id) : handleId('lane', lane.id);
				}
			}
		}
		return null;
	}
	const other = near(kind === 'program' ? snapshot.programs : snapshot.periods);
	return other
		? kind === 'program'
			? nameId('program', other.id)
			: handleId('period', other.id)
		: null;
}
