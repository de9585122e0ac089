/**
 * The write side. Every public function here is one transaction with a typed origin, takes the
 * board's Y.Doc first and one options object, validates its input, and throws a ModelError
 * (never a half-done write) when the board cannot do what was asked.
 *
 * Moves write exactly one value, the record's `pos` (parent and rank together), so two people
 * moving the same item at once end with one item in one place: the last writer's.
 */
import * as v from 'valibot';
import type * as Y from 'yjs';
import { collection, meta, replaceText, titleText } from './doc.ts';
import { ModelError } from './errors.ts';
import { guardEdit } from './locks.ts';
import { rankAt } from './order.ts';
import { checkFields, checkTexts, defaults } from './records/define.ts';
import { BoardType } from './records/board.ts';
import { CardType, type Card } from './records/card.ts';
import { LaneType, type Lane } from './records/lane.ts';
import { ObjectiveType } from './records/objective.ts';
import { PeriodType, type Period } from './records/period.ts';
import { PROGRAM_COLORS, ProgramType, type Program } from './records/program.ts';
import { limits } from './records/index.ts';
import {
	allTexts,
	end,
	idFor,
	newRecord,
	recordOf,
	siblings,
	moveIntoProgram,
	transact,
	updateRecord,
	type TxOptions
} from './write.ts';

export type { TxOptions } from './write.ts';

/**
 * @deprecated Read `limits.<record>.<field>` (records/index.ts): the same numbers, from each
 * record's definition. Kept for server/api.ts (board title) until it reads limits.board.title.
 */
export const TEXT_LIMITS = {
	name: limits.program.name,
	title: limits.card.title,
	objective: limits.program.objective,
	scope: limits.lane.scope
} as const;

// ---------------------------------------------------------------------------------------------
// Board

export function setBoardTitle(doc: Y.Doc, opts: TxOptions & { title: string }): void {
	const { title } = checkTexts(BoardType, { title: opts.title });
	transact(doc, opts, () => replaceText(titleText(doc), title ?? ''));
}

/** The unit estimates and capacities are counted in ("points" until someone sets it). */
export function setBoardUnit(doc: Y.Doc, opts: TxOptions & { unit: string }): void {
	const { unit } = checkFields(BoardType, { unit: opts.unit.trim() });
	transact(doc, opts, () => meta(doc).set('unit', unit));
}

// ---------------------------------------------------------------------------------------------
// Programs

export type ProgramFields = Partial<Pick<Program, 'name' | 'objective' | 'manager' | 'color'>>;

export function createProgram(
	doc: Y.Doc,
	opts: TxOptions & ProgramFields & { id?: string; index?: number }
): string {
	guardEdit(doc, { kind: 'structure' });
	const texts = allTexts(ProgramType, checkTexts(ProgramType, opts));
	return transact(doc, opts, () => {
		const programs = collection(doc, 'programs');
		const fields = {
			...defaults(ProgramType),
			color: PROGRAM_COLORS[programs.size % PROGRAM_COLORS.length] as string,
			...checkFields(ProgramType, { manager: opts.manager, color: opts.color })
		};
		const peers = siblings(doc, 'programs', ProgramType, () => true);
		const rank = rankAt(peers, end(peers, opts.index), opts.rng);
		const id = idFor(doc, 'programs', ProgramType.name, opts);
		programs.set(id, newRecord(texts, fields, { rank }));
		return id;
	});
}

export function updateProgram(doc: Y.Doc, opts: TxOptions & ProgramFields & { id: string }): void {
	guardEdit(doc, { kind: 'program', id: opts.id, structural: opts.name !== undefined });
	const texts = checkTexts(ProgramType, { name: opts.name, objective: opts.objective });
	const fields = checkFields(ProgramType, { manager: opts.manager, color: opts.color });
	updateRecord(doc, opts, { name: 'programs', label: 'Program' }, { texts, fields });
}

export function moveProgram(doc: Y.Doc, opts: TxOptions & { id: string; index: number }): void {
	guardEdit(doc, { kind: 'program', id: opts.id, structural: true });
	transact(doc, opts, () => {
		const map = recordOf(doc, 'programs', 'Program', opts.id);
		const peers = siblings(doc, 'programs', ProgramType, () => true, opts.id);
		map.set('pos', { rank: rankAt(peers, opts.index, opts.rng) });
	});
}

/** Deletes the program, its lanes and their cards, and its objectives. */
export function deleteProgram(doc: Y.Doc, opts: TxOptions & { id: string }): void {
	guardEdit(doc, { kind: 'program', id: opts.id, structural: true });
	transact(doc, opts, () => {
		recordOf(doc, 'programs', 'Program', opts.id);
		for (const lane of siblings(doc, 'lanes', LaneType, (pos) => pos.program === opts.id)) {
			removeLane(doc, lane.id);
		}
		const objectives = siblings(doc, 'objectives', ObjectiveType, (p) => p.program === opts.id);
		for (const objective of objectives) collection(doc, 'objectives').delete(objective.id);
		collection(doc, 'programs').delete(opts.id);
	});
}

