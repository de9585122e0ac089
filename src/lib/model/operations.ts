/**
 * The write side. Every public function here is one transaction with a typed origin, takes the
 * board's Y.Doc first and one options object, validates its input, and throws a ModelError
 * (never a half-done write) when the board cannot do what was asked.
 *
 * Moves write exactly one value, the record's `pos` (parent and rank together), so two people
 * moving the same item at once end with one item in one place: the last writer's.
 */
import * as v from 'valibot';
import * as Y from 'yjs';
import { nanoid } from 'nanoid';
import { collection, replaceText, textField, titleText, type Collection } from './doc.ts';
import { ModelError } from './errors.ts';
import { compareRanked, rankAt, type Ranked, type Rng } from './order.ts';
import { LOCAL, type Origin } from './origin.ts';
import { checkFields, defaults, Id, type RecordType } from './records/define.ts';
import { CardType, type Card } from './records/card.ts';
import { LaneType, type Lane } from './records/lane.ts';
import { PeriodType, type Period } from './records/period.ts';
import { PROGRAM_COLORS, ProgramType, type Program } from './records/program.ts';

export interface TxOptions {
	/** Defaults to `local`. */
	origin?: Origin;
	/** Randomness for ids and rank jitter; tests pass a seeded one. */
	rng?: Rng;
}

/** Longest text a single field accepts from a write, in characters. */
export const TEXT_LIMITS = { name: 200, title: 300, objective: 2000, scope: 10_000 } as const;

const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

function newId(rng: Rng | undefined): string {
	if (!rng) return nanoid(12);
	let id = '';
	for (let i = 0; i < 12; i++) id += ID_ALPHABET[Math.floor(rng() * ID_ALPHABET.length)];
	return id;
}

/**
 * The id for a new record: a fresh one, or the caller's after checking it. A taken id would
 * replace that record wholesale, and one the position schema rejects would orphan its children.
 */
function idFor(
	doc: Y.Doc,
	name: Collection,
	label: string,
	opts: { id?: string; rng?: Rng }
): string {
	if (opts.id === undefined) return newId(opts.rng);
	const parsed = v.safeParse(Id, opts.id);
	if (!parsed.success) {
		throw new ModelError('invalid', `${label} id: ${parsed.issues[0]?.message ?? 'rejected'}`);
	}
	if (collection(doc, name).has(opts.id)) {
		throw new ModelError('invalid', `${label} ${opts.id} already exists`);
	}
	return opts.id;
}

function transact<T>(doc: Y.Doc, opts: TxOptions, fn: () => T): T {
	let out: T | undefined;
	doc.transact(() => {
		out = fn();
	}, opts.origin ?? LOCAL);
	return out as T;
}

function recordOf(doc: Y.Doc, name: Collection, label: string, id: string): Y.Map<unknown> {
	const value = collection(doc, name).get(id);
	if (!(value instanceof Y.Map)) throw new ModelError('not-found', `${label} ${id} does not exist`);
	return value as Y.Map<unknown>;
}

function checkText(field: keyof typeof TEXT_LIMITS, value: unknown): string {
	if (typeof value !== 'string') throw new ModelError('invalid', `${field} must be text`);
	if (value.length > TEXT_LIMITS[field]) {
		throw new ModelError('invalid', `${field} is longer than ${TEXT_LIMITS[field]} characters`);
	}
	return value;
}

/** The ranked siblings that satisfy `inParent`, sorted, leaving out `exclude`. */
function siblings<P extends { rank: string }>(
	doc: Y.Doc,
	name: Collection,
	type: RecordType<string, never, P> | { pos: v.GenericSchema<unknown, P> },
	inParent: (pos: P) => boolean,
	exclude?: string
): Ranked[] {
	const out: Ranked[] = [];
	for (const [id, value] of collection(doc, name).entries()) {
		if (id === exclude || !(value instanceof Y.Map)) continue;
		const pos = v.safeParse(type.pos, value.get('pos'));
		if (pos.success && inParent(pos.output)) out.push({ id, rank: pos.output.rank });
	}
	return out.sort(compareRanked);
}

function end(list: readonly unknown[], index: number | undefined): number {
	return index ?? list.length;
}

function newRecord(
	texts: Record<string, string>,
	scalars: Record<string, unknown>,
	pos: object
): Y.Map<unknown> {
	const map = new Y.Map<unknown>();
	for (const [field, value] of Object.entries(texts)) map.set(field, new Y.Text(value));
	for (const [field, value] of Object.entries(scalars)) map.set(field, value);
	map.set('pos', pos);
	return map;
}

