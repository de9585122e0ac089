/**
 * The read side: turn a board's Y.Doc into a plain, ordered, validated snapshot for the UI (and
 * for tests, which compare snapshots across peers).
 *
 * What happens to records that cannot be placed (documented in README "Document model"):
 * - a value in a collection that is not a record (a peer wrote garbage) is skipped and counted in
 *   `ignored`;
 * - a record with a bad scalar field is shown with that field's default;
 * - a program or period with an unreadable rank is shown after the others, ordered by id;
 * - a lane whose program no longer exists (deleted while someone moved the lane into it), or
 *   whose position is unreadable, is kept out of the board and listed in `orphans.lanes`, with
 *   its cards, so nothing is silently lost and the UI can offer to put it back;
 * - likewise a card whose lane or period is gone, or whose position is unreadable, is listed in
 *   `orphans.cards`;
 * - a dependency with an end that is not on the board (its card deleted or itself set aside) is
 *   listed in `orphans.dependencies`, naming the missing end, and drawn nowhere; an objective
 *   whose program is gone in `orphans.objectives`;
 * - a risk with an unreadable position is shown last in the `new` column, and one stored as
 *   owned without an owner reads as `new`, each with a `note` saying why.
 * The same document always yields the same snapshot, on every peer.
 */
import * as v from 'valibot';
import type * as Y from 'yjs';
import { collection, meta, titleText } from './doc.ts';
import { byId, byRank } from './order.ts';
import { readRecord, type RecordType, type RecordOf } from './records/define.ts';
import { BoardType } from './records/board.ts';
import { type Card } from './records/card.ts';
import { type Dependency } from './records/dependency.ts';
import { RECORD_TYPES } from './records/index.ts';
import { type Lane } from './records/lane.ts';
import { type Objective } from './records/objective.ts';
import { type Period } from './records/period.ts';
import { type Program } from './records/program.ts';
import { type Risk, type Roam } from './records/risk.ts';
import { predictability, type DependencyHealth, type Predictability } from './planning.ts';
import {
	placeDependencies,
	placeObjectives,
	placeRisks,
	sameView,
	viewOf
} from './snapshot-planning.ts';
import type { Collection } from './doc.ts';

export interface LaneView extends Lane {
	/** 1-based position in its program: 1 is the top priority. */
	priority: number;
	/** Cards per period id, in order. Periods without cards are absent. */
	cells: Record<string, Card[]>;
}

export interface ObjectiveView extends Objective {
	/** Linked lanes and cards that are on the board, in id order (links to gone ones are left out). */
	lanes: string[];
	cards: string[];
}

export interface ProgramView extends Program {
	lanes: LaneView[];
	objectives: ObjectiveView[];
	/** Over this program's objectives. */
	predictability: Predictability;
}

/** A dependency with both cards on the board. */
export interface DependencyView extends Dependency {
	health: DependencyHealth;
	/** It lies on a cycle (A needs B needs … needs A). */
	cycle: boolean;
}

/** A dependency set aside: `missing` names the end(s) whose card is not on the board. */
export interface OrphanDependency {
	id: string;
	from: string | null;
	to: string | null;
	missing: ('from' | 'to')[];
}

export interface RiskView extends Risk {
	/** The column it shows in: its stored state, except as `note` says. */
	roam: Roam;
	/** Why it shows somewhere other than where it was written, else null. */
	note: string | null;
	/** What it threatens is gone from the board. */
	threatGone: boolean;
}

export interface OrphanLane {
	id: string;
	name: string;
	cardCount: number;
}

export interface OrphanCard {
	id: string;
	title: string;
}

export interface BoardSnapshot {
	title: string;
	schemaVersion: number;
	periods: Period[];
	programs: ProgramView[];
	/** The unit estimates and capacities are counted in. */
	unit: string;
	/** Dependencies between cards on the board, in id order. */
	dependencies: DependencyView[];
	/** Risks by ROAM column, each column in order. */
	risks: Record<Roam, RiskView[]>;
	/** Over every program's objectives. */
	predictability: Predictability;
	orphans: {
		lanes: OrphanLane[];
		cards: OrphanCard[];
		dependencies: OrphanDependency[];
		objectives: { id: string; name: string }[];
	};
	/** Values in the document that were not records at all and were skipped. */
	ignored: number;
}

