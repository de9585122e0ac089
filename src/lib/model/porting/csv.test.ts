import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newDoc, seeded, transactionsOf } from '../../../../tests/helpers/board.ts';
import {
	createCard,
	createLane,
	createPeriod,
	createProgram,
	setBoardTitle
} from '../operations.ts';
import { createDependency } from '../operations-planning.ts';
import { limits } from '../records/index.ts';
import { seedSampleBoard } from '../sample.ts';
import { readBoard } from '../snapshot.ts';
import { neutralise } from './csv-cells.ts';
import { CSV_COLUMNS, exportCsv } from './csv-export.ts';
import { CsvImportError, importCsv, planCsvImport } from './csv-import.ts';

function sample(): Y.Doc {
	const doc = newDoc();
	seedSampleBoard(doc, seeded(3));
	return doc;
}

/** A board with names a spreadsheet would mangle or run. */
function tricky(): Y.Doc {
	const doc = newDoc();
	setBoardTitle(doc, { title: 'Tricky' });
	const q1 = createPeriod(doc, { name: 'Q1, "early"' });
	const programId = createProgram(doc, { name: '=HYPERLINK("http://evil","x")' });
	const laneId = createLane(doc, {
		programId,
		name: 'Zürich – café ☕',
		manager: '+Ana',
		health: 'at-risk',
		progress: 35
	});
	const first = createCard(doc, {
		laneId,
		periodId: q1,
		title: 'two\nlines',
		kind: 'milestone',
		done: true,
		estimate: 2.5,
		owner: '=Eve'
	});
	const sum = createCard(doc, { laneId, periodId: q1, title: '@SUM(A1)' });
	const last = createCard(doc, { laneId, periodId: q1, title: '-1+2', estimate: 0 });
	createDependency(doc, { from: sum, to: first });
	createDependency(doc, { from: last, to: first });
	createCard(doc, { laneId, periodId: q1, title: '\tcmd' });
	createLane(doc, { programId, name: 'Empty lane' });
	return doc;
}

const parse = (csv: string) => Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;