function applyTexts(map: Y.Map<unknown>, texts: Record<string, string | undefined>): void {
	for (const [field, value] of Object.entries(texts)) {
		if (value !== undefined) replaceText(textField(map, field), value);
	}
}

// ---------------------------------------------------------------------------------------------
// Board

export function setBoardTitle(doc: Y.Doc, opts: TxOptions & { title: string }): void {
	const title = checkText('title', opts.title);
	transact(doc, opts, () => replaceText(titleText(doc), title));
}

// ---------------------------------------------------------------------------------------------
// Programs

export type ProgramFields = Partial<Pick<Program, 'name' | 'objective' | 'manager' | 'color'>>;

export function createProgram(
	doc: Y.Doc,
	opts: TxOptions & ProgramFields & { id?: string; index?: number }
): string {
	const name = checkText('name', opts.name ?? '');
	const objective = checkText('objective', opts.objective ?? '');
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
		programs.set(id, newRecord({ name, objective }, fields, { rank }));
		return id;
	});
}

export function updateProgram(doc: Y.Doc, opts: TxOptions & ProgramFields & { id: string }): void {
	const texts = {
		name: opts.name === undefined ? undefined : checkText('name', opts.name),
		objective: opts.objective === undefined ? undefined : checkText('objective', opts.objective)
	};
	const fields = checkFields(ProgramType, { manager: opts.manager, color: opts.color });
	transact(doc, opts, () => {
		const map = recordOf(doc, 'programs', 'Program', opts.id);
		applyTexts(map, texts);
		for (const [field, value] of Object.entries(fields)) map.set(field, value);
	});
}

export function moveProgram(doc: Y.Doc, opts: TxOptions & { id: string; index: number }): void {
	transact(doc, opts, () => {
		const map = recordOf(doc, 'programs', 'Program', opts.id);
		const peers = siblings(doc, 'programs', ProgramType, () => true, opts.id);
		map.set('pos', { rank: rankAt(peers, opts.index, opts.rng) });
	});
}

/** Deletes the program, its lanes and their cards. */
export function deleteProgram(doc: Y.Doc, opts: TxOptions & { id: string }): void {
	transact(doc, opts, () => {
		recordOf(doc, 'programs', 'Program', opts.id);
		for (const lane of siblings(doc, 'lanes', LaneType, (pos) => pos.program === opts.id)) {
			removeLane(doc, lane.id);
		}
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
	const name = checkText('name', opts.name ?? '');
	const scope = checkText('scope', opts.scope ?? '');
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
		collection(doc, 'lanes').set(
			id,
			newRecord({ name, scope }, fields, { program: opts.programId, rank })
		);
		return id;
	});
}

export function updateLane(doc: Y.Doc, opts: TxOptions & LaneFields & { id: string }): void {
	const texts = {
		name: opts.name === undefined ? undefined : checkText('name', opts.name),
		scope: opts.scope === undefined ? undefined : checkText('scope', opts.scope)
	};
	const fields = checkFields(LaneType, {
		manager: opts.manager,
		health: opts.health,
		progress: opts.progress
	});
	transact(doc, opts, () => {
		const map = recordOf(doc, 'lanes', 'Lane', opts.id);
		applyTexts(map, texts);
		for (const [field, value] of Object.entries(fields)) map.set(field, value);
	});
}

/**
 * Put a lane at `index` (0 = top priority) of `programId`, which may be its own program
 * (reprioritise) or another one (move across programs). One write.
 */
export function moveLane(
	doc: Y.Doc,
	opts: TxOptions & { id: string; programId: string; index: number }
): void {
	transact(doc, opts, () => {
		const map = recordOf(doc, 'lanes', 'Lane', opts.id);
		recordOf(doc, 'programs', 'Program', opts.programId);
		const peers = siblings(doc, 'lanes', LaneType, (p) => p.program === opts.programId, opts.id);
		map.set('pos', { program: opts.programId, rank: rankAt(peers, opts.index, opts.rng) });
	});
}

function removeLane(doc: Y.Doc, laneId: string): void {
	for (const card of siblings(doc, 'cards', CardType, (pos) => pos.lane === laneId)) {
		collection(doc, 'cards').delete(card.id);
	}
	collection(doc, 'lanes').delete(laneId);
}

