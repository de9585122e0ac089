/**
 * Small fixtures for model unit tests: a seeded doc, raw access to a record, a recorder of the
 * transactions an operation ran, and a two-way sync between docs.
 */
import * as Y from 'yjs';
import type { Collection } from '../../src/lib/model/doc.ts';
import {
	createCard,
	createLane,
	createPeriod,
	createProgram,
	ModelError,
	type BoardSnapshot,
	type LaneView,
	type ProgramView
} from '../../src/lib/model/index.ts';
import { mulberry32, type Rng } from './rng.ts';

/** A doc with a fixed client id, so ties that Yjs breaks by client id reproduce too. */
export function newDoc(clientID = 1): Y.Doc {
	const doc = new Y.Doc();
	doc.clientID = clientID;
	return doc;
}

export function seeded(seed = 1): { rng: Rng } {
	return { rng: mulberry32(seed) };
}

export function rawRecord(doc: Y.Doc, name: Collection, id: string): Y.Map<unknown> {
	const value = doc.getMap(name).get(id);
	if (!(value instanceof Y.Map)) throw new Error(`no ${name} record ${id}`);
	return value as Y.Map<unknown>;
}

export interface Recorded {
	origin: unknown;
	/** Each changed Y.Map record as `collection/id` with the keys written in it. */
	changed: string[];
}

/** Record every transaction on `doc` while `fn` runs. */
export function transactionsOf(doc: Y.Doc, fn: () => void): Recorded[] {
	const out: Recorded[] = [];
	const onTx = (tr: Y.Transaction) => {
		const changed: string[] = [];
		for (const [type, keys] of tr.changed) {
			changed.push(`${describeType(type)}:${[...keys].sort().join(',')}`);
		}
		out.push({ origin: tr.origin, changed: changed.sort() });
	};
	doc.on('afterTransaction', onTx);
	try {
		fn();
	} finally {
		doc.off('afterTransaction', onTx);
	}
	return out;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function describeType(type: Y.AbstractType<any>): string {
	const parent = type._item?.parent;
	const key = type._item?.parentSub;
	if (parent instanceof Y.AbstractType && key) return `${describeType(parent)}/${key}`;
	const doc = type.doc;
	if (doc) {
		for (const [name, top] of doc.share) if (top === type) return name;
	}
	return '?';
}

/** Exchange everything both ways, like two peers that reconnect. */
export function sync(a: Y.Doc, b: Y.Doc): void {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'remote');
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), 'remote');
}

/** A second doc holding the same state as `doc`. */
export function fork(doc: Y.Doc, clientID: number): Y.Doc {
	const copy = newDoc(clientID);
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc), 'remote');
	return copy;
}

/**
 * Two programs and three periods. Growth has lanes a, b, c (in that priority); Platform has
 * lane d. Cards: a1, a2 in a×q1; a3 in a×q2; b1 in b×q1; d1 in d×q2.
 */
export function smallBoard(clientID = 1): Y.Doc {
	const doc = newDoc(clientID);
	const tx = seeded(clientID);
	createProgram(doc, { ...tx, id: 'growth', name: 'Growth' });
	createProgram(doc, { ...tx, id: 'platform', name: 'Platform' });
	for (const [id, name] of [
		['a', 'Checkout'],
		['b', 'Billing'],
		['c', 'Onboarding']
	] as const) {
		createLane(doc, { ...tx, id, programId: 'growth', name });
	}
	createLane(doc, { ...tx, id: 'd', programId: 'platform', name: 'Observability' });
	for (const id of ['q1', 'q2', 'q3']) createPeriod(doc, { ...tx, id, name: id.toUpperCase() });
	for (const [id, laneId, periodId] of [
		['a1', 'a', 'q1'],
		['a2', 'a', 'q1'],
		['a3', 'a', 'q2'],
		['b1', 'b', 'q1'],
		['d1', 'd', 'q2']
	] as const) {
		createCard(doc, { ...tx, id, laneId, periodId, title: `Card ${id}` });
	}
	return doc;
}

/** Lane ids of a program, in priority order. */
export function laneIds(board: BoardSnapshot, programId: string): string[] {
	return programOf(board, programId).lanes.map((lane) => lane.id);
}

export function programOf(board: BoardSnapshot, programId: string): ProgramView {
	const program = board.programs.find((p) => p.id === programId);
	if (!program) throw new Error(`program ${programId} is not on the board`);
	return program;
}

export function laneOf(board: BoardSnapshot, laneId: string): LaneView | undefined {
	return board.programs.flatMap((p) => p.lanes).find((lane) => lane.id === laneId);
}

/** Card ids in one lane × period cell, in order. */
export function cellIds(board: BoardSnapshot, laneId: string, periodId: string): string[] {
	return (laneOf(board, laneId)?.cells[periodId] ?? []).map((card) => card.id);
}

/** Every card id on the visible board. */
export function visibleCardIds(board: BoardSnapshot): string[] {
	return board.programs
		.flatMap((p) => p.lanes)
		.flatMap((lane) => Object.values(lane.cells).flat())
		.map((card) => card.id)
		.sort();
}

/** Run `fn`, which must throw a ModelError, and return that error. */
export function modelError(fn: () => unknown): ModelError {
	try {
		fn();
	} catch (error) {
		if (error instanceof ModelError) return error;
		throw error;
	}
	throw new Error('expected a ModelError, but nothing was thrown');
}

/** How many updates `fn` produced on `doc` (0 means it wrote nothing). */
export function updatesOf(doc: Y.Doc, fn: () => void): number {
	let count = 0;
	const onUpdate = () => (count += 1);
	doc.on('update', onUpdate);
	try {
		fn();
	} finally {
		doc.off('update', onUpdate);
	}
	return count;
}
