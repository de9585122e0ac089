/**
 * Cards and lanes from a CSV file into an existing board: first a plan (what would be created,
 * and every bad row with its row number and why), then, only if no row is bad, one transaction
 * that creates all of it. Nothing is ever half-imported.
 *
 * The file has a header row naming its columns (any order, case ignored; the export's columns,
 * CSV_COLUMNS). `Program` and `Lane` are required on every row. Programs, lanes and periods are
 * matched by name (trimmed, case ignored) and created when the board has none of that name; a lane
 * takes Manager / Health / Progress from the first row that creates it (an existing lane is left
 * as it is). A row with a `Card` title adds that card to the lane in its `Period`, with its `Kind`,
 * `Done`, `Estimate` and `Owner`. `Priority` and `Depends on` are
 * not read: new lanes are added below the program's others, in file order. Import only adds: it
 * never changes or removes what the board holds.
 */
import * as v from 'valibot';
import type * as Y from 'yjs';
import { createCard, createLane, createPeriod, createProgram } from '../operations.ts';
import type { Origin } from '../origin.ts';
import { CARD_KINDS, CardType, type CardKind } from '../records/card.ts';
import { limits } from '../records/index.ts';
import { HEALTH, LaneType, type Health } from '../records/lane.ts';
import { readBoard } from '../snapshot.ts';
import { readCsv } from './csv-cells.ts';

export interface RowError {
	/** The spreadsheet's row number: the header is row 1. */
	row: number;
	message: string;
}

export interface PlannedLane {
	program: string;
	name: string;
	manager: string;
	health: Health | null;
	progress: number;
	row: number;
}

export interface PlannedCard {
	program: string;
	lane: string;
	period: string;
	title: string;
	kind: CardKind;
	done: boolean;
	estimate: number | null;
	owner: string;
	row: number;
}

/** What an import would do. `errors` empty means it can be applied. */
export interface CsvPlan {
	programs: string[];
	periods: string[];
	lanes: PlannedLane[];
	cards: PlannedCard[];
	errors: RowError[];
	/** Data rows read (blank lines not counted). */
	rows: number;
	/** Resolution of every name to an existing record id, or a key of a record to create. */
	readonly refs: Refs;
}

interface Refs {
	programs: Map<string, string | null>;
	lanes: Map<string, string | null>;
	periods: Map<string, string | null>;
}

/** Refused: the file has bad rows (or nothing to import). */
export class CsvImportError extends Error {
	readonly errors: RowError[];
	constructor(errors: RowError[]) {
		const first = errors[0];
		const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
		super(first ? `row ${first.row}: ${first.message}${more}` : 'nothing to import');
		this.name = 'CsvImportError';
		this.errors = errors;
	}
}

const key = (name: string) => name.trim().toLowerCase();
const laneKey = (program: string, lane: string) => `${key(program)}\u0000${key(lane)}`;

const YES = new Set(['yes', 'y', 'true', '1', 'x', 'done']);
const NO = new Set(['', 'no', 'n', 'false', '0']);

function checkLength(label: string, value: string, max: number, errors: string[]): void {
	if (value.length > max) errors.push(`${label} is longer than ${max} characters`);
}

