/**
 * The open board as a file, made in the browser from the doc it holds: it works offline, for
 * viewers too, and is exactly what GET /api/boards/<id>/export answers.
 */
import { exportBoard, exportCsv, exportFileName } from '$lib/model/porting/index.ts';
import type { BoardState } from './board.svelte.ts';

export function boardExport(
	board: BoardState,
	opts: { format: 'json' | 'csv'; title: string }
): { name: string; type: string; text: string } {
	const name = exportFileName(opts.title, opts.format);
	if (opts.format === 'csv') {
		return { name, type: 'text/csv;charset=utf-8', text: board.read(exportCsv) };
	}
	const file = board.read((doc) => exportBoard(doc));
	return { name, type: 'application/json', text: JSON.stringify(file, null, '\t') };
}
