/** A BoardStore held in memory: for tests, and a reference for what the contract means. */
import type { BoardInfo, BoardStore, StoredBoard } from './types.ts';

interface Entry {
	info: BoardInfo;
	snapshot: Uint8Array | null;
	log: { seq: number; data: Uint8Array }[];
	seq: number;
}

export function createMemoryStore(now: () => number = Date.now): BoardStore {
	const boards = new Map<string, Entry>();
	const get = (id: string): Entry => {
		const entry = boards.get(id);
		if (!entry) throw new Error(`unknown board ${id}`);
		return entry;
	};
	return {
		create({ id, title }, initial) {
			if (boards.has(id)) return false;
			const t = now();
			boards.set(id, {
				info: { id, title, createdAt: t, updatedAt: t },
				snapshot: initial ? initial.slice() : null,
				log: [],
				seq: 0
			});
			return true;
		},
		info: (id) => {
			const entry = boards.get(id);
			return entry ? { ...entry.info } : null;
		},
		list: () =>
			[...boards.values()].map((e) => ({ ...e.info })).sort((a, b) => b.updatedAt - a.updatedAt),
		load(id): StoredBoard | null {
			const entry = boards.get(id);
			if (!entry) return null;
			const updates = entry.log.map((row) => row.data.slice());
			if (entry.snapshot) updates.unshift(entry.snapshot.slice());
			return { updates, lastSeq: entry.log.at(-1)?.seq ?? 0 };
		},
		append(id, updates) {
			const entry = get(id);
			for (const data of updates) entry.log.push({ seq: ++entry.seq, data: data.slice() });
			entry.info.updatedAt = now();
			return entry.seq;
		},
		compact(id, snapshot, uptoSeq, title) {
			const entry = get(id);
			entry.snapshot = snapshot.slice();
			entry.log = entry.log.filter((row) => row.seq > uptoSeq);
			if (title !== undefined) entry.info.title = title;
		},
		delete: (id) => void boards.delete(id),
		close() {}
	};
}