describe('CSV export', () => {
	it('starts with a UTF-8 BOM, uses CRLF and quotes per RFC 4180', () => {
		const csv = exportCsv(tricky());
		expect(csv.charCodeAt(0)).toBe(0xfeff);
		expect(csv.split('\r\n')[0]).toBe('\uFEFF' + CSV_COLUMNS.join(','));
		expect(csv).toContain('"Q1, ""early"""');
		expect(csv).toContain('"two\nlines"');
		expect(new TextEncoder().encode(csv).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
	});

	it('reads back field by field with a real CSV parser, formulas neutralised', () => {
		const [header, ...rows] = parse(exportCsv(tricky()));
		expect(header).toEqual([...CSV_COLUMNS]);
		const program = `'=HYPERLINK("http://evil","x")`;
		const lane = ['Zürich – café ☕', "'+Ana", 'at-risk', '35'];
		expect(rows).toEqual([
			[
				...[program, '1', ...lane, 'Q1, "early"', 'two\nlines', 'milestone', 'yes'],
				...['2.5', "'=Eve", "'@SUM(A1)\n-1+2"]
			],
			[program, '1', ...lane, 'Q1, "early"', "'@SUM(A1)", 'deliverable', 'no', '', '', ''],
			[program, '1', ...lane, 'Q1, "early"', "'-1+2", 'deliverable', 'no', '0', '', ''],
			[program, '1', ...lane, 'Q1, "early"', "'\tcmd", 'deliverable', 'no', '', '', ''],
			[program, '2', 'Empty lane', '', '', '0', ...Array(7).fill('')]
		]);
	});

	it('neutralises every formula start OWASP lists, and nothing else', () => {
		for (const start of ['=', '+', '-', '@', '\t', '\r']) {
			expect(neutralise(`${start}x`)).toBe(`'${start}x`);
		}
		for (const safe of ['x=1', 'Plan', '', "'quoted", '1-2']) expect(neutralise(safe)).toBe(safe);
	});

	it('writes one row per card of the sample, in board order', () => {
		const doc = sample();
		const board = readBoard(doc);
		const [, ...rows] = parse(exportCsv(doc));
		const cards = board.programs.flatMap((p) =>
			p.lanes.flatMap((l) => board.periods.flatMap((period) => l.cells[period.id] ?? []))
		);
		const emptyLanes = board.programs.flatMap((p) =>
			p.lanes.filter((l) => Object.keys(l.cells).length === 0)
		);
		expect(rows).toHaveLength(cards.length + emptyLanes.length);
		expect(rows.filter((r) => r[7] !== '').map((r) => r[7])).toEqual(cards.map((c) => c.title));
	});
});

describe('CSV import', () => {
	const header = 'Program,Lane,Period,Card,Kind,Done,Health,Progress\r\n';

	it('plans what it will create, matching names case-insensitively', () => {
		const doc = sample();
		const board = readBoard(doc);
		const program = board.programs[0]!;
		const lane = program.lanes[0]!;
		const period = board.periods[1]!;
		const csv =
			header +
			`${program.name.toUpperCase()},${lane.name},${period.name},Existing lane card,,,,\r\n` +
			`${program.name},Brand new lane,${period.name},New lane card,milestone,yes,at-risk,20%\r\n` +
			`New program,Its lane,Someday,Later card,,,,\r\n`;
		const plan = planCsvImport(doc, csv);
		expect(plan.errors).toEqual([]);
		expect(plan.programs).toEqual(['New program']);
		expect(plan.periods).toEqual(['Someday']);
		expect(plan.lanes.map((l) => [l.program, l.name, l.health, l.progress])).toEqual([
			[program.name, 'Brand new lane', 'at-risk', 20],
			['New program', 'Its lane', null, 0]
		]);
		expect(plan.cards.map((c) => [c.lane, c.title, c.kind, c.done])).toEqual([
			[lane.name, 'Existing lane card', 'deliverable', false],
			['Brand new lane', 'New lane card', 'milestone', true],
			['Its lane', 'Later card', 'deliverable', false]
		]);
		// Planning writes nothing.
		expect(readBoard(doc)).toEqual(board);
	});

	it('applies everything in one transaction, undoable as one step', () => {
		const doc = sample();
		const before = readBoard(doc);
		const program = before.programs[0]!;
		const csv =
			header +
			`${program.name},New lane,${before.periods[0]!.name},First,,,,\r\n` +
			`${program.name},New lane,${before.periods[2]!.name},Second,milestone,,,\r\n`;
		const undo = new Y.UndoManager(
			['programs', 'lanes', 'periods', 'cards'].map((n) => doc.getMap(n)),
			{ trackedOrigins: new Set(['local']) }
		);
		let counts: unknown;
		const txs = transactionsOf(doc, () => {
			counts = importCsv(doc, { text: csv });
		});
		expect(counts).toEqual({ programs: 0, periods: 0, lanes: 1, cards: 2 });
		expect(txs.map((t) => t.origin)).toEqual(['local']);
		const lane = readBoard(doc).programs[0]!.lanes.at(-1)!;
		expect(lane.name).toBe('New lane');
		expect(lane.cells[before.periods[2]!.id]![0]).toMatchObject({
			title: 'Second',
			kind: 'milestone'
		});
		undo.undo();
		expect(readBoard(doc)).toEqual(before);
	});

	it('refuses the whole file when one row is bad, naming the row and why', () => {
		const doc = sample();
		const before = readBoard(doc);
		const csv =
			header +
			'Payments,Good lane,Q1,Fine card,,,,\r\n' +
			'\r\n' +
			'Payments,Bad lane,Q1,Bad card,epic,maybe,great,120\r\n' +
			',No program,,,,,,\r\n';
		const plan = planCsvImport(doc, csv);
		expect(plan.errors).toEqual([
			{
				row: 4,
				message:
					'Health "great" is not one of on-track, at-risk, off-track; ' +
					'Progress "120" is not a whole number from 0 to 100; ' +
					'Kind "epic" is not one of deliverable, milestone; Done "maybe" is not yes or no'
			},
			{ row: 5, message: 'Program is empty' }
		]);
		expect(() => importCsv(doc, { text: csv })).toThrow(CsvImportError);
		expect(() => importCsv(doc, { text: csv })).toThrow(/^row 4: Health "great"/);
		expect(readBoard(doc)).toEqual(before);
	});

	it('needs the Program and Lane columns, and a Period for a card', () => {
		const doc = sample();
		expect(planCsvImport(doc, 'Name,Card\r\nx,y\r\n').errors).toEqual([
			{ row: 1, message: 'the header has no "Program" or "Lane" column' }
		]);
		expect(planCsvImport(doc, 'Program,Lane,Card\r\nP,L,C\r\n').errors).toEqual([
			{ row: 2, message: 'a card needs a Period' }
		]);
		expect(() => importCsv(doc, { text: 'Program,Lane\r\n' })).toThrow(/nothing to import/);
	});

	it('reads Estimate and Owner, refusing what a card could not hold', () => {
		const doc = sample();
		const csv =
			'Program,Lane,Period,Card,Estimate,Owner\r\n' +
			'P,L,Q9,Sized,2.5,Ana\r\n' +
			'P,L,Q9,Unsized,,\r\n' +
			`P,L,Q9,Bad,-1,${'o'.repeat(limits.card.owner + 1)}\r\n` +
			'P,L,,,3,\r\n';
		expect(planCsvImport(doc, csv).errors).toEqual([
			{
				row: 4,
				message: `Owner is longer than ${limits.card.owner} characters; Estimate "-1" is not a number from 0`
			},
			{ row: 5, message: 'Kind, Done, Estimate or Owner is set but Card is empty' }
		]);
		const good = csv.split('\r\n').slice(0, 3).join('\r\n');
		expect(planCsvImport(doc, good).cards).toMatchObject([
			{ title: 'Sized', estimate: 2.5, owner: 'Ana' },
			{ title: 'Unsized', estimate: null, owner: '' }
		]);
	});

	it('imports its own export into an empty board: same names, same order', () => {
		const source = tricky();
		const target = newDoc(2);
		importCsv(target, { text: exportCsv(source) });
		const names = (doc: Y.Doc) => {
			const board = readBoard(doc);
			return board.programs.map((p) => ({
				name: p.name,
				lanes: p.lanes.map((l) => ({
					name: l.name,
					manager: l.manager,
					health: l.health,
					progress: l.progress,
					cards: board.periods.flatMap((period) =>
						(l.cells[period.id] ?? []).map((c) => [
							...[period.name, c.title, c.kind, c.done, c.estimate, c.owner]
						])
					)
				}))
			}));
		};
		expect(names(target)).toEqual(names(source));
	});
});
