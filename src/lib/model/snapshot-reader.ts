/**
 * readBoard, kept up to date incrementally for a long-lived view of one doc. readBoard validates
 * every record on every call: on a 5,000-card board that is most of the time between a remote
 * keystroke arriving and it being painted. This reader remembers each record as last read and
 * re-reads only those a transaction touched (the record itself, or a text inside it). Cached
 * records are returned as the same objects, which also lets the UI skip unchanged rows.
 *
 * Placement is snapshot.ts's assembleBoard, the same function readBoard uses; snapshot-reader.test.ts
 * checks the two agree after every step of random edits.
 */
import type * as Y from 'yjs';
import { COLLECTIONS, collection, type Collection } from './doc.ts';
import { readRecord, type ReadResult } from './records/define.ts';
import { RECORD_TYPES } from './records/index.ts';
import { assembleBoard, type BoardRead, type BoardSnapshot, type Read } from './snapshot.ts';

type AnyRecord = { id: string; pos: unknown };
type Result = ReadResult<AnyRecord>;

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
		const type = RECORD_TYPES[name] as unknown as Parameters<typeof readRecord>[0];
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

	/**
	 * The board as readBoard(doc) would return it now. Given the snapshot the caller holds, the
	 * lanes and dependencies that did not change are its own objects (see assembleBoard).
	 */
	read(previous?: BoardSnapshot): BoardSnapshot {
		const read = Object.fromEntries(
			COLLECTIONS.map((name) => [name, this.#readAll(name)])
		) as unknown as BoardRead;
		this.#full = false;
		return assembleBoard(this.#doc, read, previous);
	}

	destroy(): void {
		this.#doc.off('afterTransaction', this.#track);
	}
}
