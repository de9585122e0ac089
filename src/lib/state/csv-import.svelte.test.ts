import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readBoard, seedSampleBoard } from '$lib/model/index.ts';
import { localConnection } from '../../../tests/helpers/local-connection.ts';
import type { Role } from '$lib/sync/links.ts';
import { BoardState } from './board.svelte.ts';
import { CsvImport } from './csv-import.svelte.ts';

/** The sample board behind a connection that is always synced and never touches a network. */
function sampleBoard(role: Role = 'editor'): BoardState {
	const doc = new Y.Doc();
	seedSampleBoard(doc);
	const { connection } = localConnection(doc);
	return new BoardState(connection, { role });
}

const header = 'Program,Lane,Period,Card,Kind\r\n';
const good = `${header}Self-serve growth,Imported,Q1 2027,First,\r\nSelf-serve growth,Imported,Q2 2027,Second,milestone\r\n`;
const bad = `${good}Self-serve growth,Imported,Q3 2027,Third,epic\r\n`;

describe('CsvImport', () => {
	it('previews a file and applies it as one undo step', () => {
		const board = sampleBoard();
		const before = board.read(readBoard);
		const csv = new CsvImport(board);
		csv.load('plan.csv', good);
		expect(csv.fileName).toBe('plan.csv');
		expect(csv.plan).toMatchObject({ errors: [], lanes: [{ name: 'Imported' }] });
		expect(csv.plan!.cards.map((c) => c.title)).toEqual(['First', 'Second']);
		expect(csv.canApply).toBe(true);

		expect(csv.apply()).toBe(true);
		expect(csv.plan).toBeNull();
		expect(board.read(readBoard).programs[0]!.lanes.at(-1)!.name).toBe('Imported');
		board.undo();
		expect(board.read(readBoard)).toEqual(before);
	});

	it('will not apply a file with a bad row, nor for a viewer', () => {
		const board = sampleBoard();
		const before = board.read(readBoard);
		const csv = new CsvImport(board);
		csv.load('bad.csv', bad);
		expect(csv.plan!.errors).toEqual([
			{ row: 4, message: 'Kind "epic" is not one of deliverable, milestone' }
		]);
		expect(csv.canApply).toBe(false);
		expect(csv.apply()).toBe(false);
		expect(board.read(readBoard)).toEqual(before);

		const viewing = new CsvImport(sampleBoard('viewer'));
		viewing.load('good.csv', good);
		expect(viewing.canApply).toBe(false);
	});
});
