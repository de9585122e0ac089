/**
 * One CSV import into the open board, as the Import CSV dialog walks it: a file is chosen, its
 * plan (what would be created, which rows are refused and why) is shown, and only a plan with no
 * bad row can be applied. Applying re-plans against the board as it is at that instant and writes
 * everything in one local transaction: one undo step, seen live by everyone, or nothing at all.
 */
import type * as Y from 'yjs';
import { ModelError } from '$lib/model/index.ts';
import {
	CsvImportError,
	importCsv,
	planCsvImport,
	type CsvPlan
} from '$lib/model/porting/index.ts';
import type { BoardState } from './board.svelte.ts';

/** importCsv as a board operation: a refused file is a ModelError the board shows. */
function importCsvOperation(doc: Y.Doc, opts: { text: string }) {
	try {
		return importCsv(doc, opts);
	} catch (error) {
		if (error instanceof CsvImportError) throw new ModelError('invalid', error.message);
		throw error;
	}
}

export class CsvImport {
	readonly #board: BoardState;
	#fileName = $state.raw('');
	#text = $state.raw<string | null>(null);
	#plan = $state.raw<CsvPlan | null>(null);

	constructor(board: BoardState) {
		this.#board = board;
	}

	get fileName(): string {
		return this.#fileName;
	}

	get plan(): CsvPlan | null {
		return this.#plan;
	}

	/** A plan with something to create and no bad row, on a board this person may change. */
	get canApply(): boolean {
		const plan = this.#plan;
		return (
			plan !== null &&
			!this.#board.readOnly &&
			plan.errors.length === 0 &&
			plan.lanes.length + plan.cards.length > 0
		);
	}

	load(fileName: string, text: string): void {
		this.#fileName = fileName;
		this.#text = text;
		this.#plan = this.#board.read((doc) => planCsvImport(doc, text));
	}

	/** Writes the import; false (and the board's error says why) when it was refused. */
	apply(): boolean {
		if (!this.canApply || this.#text === null) return false;
		const done = this.#board.run(importCsvOperation, { text: this.#text });
		if (done) this.reset();
		return done !== undefined;
	}

	reset(): void {
		this.#fileName = '';
		this.#text = null;
		this.#plan = null;
	}
}