// ---------------------------------------------------------------------------------------------
// Project lanes

export type LaneFields = Partial<Pick<Lane, 'name' | 'scope' | 'manager' | 'health' | 'progress'>>;

export function createLane(
	doc: Y.Doc,
	opts: TxOptions & LaneFields & { programId: string; id?: string; index?: number }
): string {
	guardEdit(doc, { kind: 'program', id: opts.programId, structural: true });
	const texts = allTexts(LaneType, checkTexts(LaneType, { name: opts.name, scope: opts.scope }));
	const fields = {
		...defaults(LaneType),
		...checkFields(LaneType, {
			manager: opts.manager,
			health: opts.health,
			progress: opts.progress
		})
	};
	return transact(doc, opts, () => {
		recordOf(doc, 'programs', 'Program', opts.programId);
		const peers = siblings(doc, 'lanes', LaneType, (pos) => pos.program === opts.programId);
		const rank = rankAt(peers, end(peers, opts.index), opts.rng);
		const id = idFor(doc, 'lanes', LaneType.name, opts);
		collection(doc, 'lanes').set(id, newRecord(texts, fields, { program: opts.programId, rank }));
		return id;
	});
}

export function updateLane(doc: Y.Doc, opts: TxOptions & LaneFields & { id: string }): void {
	guardEdit(doc, { kind: 'lane', id: opts.id, structural: opts.name !== undefined });
	const texts = checkTexts(LaneType, { name: opts.name, scope: opts.scope });
	const fields = checkFields(LaneType, {
		manager: opts.manager,
		health: opts.health,
		progress: opts.progress
	});
	updateRecord(doc, opts, { name: 'lanes', label: 'Lane' }, { texts, fields });
}

/**
 * Put a lane at `index` (0 = top priority) of `programId`, which may be its own program
 * (reprioritise) or another one (move across programs). One write.
 */
export function moveLane(
	doc: Y.Doc,
	opts: TxOptions & { id: string; programId: string; index: number }
): void {
	guardEdit(
		doc,
		{ kind: 'lane', id: opts.id, structural: true },
		{ kind: 'program', id: opts.programId, structural: true }
	);
	moveIntoProgram(doc, opts, { name: 'lanes', label: 'Lane', type: LaneType });
}

function removeLane(doc: Y.Doc, laneId: string): void {
	for (const card of siblings(doc, 'cards', CardType, (pos) => pos.lane === laneId)) {
		collection(doc, 'cards').delete(card.id);
	}
	collection(doc, 'lanes').delete(laneId);
}

/** Deletes the lane and its cards. */
export function deleteLane(doc: Y.Doc, opts: TxOptions & { id: string }): void {
	guardEdit(doc, { kind: 'lane', id: opts.id, structural: true });
	transact(doc, opts, () => {
		recordOf(doc, 'lanes', 'Lane', opts.id);
		removeLane(doc, opts.id);
	});
}

// ---------------------------------------------------------------------------------------------
// Periods

export type PeriodFields = Partial<Pick<Period, 'name' | 'start' | 'end'>>;

function checkDates(fields: { start?: string | null; end?: string | null }): void {
	if (fields.start && fields.end && fields.start > fields.end) {
		throw new ModelError(
			'invalid',
			`period starts (${fields.start}) after it ends (${fields.end})`
		);
	}
}

function storedDate(map: Y.Map<unknown>, field: 'start' | 'end'): string | null {
	const parsed = v.safeParse(PeriodType.fields[field].schema, map.get(field));
	return parsed.success ? parsed.output : null;
}

export function createPeriod(
	doc: Y.Doc,
	opts: TxOptions & PeriodFields & { id?: string; index?: number }
): string {
	guardEdit(doc, { kind: 'structure' });
	const texts = allTexts(PeriodType, checkTexts(PeriodType, { name: opts.name }));
	const fields = {
		...defaults(PeriodType),
		...checkFields(PeriodType, { start: opts.start, end: opts.end })
	};
	checkDates(fields);
	return transact(doc, opts, () => {
		const peers = siblings(doc, 'periods', PeriodType, () => true);
		const rank = rankAt(peers, end(peers, opts.index), opts.rng);
		const id = idFor(doc, 'periods', PeriodType.name, opts);
		collection(doc, 'periods').set(id, newRecord(texts, fields, { rank }));
		return id;
	});
}