/** Deletes the lane and its cards. */
export function deleteLane(doc: Y.Doc, opts: TxOptions & { id: string }): void {
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
	const name = checkText('name', opts.name ?? '');
	const fields = {
		...defaults(PeriodType),
		...checkFields(PeriodType, { start: opts.start, end: opts.end })
	};
	checkDates(fields);
	return transact(doc, opts, () => {
		const peers = siblings(doc, 'periods', PeriodType, () => true);
		const rank = rankAt(peers, end(peers, opts.index), opts.rng);
		const id = idFor(doc, 'periods', PeriodType.name, opts);
		collection(doc, 'periods').set(id, newRecord({ name }, fields, { rank }));
		return id;
	});
}

export function updatePeriod(doc: Y.Doc, opts: TxOptions & PeriodFields & { id: string }): void {
	const name = opts.name === undefined ? undefined : checkText('name', opts.name);
	const fields = checkFields(PeriodType, { start: opts.start, end: opts.end });
	transact(doc, opts, () => {
		const map = recordOf(doc, 'periods', 'Period', opts.id);
		// Only a date edit is checked, against the stored dates as a reader sees them: two people
		// editing one end each can invert a range, and that must not block renaming the period.
		if (fields.start !== undefined || fields.end !== undefined) {
			checkDates({ start: storedDate(map, 'start'), end: storedDate(map, 'end'), ...fields });
		}
		applyTexts(map, { name });
		for (const [field, value] of Object.entries(fields)) map.set(field, value);
	});
}

export function movePeriod(doc: Y.Doc, opts: TxOptions & { id: string; index: number }): void {
	transact(doc, opts, () => {
		const map = recordOf(doc, 'periods', 'Period', opts.id);
		const peers = siblings(doc, 'periods', PeriodType, () => true, opts.id);
		map.set('pos', { rank: rankAt(peers, opts.index, opts.rng) });
	});
}

/** Deletes the period and every card in it. */
export function deletePeriod(doc: Y.Doc, opts: TxOptions & { id: string }): void {
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

export type CardFields = Partial<Pick<Card, 'title' | 'kind' | 'done'>>;

function inCell(laneId: string, periodId: string) {
	return (pos: { lane: string; period: string }) => pos.lane === laneId && pos.period === periodId;
}

export function createCard(
	doc: Y.Doc,
	opts: TxOptions & CardFields & { laneId: string; periodId: string; id?: string; index?: number }
): string {
	const title = checkText('title', opts.title ?? '');
	const fields = {
		...defaults(CardType),
		...checkFields(CardType, { kind: opts.kind, done: opts.done })
	};
	return transact(doc, opts, () => {
		recordOf(doc, 'lanes', 'Lane', opts.laneId);
		recordOf(doc, 'periods', 'Period', opts.periodId);
		const peers = siblings(doc, 'cards', CardType, inCell(opts.laneId, opts.periodId));
		const rank = rankAt(peers, end(peers, opts.index), opts.rng);
		const id = idFor(doc, 'cards', CardType.name, opts);
		collection(doc, 'cards').set(
			id,
			newRecord({ title }, fields, { lane: opts.laneId, period: opts.periodId, rank })
		);
		return id;
	});
}

export function updateCard(doc: Y.Doc, opts: TxOptions & CardFields & { id: string }): void {
	const title = opts.title === undefined ? undefined : checkText('title', opts.title);
	const fields = checkFields(CardType, { kind: opts.kind, done: opts.done });
	transact(doc, opts, () => {
		const map = recordOf(doc, 'cards', 'Card', opts.id);
		applyTexts(map, { title });
		for (const [field, value] of Object.entries(fields)) map.set(field, value);
	});
}

/** Put a card at `index` of the cell (laneId × periodId). One write. */
export function moveCard(
	doc: Y.Doc,
	opts: TxOptions & { id: string; laneId: string; periodId: string; index: number }
): void {
	transact(doc, opts, () => {
		const map = recordOf(doc, 'cards', 'Card', opts.id);
		recordOf(doc, 'lanes', 'Lane', opts.laneId);
		recordOf(doc, 'periods', 'Period', opts.periodId);
		const peers = siblings(doc, 'cards', CardType, inCell(opts.laneId, opts.periodId), opts.id);
		const rank = rankAt(peers, opts.index, opts.rng);
		map.set('pos', { lane: opts.laneId, period: opts.periodId, rank });
	});
}

export function deleteCard(doc: Y.Doc, opts: TxOptions & { id: string }): void {
	transact(doc, opts, () => {
		recordOf(doc, 'cards', 'Card', opts.id);
		collection(doc, 'cards').delete(opts.id);
	});
}
