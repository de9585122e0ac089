/**
 * The board's lanes and cards as a CSV file for a spreadsheet: one row per card, in board order
 * (program, lane priority, period, card), and one row with empty card columns for a lane with no
 * cards. Orphaned lanes and cards (README "Document model") are left out.
 *
 * `Depends on` lists the titles of the cards a card needs first, one per line, for reading; the
 * import does not read it back (titles need not be unique, so it could not say which card).
 */
import type * as Y from 'yjs';
import { readBoard, type BoardSnapshot } from '../snapshot.ts';
import { writeCsv } from './csv-cells.ts';

/** The columns, in order. The import reads the same names. */
export const CSV_COLUMNS = [
	'Program',
	'Priority',
	'Lane',
	'Manager',
	'Health',
	'Progress',
	'Period',
	'Card',
	'Kind',
	'Done',
	'Estimate',
	'Owner',
	'Depends on'
] as const;

/** Each card's prerequisites' titles, in board order (a card not on the board by its id). */
function prerequisites(board: BoardSnapshot): Map<string, string[]> {
	const order = new Map<string, { at: number; title: string }>();
	for (const program of board.programs) {
		for (const lane of program.lanes) {
			for (const period of board.periods) {
				for (const card of lane.cells[period.id] ?? []) {
					order.set(card.id, { at: order.size, title: card.title });
				}
			}
		}
	}
	const from = new Map<string, string[]>();
	for (const dep of board.dependencies) {
		from.set(dep.pos.to, [...(from.get(dep.pos.to) ?? []), dep.pos.from]);
	}
	const at = (id: string) => order.get(id)?.at ?? Infinity;
	const needs = new Map<string, string[]>();
	for (const [to, ids] of from) {
		const sorted = ids.sort((a, b) => at(a) - at(b) || (a < b ? -1 : 1));
		needs.set(
			to,
			sorted.map((id) => order.get(id)?.title ?? id)
		);
	}
	return needs;
}

export function exportCsv(doc: Y.Doc): string {
	const board = readBoard(doc);
	const rows: string[][] = [];
	const needs = prerequisites(board);
	for (const program of board.programs) {
		for (const lane of program.lanes) {
			const laneCells = [
				program.name,
				String(lane.priority),
				lane.name,
				lane.manager,
				lane.health ?? '',
				String(lane.progress)
			];
			let cards = 0;
			for (const period of board.periods) {
				for (const card of lane.cells[period.id] ?? []) {
					rows.push([
						...laneCells,
						period.name,
						card.title,
						card.kind,
						card.done ? 'yes' : 'no',
						card.estimate === null ? '' : String(card.estimate),
						card.owner,
						(needs.get(card.id) ?? []).join('\n')
					]);
					cards += 1;
				}
			}
			if (cards === 0) rows.push([...laneCells, '', '', '', '', '', '', '']);
		}
	}
	return writeCsv(CSV_COLUMNS, rows);
}
