/**
 * readBoard, kept up to date incrementally for a long-lived view of one doc. readBoard validates
 * every record on every call: on a 5,000-card board that is most of the time between a remote
 * keystroke arriving and it being painted. This reader remembers each record as last read and
 * re-reads only those a transaction touched (the record itself, or a text inside it). Cached
 * records are returned as the same objects, which also lets the UI skip unchanged rows.
 *
 * The assembly below follows readBoard (snapshot.ts) rule for rule; snapshot-reader.test.ts
 * checks the two agree after every step of random edits, so a change there shows up here.
 */
import type * as Y from 'yjs';
import { COLLECTIONS, collection, type Collection } from './doc.ts';
import { readRecord, type ReadResult } from './records/define.ts';
import { CardType, type Card } from './records/card.ts';
import { LaneType, type Lane } from './records/lane.ts';
import { PeriodType, type Period } from './records/period.ts';
import { ProgramType, type Program } from './records/program.ts';
import {
	boardTitle,
	schemaVersionOf,
	type BoardSnapshot,
	type OrphanCard,
	type OrphanLane,
	type ProgramView
} from './snapshot.ts';

type AnyRecord = { id: string; pos: { rank: string } };
type Result = ReadResult<AnyRecord>;

const TYPES = { programs: ProgramType, lanes: LaneType, periods: PeriodType, cards: CardType };

interface Read<R> {
	placed: R[];
	misplaced: Omit<R, 'pos'>[];
	ignored: number;
}

// Same order as compareRanked, without allocating two objects per comparison.
function byRank(a: AnyRecord, b: AnyRecord): number {
	const ra = a.pos.rank;
	const rb = b.pos.rank;
	if (ra !== rb) return ra < rb ? -1 : 1;
	if (a.id !== b.id) return a.id < b.id ? -1 : 1;
	return 0;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function withMisplacedLast<R extends AnyRecord>(read: Read<R>): R[] {
	const last = read.misplaced.map((r) => ({ ...r, pos: { rank: '' } }) as R).sort(byId);
	return [...read.placed.sort(byRank), ...last];
}

export class SnapshotReader {
	#doc: Y.Doc;
	#cache = new Map<Collection, Map<string, Result>>(COLLECTIONS.map((name) => [name, new Map()]));
	#dirty = new Map<Collection, Set<string>>(COLLECTIONS.map((name) => [name, new Set()]));
	#full = true;

	constructor(doc: Y.Doc) {
		this.#doc = doc;
		doc.on('afterTransaction', this.#track);
	}

	/** Marks the records a transaction changed: added, removed, replaced, or edited inside. */
	#track = (transaction: Y.Transaction) => {
		const tops = new Map<unknown, Collection>(
			COLLECTIONS.map((name) => [collection(this.#doc, name), name])
		);
		for (const [type, keys] of transaction.changed) {
			const name = tops.get(type);
			if (name) {
				for (const key of keys) if (key !== null) this.#dirty.get(name)!.add(key);
				continue;
			}
			// Inside a record: climb to the child of a collection, the record map itself.
			/* eslint-disable @typescript-eslint/no-explicit-any -- Yjs types its tree loosely */
			let child: Y.AbstractType<any> = type;
			let parent = child.parent as Y.AbstractType<any> | null;
			while (parent && !tops.has(parent)) {
				child = parent;
				parent = child.parent as Y.AbstractType<any> | null;
			}
			/* eslint-enable @typescript-eslint/no-explicit-any */
			const id = child._item?.parentSub;
			if (parent && typeof id === 'string') this.#dirty.get(tops.get(parent)!)!.add(id);
		}
	};

	#readAll(name: Collection): Read<AnyRecord> {
		const cache = this.#cache.get(name)!;
		const map = collection(this.#doc, name);
		const type = TYPES[name] as unknown as Parameters<typeof readRecord>[0];
		if (this.#full) {
			cache.clear();
			for (const [id, value] of map.entries()) cache.set(id, readRecord(type, id, value) as Result);
		} else {
			for (const id of this.#dirty.get(name)!) {
				if (map.has(id)) cache.set(id, readRecord(type, id, map.get(id)) as Result);
				else cache.delete(id);
			}
		}
		this.#dirty.get(name)!.clear();
		const out: Read<AnyRecord> = { placed: [], misplaced: [], ignored: 0 };
		// Map order is the doc's key order, as in readBoard, so ties sort the same.
		for (const id of map.keys()) {
			const result = cache.get(id);
			if (!result) continue;
			if (result.ok) out.placed.push(result.record);
			else if (result.reason === 'misplaced') out.misplaced.push(result.record);
			else out.ignored += 1;
		}
		return out;
	}

	/** The board as readBoard(doc) would return it now. */
	read(): BoardSnapshot {
		const programs = this.#readAll('programs') as Read<Program>;
		const lanes = this.#readAll('lanes') as Read<Lane>;
		const periods = this.#readAll('periods') as Read<Period>;
		const cards = this.#readAll('cards') as Read<Card>;
		this.#full = false;

		const periodViews = withMisplacedLast(periods);
		const periodIds = new Set(periodViews.map((p) => p.id));
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
			title: boardTitle(this.#doc),
			schemaVersion: schemaVersionOf(this.#doc),
			periods: periodViews,
			programs: programViews,
			orphans: { lanes: orphanLanes, cards: orphanCards },
			ignored: programs.ignored + lanes.ignored + periods.ignored + cards.ignored
		};
	}

	destroy(): void {
		this.#doc.off('afterTransaction', this.#track);
	}
}
