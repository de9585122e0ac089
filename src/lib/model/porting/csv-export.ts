/**
 * The board's lanes and cards as a CSV file for a spreadsheet: one row per card, in board order
 * (program, lane priority, period, card), and one row with empty card columns for a lane with no
 * cards. Orphaned lanes and cards (README "Document model") are left out.
 */
import type * as Y from 'yjs';
import { readBoard } from '../snapshot.ts';
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
	'Done'
] as const;

export function exportCsv(doc: Y.Doc): string {
	const board = readBoard(doc);
	const rows: string[][] = [];
	for (const program of board.programs) {
		for (const lane of program.lanes) {
			const laneCells = [
				program.name,
				String(lane.priority),
				lane.name,
				lane.manager,
				lane.health,
				String(lane.progress)
			];
			let cards = 0;
			for (const period of board.periods) {
				for (const card of lane.cells[period.id] ?? []) {
					rows.push([...laneCells, period.name, card.title, card.kind, card.done ? 'yes' : 'no']);
					cards += 1;
				}
			}
			if (cards === 0) rows.push([...laneCells, '', '', '', '']);
		}
	}
	return writeCsv(CSV_COLUMNS, rows);
}
