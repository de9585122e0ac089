/**
 * Who wrote a change (issue 14's "moved by Ana"): every value in a Yjs document is an item that
 * carries the client id of the peer that wrote it, and the relay records which link and display
 * name each client id came through (server/sync/room-history.ts). So the writer of a board change
 * is the client id of the item that holds its current value: a record's `pos` for a move, the
 * record itself for an addition, the field for a field change. A removal leaves no item behind
 * (Yjs does not record who deleted), so it has no writer here.
 */
import * as Y from 'yjs';
import type { Change, ItemType } from './diff.ts';
import { collection, type Collection } from './doc.ts';

const COLLECTION_OF: Record<ItemType, Collection> = {
	program: 'programs',
	lane: 'lanes',
	period: 'periods',
	card: 'cards'
};

/** The item holding `key` of a Y.Map (Yjs keeps them in `_map`). */
function itemOf(map: Y.Map<unknown>, key: string): Y.Item | undefined {
	return (map as unknown as { _map: Map<string, Y.Item> })._map.get(key);
}

/** The client id that wrote the newest character still in `text`, if any. */
function lastWriterOf(text: Y.Text): number | null {
	let writer: number | null = null;
	for (let item = text._start; item !== null; item = item.right) {
		if (!item.deleted) writer = item.id.client;
	}
	return writer;
}

/** The field of a record that holds what `change` shows. */
function keyOf(change: Change): string {
	switch (change.kind) {
		case 'added':
		case 'removed':
			return '';
		case 'moved':
		case 'reprioritised':
			return 'pos';
		case 'renamed':
			return change.type === 'card' ? 'title' : 'name';
		case 'field':
			return change.field;
	}
}

/** The client id whose write `change` shows in `doc` (the later of the two compared), or null. */
export function writerOf(doc: Y.Doc, change: Change): number | null {
	if (change.kind === 'removed') return null;
	const records = collection(doc, COLLECTION_OF[change.type]);
	const item = itemOf(records, change.id);
	if (!item || item.deleted) return null;
	if (change.kind === 'added') return item.id.client;
	const record = records.get(change.id);
	if (!(record instanceof Y.Map)) return null;
	const key = keyOf(change);
	const value = record.get(key);
	if (change.kind === 'renamed' && value instanceof Y.Text) return lastWriterOf(value);
	return itemOf(record, key)?.id.client ?? null;
}

/** Where each kind of positioned record lives. */
const POSITIONED: Record<
	'program' | 'lane' | 'period' | 'card' | 'objective' | 'risk',
	Collection
> = {
	program: 'programs',
	lane: 'lanes',
	period: 'periods',
	card: 'cards',
	objective: 'objectives',
	risk: 'risks'
};

/**
 * The client id that last wrote where a record sits (its `pos`): who moved it, whether by drag,
 * keyboard or menu. Null for an unknown record.
 */
export function positionWriterOf(
	doc: Y.Doc,
	kind: keyof typeof POSITIONED,
	id: string
): number | null {
	const record = collection(doc, POSITIONED[kind]).get(id);
	if (!(record instanceof Y.Map)) return null;
	const item = itemOf(record, 'pos');
	return item && !item.deleted ? item.id.client : null;
}
