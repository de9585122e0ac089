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
 *   `orphans.cards`.
 * The same document always yields the same snapshot, on every peer.
 */
import type * as Y from 'yjs';
import { collection, meta, titleText } from './doc.ts';
import { readRecord, type RecordType, type RecordOf } from './records/define.ts';
import { CardType, type Card } from './records/card.ts';
import { LaneType, type Lane } from './records/lane.ts';
import { PeriodType, type Period } from './records/period.ts';
import { ProgramType, type Program } from './records/program.ts';
import type { Collection } from './doc.ts';

export interface LaneView extends Lane {
	/** 1-based position in its program: 1 is the top priority. */
	priority: number;
	/** Cards per period id, in order. Periods without cards are absent. */
	cells: Record<string, Card[]>;
}

export interface ProgramView extends Program {
	lanes: LaneView[];
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
	orphans: { lanes: OrphanLane[]; cards: OrphanCard[] };
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
function readAll<T extends string, F extends Record<string, any>, P>(
	doc: Y.Doc,
	name: Collection,
	type: RecordType<T, F, P>
): Read<RecordOf<T, F, P>> {
	const out: Read<RecordOf<T, F, P>> = { placed: [], misplaced: [], ignored: 0 };
	for (const [id, value] of collection(doc, name).entries()) {
		const result = readRecord(type, id, value);
		if (result.ok) out.placed.push(result.record);
		else if (result.reason === 'misplaced') out.misplaced.push(result.record);
		else out.ignored += 1;
	}
	return out;
}

// Same order as compareRanked (order.ts), without allocating two objects per comparison.
function byRank(
	a: { id: string; pos: { rank: string } },
	b: { id: string; pos: { rank: string } }
) {
	const ra = a.pos.rank;
	const rb = b.pos.rank;
	if (ra !== rb) return ra < rb ? -1 : 1;
	if (a.id !== b.id) return a.id < b.id ? -1 : 1;
	return 0;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

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

export function readBoard(doc: Y.Doc): BoardSnapshot {
	return assembleBoard(doc, {
		programs: readAll(doc, 'programs', ProgramType),
		lanes: readAll(doc, 'lanes', LaneType),
		periods: readAll(doc, 'periods', PeriodType),
		cards: readAll(doc, 'cards', CardType)
	});
}

/**
 * The board from its records as read: the one set of placement rules, shared by readBoard and
 * the incremental SnapshotReader.
 */
export function assembleBoard(
	doc: Y.Doc,
	read: { programs: Read<Program>; lanes: Read<Lane>; periods: Read<Period>; cards: Read<Card> }
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
	for (const card of cards.placed.sort(byRank)) {
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
	const cellsOf = (laneId: string) => Object.fromEntries(cardsByLane.get(laneId) ?? []);
	const cardCount = (laneId: string) =>
		[...(cardsByLane.get(laneId)?.values() ?? [])].reduce((n, cell) => n + cell.length, 0);

	const programViews: ProgramView[] = withMisplacedLast(programs).map((program) => ({
		...program,
		lanes: []
	}));
	const programById = new Map(programViews.map((p) => [p.id, p]));
	const orphanLanes: OrphanLane[] = lanes.misplaced.map((l) => ({
		id: l.id,
		name: l.name,
		cardCount: cardCount(l.id)
	}));
	for (const lane of lanes.placed.sort(byRank)) {
		const program = programById.get(lane.pos.program);
		if (!program) {
			orphanLanes.push({ id: lane.id, name: lane.name, cardCount: cardCount(lane.id) });
			continue;
		}
		program.lanes.push({ ...lane, priority: program.lanes.length + 1, cells: cellsOf(lane.id) });
	}
	orphanLanes.sort(byId);
	orphanCards.sort(byId);

	return {
		title: boardTitle(doc),
		schemaVersion: schemaVersionOf(doc),
		periods: periodViews,
		programs: programViews,
		orphans: { lanes: orphanLanes, cards: orphanCards },
		ignored: programs.ignored + lanes.ignored + periods.ignored + cards.ignored
	};
}