/** Every record of one collection, as read: placed, set aside, or not a record at all. */
export interface Read<R> {
	placed: R[];
	misplaced: Omit<R, 'pos'>[];
	ignored: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function readAll<T extends string, F extends Record<string, any>, P, K extends Record<string, any>>(
	doc: Y.Doc,
	name: Collection,
	type: RecordType<T, F, P, K>
): Read<RecordOf<T, F, P, K>> {
	const out: Read<RecordOf<T, F, P, K>> = { placed: [], misplaced: [], ignored: 0 };
	for (const [id, value] of collection(doc, name).entries()) {
		const result = readRecord(type, id, value);
		if (result.ok) out.placed.push(result.record);
		else if (result.reason === 'misplaced') out.misplaced.push(result.record);
		else out.ignored += 1;
	}
	return out;
}

/**
 * Programs and periods have no parent, so one with an unreadable rank still has a place: after
 * all the others, by id. It reads with an empty rank; the next move gives it a real one.
 */
function withMisplacedLast<R extends { id: string; pos: { rank: string } }>(read: Read<R>): R[] {
	const last = read.misplaced.map((r) => ({ ...r, pos: { rank: '' } }) as R).sort(byId);
	return [...read.placed.sort(byRank), ...last];
}

export function boardTitle(doc: Y.Doc): string {
	return titleText(doc).toString();
}

export function schemaVersionOf(doc: Y.Doc): number {
	const value = meta(doc).get('schemaVersion');
	return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;
}

export function boardUnit(doc: Y.Doc): string {
	const parsed = v.safeParse(BoardType.fields.unit.schema, meta(doc).get('unit'));
	return parsed.success ? parsed.output : BoardType.fields.unit.fallback;
}

export function readBoard(doc: Y.Doc): BoardSnapshot {
	return assembleBoard(doc, {
		programs: readAll(doc, 'programs', RECORD_TYPES.programs),
		lanes: readAll(doc, 'lanes', RECORD_TYPES.lanes),
		periods: readAll(doc, 'periods', RECORD_TYPES.periods),
		cards: readAll(doc, 'cards', RECORD_TYPES.cards),
		dependencies: readAll(doc, 'dependencies', RECORD_TYPES.dependencies),
		objectives: readAll(doc, 'objectives', RECORD_TYPES.objectives),
		risks: readAll(doc, 'risks', RECORD_TYPES.risks)
	});
}

/** Every collection as read. */
export interface BoardRead {
	programs: Read<Program>;
	lanes: Read<Lane>;
	periods: Read<Period>;
	cards: Read<Card>;
	dependencies: Read<Dependency>;
	objectives: Read<Objective>;
	risks: Read<Risk>;
}

function sameCells(a: Record<string, Card[]>, b: Record<string, Card[]>): boolean {
	const keys = Object.keys(a);
	const other = Object.keys(b);
	if (keys.length !== other.length) return false;
	for (let i = 0; i < keys.length; i++) {
		const key = keys[i]!;
		if (other[i] !== key) return false;
		const x = a[key]!;
		const y = b[key]!;
		if (x.length !== y.length) return false;
		for (let j = 0; j < x.length; j++) if (x[j] !== y[j]) return false;
	}
	return true;
}

/**
 * The board from its records as read: the one set of placement rules, shared by readBoard and
 * the incremental SnapshotReader. With `previous` (the snapshot the caller holds), a lane or a
 * dependency whose view would come out the same is that previous object, and the cycles are
 * not searched again while the dependencies are the same: a card moved on a 5,000-card board
 * then builds the two lanes it touched, not 300, and the UI compares by identity.
 */
export function assembleBoard(
	doc: Y.Doc,
	read: BoardRead,
	previous?: BoardSnapshot
): BoardSnapshot {
	const { programs, lanes, periods, cards } = read;

	// Every period shown, including one with an unreadable rank (shown last), keeps its cards.
	const periodViews = withMisplacedLast(periods);
	const periodIds = new Set(periodViews.map((p) => p.id));
	// A lane set aside for an unreadable position still owns its cards: they are counted with it
	// in orphans.lanes, as for a lane whose program is gone, not listed again as orphan cards.
	const laneIds = new Set([...lanes.placed, ...lanes.misplaced].map((l) => l.id));
	const orphanCards: OrphanCard[] = cards.misplaced.map((c) => ({ id: c.id, title: c.title }));

	const cardsByLane = new Map<string, Map<string, Card[]>>();
	for (const card of cards.placed) {
		if (!laneIds.has(card.pos.lane) || !periodIds.has(card.pos.period)) {
			orphanCards.push({ id: card.id, title: card.title });
			continue;
		}
		let cells = cardsByLane.get(card.pos.lane);
		if (!cells) cardsByLane.set(card.pos.lane, (cells = new Map()));
		const cell = cells.get(card.pos.period);
		if (cell) cell.push(card);
		else cells.set(card.pos.period, [card]);
	}
	// Each cell sorted on its own: the same order as sorting every card first (byRank is a total
	// order), without sorting 5,000 cards on every change of a big board.
	for (const cells of cardsByLane.values()) for (const cell of cells.values()) cell.sort(byRank);
	// Keys in period order, whatever order the doc holds the cards in: the same on every peer.
	const cellsOf = (laneId: string) => {
		const cells = cardsByLane.get(laneId);
		const out: Record<string, Card[]> = {};
		if (!cells) return out;
		for (const period of periodViews) {
			const cell = cells.get(period.id);
			if (cell) out[period.id] = cell;
		}
		return out;
	};
	const cardCount = (laneId: string) =>
		[...(cardsByLane.get(laneId)?.values() ?? [])].reduce((n, cell) => n + cell.length, 0);

	const programViews: ProgramView[] = withMisplacedLast(programs).map((program) => ({
		...program,
		lanes: [],
		objectives: [],
		predictability: predictability([])
	}));
	const programById = new Map(programViews.map((p) => [p.id, p]));
	const orphanLanes: OrphanLane[] = lanes.misplaced.map((l) => ({
		id: l.id,
		name: l.name,
		cardCount: cardCount(l.id)
	}));
	const laneBefore = new Map<string, LaneView>();
	for (const program of previous?.programs ?? [])
		for (const lane of program.lanes) laneBefore.set(lane.id, lane);
	for (const lane of lanes.placed.sort(byRank)) {
		const program = programById.get(lane.pos.program);
		if (!program) {
			orphanLanes.push({ id: lane.id, name: lane.name, cardCount: cardCount(lane.id) });
			continue;
		}
		const priority = program.lanes.length + 1;
		const cells = cellsOf(lane.id);
		const before = laneBefore.get(lane.id);
		const same =
			sameView(before, lane, { priority }) && sameCells(before!.cells, cells) ? before : null;
		program.lanes.push(same ?? viewOf(lane, { ...lane, priority, cells }));
	}
	orphanLanes.sort(byId);
	orphanCards.sort(byId);

	// Where each card on the board is: its period's column, for dependency health.
	const periodIndex = new Map(periodViews.map((p, i) => [p.id, i]));
	const column = new Map<string, number>();
	const shownLanes = new Set<string>();
	for (const program of programViews) {
		for (const lane of program.lanes) {
			shownLanes.add(lane.id);
			for (const [periodId, cell] of Object.entries(lane.cells)) {
				for (const card of cell) column.set(card.id, periodIndex.get(periodId) as number);
			}
		}
	}
	const deps = placeDependencies(read.dependencies, column, previous?.dependencies);
	const objectives = placeObjectives(read.objectives, programById, shownLanes, column);

	return {
		title: boardTitle(doc),
		schemaVersion: schemaVersionOf(doc),
		unit: boardUnit(doc),
		periods: periodViews,
		programs: programViews,
		dependencies: deps.shown,
		risks: placeRisks(read.risks, { programs: programById, lanes: shownLanes, cards: column }),
		predictability: predictability(programViews.flatMap((p) => p.objectives)),
		orphans: {
			lanes: orphanLanes,
			cards: orphanCards,
			dependencies: deps.orphans,
			objectives
		},
		ignored: Object.values(read).reduce((n, r) => n + r.ignored, 0)
	};
}