export function updatePeriod(doc: Y.Doc, opts: TxOptions & PeriodFields & { id: string }): void {
	guardEdit(doc, opts.name !== undefined ? { kind: 'structure' } : { kind: 'board' });
	const texts = checkTexts(PeriodType, { name: opts.name });
	const fields = checkFields(PeriodType, { start: opts.start, end: opts.end });
	updateRecord(doc, opts, { name: 'periods', label: 'Period' }, { texts, fields }, (map) => {
		// Only a date edit is checked, against the stored dates as a reader sees them: two people
		// editing one end each can invert a range, and that must not block renaming the period.
		if (fields.start !== undefined || fields.end !== undefined) {
			checkDates({ start: storedDate(map, 'start'), end: storedDate(map, 'end'), ...fields });
		}
	});
}

export function movePeriod(doc: Y.Doc, opts: TxOptions & { id: string; index: number }): void {
	guardEdit(doc, { kind: 'structure' });
	transact(doc, opts, () => {
		const map = recordOf(doc, 'periods', 'Period', opts.id);
		const peers = siblings(doc, 'periods', PeriodType, () => true, opts.id);
		map.set('pos', { rank: rankAt(peers, opts.index, opts.rng) });
	});
}

/** Deletes the period and every card in it. */
export function deletePeriod(doc: Y.Doc, opts: TxOptions & { id: string }): void {
	guardEdit(doc, { kind: 'structure' });
	transact(doc, opts, () => {
		recordOf(doc, 'periods', 'Period', opts.id);
		for (const card of siblings(doc, 'cards', CardType, (pos) => pos.period === opts.id)) {
			collection(doc, 'cards').delete(card.id);
		}
		collection(doc, 'periods').delete(opts.id);
	});
}

// ---------------------------------------------------------------------------------------------
// Cards

export type CardFields = Partial<Pick<Card, 'title' | 'kind' | 'done' | 'estimate' | 'owner'>>;

function cardFields(opts: CardFields) {
	const owner = opts.owner === undefined ? undefined : opts.owner.trim();
	return { kind: opts.kind, done: opts.done, estimate: opts.estimate, owner };
}

function inCell(laneId: string, periodId: string) {
	return (pos: { lane: string; period: string }) => pos.lane === laneId && pos.period === periodId;
}

export function createCard(
	doc: Y.Doc,
	opts: TxOptions & CardFields & { laneId: string; periodId: string; id?: string; index?: number }
): string {
	guardEdit(doc, { kind: 'cell', laneId: opts.laneId });
	const texts = allTexts(CardType, checkTexts(CardType, { title: opts.title }));
	const fields = { ...defaults(CardType), ...checkFields(CardType, cardFields(opts)) };
	return transact(doc, opts, () => {
		recordOf(doc, 'lanes', 'Lane', opts.laneId);
		recordOf(doc, 'periods', 'Period', opts.periodId);
		const peers = siblings(doc, 'cards', CardType, inCell(opts.laneId, opts.periodId));
		const rank = rankAt(peers, end(peers, opts.index), opts.rng);
		const id = idFor(doc, 'cards', CardType.name, opts);
		collection(doc, 'cards').set(
			id,
			newRecord(texts, fields, { lane: opts.laneId, period: opts.periodId, rank })
		);
		return id;
	});
}

export function updateCard(doc: Y.Doc, opts: TxOptions & CardFields & { id: string }): void {
	guardEdit(doc, { kind: 'card', id: opts.id });
	const texts = checkTexts(CardType, { title: opts.title });
	const fields = checkFields(CardType, cardFields(opts));
	updateRecord(doc, opts, { name: 'cards', label: 'Card' }, { texts, fields });
}

/** Put a card at `index` of the cell (laneId × periodId). One write. */
export function moveCard(
	doc: Y.Doc,
	opts: TxOptions & { id: string; laneId: string; periodId: string; index: number }
): void {
	guardEdit(doc, { kind: 'card', id: opts.id }, { kind: 'cell', laneId: opts.laneId });
	transact(doc, opts, () => {
		const map = recordOf(doc, 'cards', 'Card', opts.id);
		recordOf(doc, 'lanes', 'Lane', opts.laneId);
		recordOf(doc, 'periods', 'Period', opts.periodId);
		const peers = siblings(doc, 'cards', CardType, inCell(opts.laneId, opts.periodId), opts.id);
		const rank = rankAt(peers, opts.index, opts.rng);
		map.set('pos', { lane: opts.laneId, period: opts.periodId, rank });
	});
}

/**
 * Deletes the card. Its dependencies stay in the doc and are set aside (snapshot
 * `orphans.dependencies`, naming the missing end), so the UI can say so and undo brings them
 * back with the card; deleteDependency removes one for good.
 */
export function deleteCard(doc: Y.Doc, opts: TxOptions & { id: string }): void {
	guardEdit(doc, { kind: 'card', id: opts.id });
	transact(doc, opts, () => {
		recordOf(doc, 'cards', 'Card', opts.id);
		collection(doc, 'cards').delete(opts.id);
	});
}