export function planCsvImport(doc: Y.Doc, text: string): CsvPlan {
	const table = readCsv(text);
	const board = readBoard(doc);
	const refs: Refs = { programs: new Map(), lanes: new Map(), periods: new Map() };
	for (const program of board.programs) {
		if (!refs.programs.has(key(program.name))) refs.programs.set(key(program.name), program.id);
		for (const lane of program.lanes) {
			const k = laneKey(program.name, lane.name);
			if (!refs.lanes.has(k)) refs.lanes.set(k, lane.id);
		}
	}
	for (const period of board.periods) {
		if (!refs.periods.has(key(period.name))) refs.periods.set(key(period.name), period.id);
	}

	const plan: CsvPlan = {
		programs: [],
		periods: [],
		lanes: [],
		cards: [],
		errors: [...table.errors],
		rows: table.rows.length,
		refs
	};
	const column = (name: string) => table.header.indexOf(name);
	const cols = {
		program: column('program'),
		lane: column('lane'),
		manager: column('manager'),
		health: column('health'),
		progress: column('progress'),
		period: column('period'),
		card: column('card'),
		kind: column('kind'),
		done: column('done'),
		estimate: column('estimate'),
		owner: column('owner')
	};
	const missing = (['program', 'lane'] as const).filter((c) => cols[c] < 0);
	if (missing.length > 0) {
		plan.errors.push({
			row: 1,
			message: `the header has no ${missing.map((c) => `"${c[0]!.toUpperCase()}${c.slice(1)}"`).join(' or ')} column`
		});
		return plan;
	}

	for (const { row, cells } of table.rows) {
		// Spaces around a value are a typing accident; a tab is kept (it was neutralised on export).
		const cell = (index: number) => (index < 0 ? '' : (cells[index] ?? '').replace(/^ +| +$/g, ''));
		const problems: string[] = [];
		const program = cell(cols.program);
		const lane = cell(cols.lane);
		const period = cell(cols.period);
		const title = cell(cols.card);
		if (program === '') problems.push('Program is empty');
		if (lane === '') problems.push('Lane is empty');
		checkLength('Program', program, limits.program.name, problems);
		checkLength('Lane', lane, limits.lane.name, problems);
		checkLength('Period', period, limits.period.name, problems);
		checkLength('Card', title, limits.card.title, problems);
		const manager = cell(cols.manager);
		checkLength('Manager', manager, limits.lane.manager, problems);
		const owner = cell(cols.owner);
		checkLength('Owner', owner, limits.card.owner, problems);
		const estimateCell = cell(cols.estimate);
		const estimate = estimateCell === '' ? null : Number(estimateCell);
		if (!v.is(CardType.fields.estimate.schema, estimate)) {
			problems.push(`Estimate "${estimateCell}" is not a number from 0`);
		}
		const healthCell = cell(cols.health).toLowerCase();
		const health = (healthCell || LaneType.fields.health.fallback) as Health | null;
		if (health !== null && !HEALTH.includes(health)) {
			problems.push(`Health "${cell(cols.health)}" is not one of ${HEALTH.join(', ')}`);
		}
		const progressCell = cell(cols.progress).replace(/%$/, '');
		const progress = progressCell === '' ? 0 : Number(progressCell);
		if (!v.is(LaneType.fields.progress.schema, progress)) {
			problems.push(`Progress "${cell(cols.progress)}" is not a whole number from 0 to 100`);
		}
		const kindCell = cell(cols.kind).toLowerCase();
		const kind = (kindCell || CardType.fields.kind.fallback) as CardKind;
		if (!CARD_KINDS.includes(kind)) {
			problems.push(`Kind "${cell(cols.kind)}" is not one of ${CARD_KINDS.join(', ')}`);
		}
		const doneCell = cell(cols.done).toLowerCase();
		if (!YES.has(doneCell) && !NO.has(doneCell)) {
			problems.push(`Done "${cell(cols.done)}" is not yes or no`);
		}
		if (title !== '' && period === '') problems.push('a card needs a Period');
		if (
			title === '' &&
			(kindCell !== '' || doneCell !== '' || estimateCell !== '' || owner !== '')
		) {
			problems.push('Kind, Done, Estimate or Owner is set but Card is empty');
		}
		if (problems.length > 0) {
			plan.errors.push({ row, message: problems.join('; ') });
			continue;
		}

		if (!refs.programs.has(key(program))) {
			refs.programs.set(key(program), null);
			plan.programs.push(program);
		}
		if (!refs.lanes.has(laneKey(program, lane))) {
			refs.lanes.set(laneKey(program, lane), null);
			plan.lanes.push({ program, name: lane, manager, health, progress, row });
		}
		if (title === '') continue;
		if (!refs.periods.has(key(period))) {
			refs.periods.set(key(period), null);
			plan.periods.push(period);
		}
		const done = YES.has(doneCell);
		plan.cards.push({ program, lane, period, title, kind, done, estimate, owner, row });
	}
	plan.errors.sort((a, b) => a.row - b.row);
	return plan;
}

/**
 * Plans and applies the file in one transaction. Throws CsvImportError, changing nothing, when
 * any row is bad or there is nothing to add. Plan and write run in the same turn, so the names
 * resolved are the ones written to.
 */
export function importCsv(
	doc: Y.Doc,
	opts: { text: string; origin?: Origin }
): { programs: number; periods: number; lanes: number; cards: number } {
	const plan = planCsvImport(doc, opts.text);
	if (plan.errors.length > 0) throw new CsvImportError(plan.errors);
	if (plan.lanes.length === 0 && plan.cards.length === 0) throw new CsvImportError([]);
	const origin = opts.origin;
	const programs = new Map(plan.refs.programs);
	const lanes = new Map(plan.refs.lanes);
	const periods = new Map(plan.refs.periods);
	doc.transact(() => {
		for (const name of plan.programs) {
			programs.set(key(name), createProgram(doc, { name, origin }));
		}
		for (const name of plan.periods) periods.set(key(name), createPeriod(doc, { name, origin }));
		for (const lane of plan.lanes) {
			const id = createLane(doc, {
				programId: programs.get(key(lane.program))!,
				name: lane.name,
				manager: lane.manager,
				health: lane.health,
				progress: lane.progress,
				origin
			});
			lanes.set(laneKey(lane.program, lane.name), id);
		}
		for (const card of plan.cards) {
			createCard(doc, {
				laneId: lanes.get(laneKey(card.program, card.lane))!,
				periodId: periods.get(key(card.period))!,
				title: card.title,
				kind: card.kind,
				done: card.done,
				estimate: card.estimate,
				owner: card.owner,
				origin
			});
		}
	}, origin ?? 'local');
	return {
		programs: plan.programs.length,
		periods: plan.periods.length,
		lanes: plan.lanes.length,
		cards: plan.cards.length
	};
}
