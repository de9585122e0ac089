/** A BoardStore held in memory: for tests, and a reference for what the contract means. */
import type {
	Author,
	BoardInfo,
	BoardStore,
	Checkpoint,
	CheckpointInfo,
	LinkRecord,
	HistoryBase,
	HistoryUpdate,
	StoredBoard,
	StoredVote
} from './types.ts';

interface Entry {
	info: BoardInfo;
	snapshot: Uint8Array | null;
	log: { seq: number; data: Uint8Array }[];
	seq: number;
	votes: Map<string, StoredVote>;
	/** Oldest first. */
	checkpoints: Checkpoint[];
	authors: Map<number, Author>;
	historyBase: HistoryBase;
	/** In sequence order. */
	history: HistoryUpdate[];
}

function infoOf(checkpoint: Checkpoint): CheckpointInfo {
	const { state: _state, ...info } = checkpoint;
	return { ...info };
}

export function createMemoryStore(now: () => number = Date.now): BoardStore {
	const boards = new Map<string, Entry>();
	const links = new Map<string, LinkRecord>();
	const get = (id: string): Entry => {
		const entry = boards.get(id);
		if (!entry) throw new Error(`unknown board ${id}`);
		return entry;
	};
	const appendNow = (id: string, updates: readonly Uint8Array[]): number => {
		const entry = get(id);
		// Stamps never go backwards within a board (types.ts HistoryUpdate).
		const at = Math.max(now(), entry.history.at(-1)?.at ?? entry.historyBase.at);
		for (const data of updates) {
			entry.log.push({ seq: ++entry.seq, data: data.slice() });
			entry.history.push({ seq: entry.seq, at, data: data.slice() });
		}
		entry.info.updatedAt = now();
		return entry.seq;
	};
	return {
		async create({ id, title }, initial) {
			if (boards.has(id)) return false;
			const t = now();
			boards.set(id, {
				info: { id, title, createdAt: t, updatedAt: t },
				snapshot: initial ? initial.slice() : null,
				log: [],
				seq: 0,
				votes: new Map(),
				checkpoints: [],
				authors: new Map(),
				historyBase: { state: initial ? initial.slice() : null, at: t, uptoSeq: 0 },
				history: []
			});
			return true;
		},
		info: async (id) => {
			const entry = boards.get(id);
			return entry ? { ...entry.info } : null;
		},
		list: async () =>
			[...boards.values()].map((e) => ({ ...e.info })).sort((a, b) => b.updatedAt - a.updatedAt),
		async load(id): Promise<StoredBoard | null> {
			const entry = boards.get(id);
			if (!entry) return null;
			const updates = entry.log.map((row) => row.data.slice());
			if (entry.snapshot) updates.unshift(entry.snapshot.slice());
			return { updates, lastSeq: entry.log.at(-1)?.seq ?? 0 };
		},
		append: async (id, updates) => appendNow(id, updates),
		async appendBatch(batch) {
			return batch.map(({ id, updates }) => {
				try {
					return appendNow(id, updates);
				} catch (err) {
					return err instanceof Error ? err : new Error(String(err));
				}
			});
		},
		async compact(id, snapshot, uptoSeq, title) {
			const entry = get(id);
			entry.snapshot = snapshot.slice();
			entry.log = entry.log.filter((row) => row.seq > uptoSeq);
			if (title !== undefined) entry.info.title = title;
		},
		async saveCheckpoint(checkpoint) {
			const entry = get(checkpoint.boardId);
			const stored: Checkpoint = {
				...checkpoint,
				state: checkpoint.state.slice(),
				createdAt: now(),
				bytes: checkpoint.state.length
			};
			entry.checkpoints.push(stored);
			return infoOf(stored);
		},
		checkpoints: async (boardId) => (boards.get(boardId)?.checkpoints ?? []).map(infoOf).reverse(),
		async pruneCheckpoints(boardId, before) {
			const entry = boards.get(boardId);
			if (!entry) return 0;
			const kept = entry.checkpoints.filter((c) => c.kind === 'named' || c.createdAt >= before);
			const pruned = entry.checkpoints.length - kept.length;
			entry.checkpoints = kept;
			return pruned;
		},
		async renameCheckpoint(boardId, id, name) {
			const found = boards.get(boardId)?.checkpoints.find((c) => c.id === id);
			if (!found) return null;
			found.name = name;
			found.kind = 'named';
			return infoOf(found);
		},
		async deleteCheckpoint(boardId, id) {
			const entry = boards.get(boardId);
			const before = entry?.checkpoints.length ?? 0;
			if (entry) entry.checkpoints = entry.checkpoints.filter((c) => c.id !== id);
			return (entry?.checkpoints.length ?? 0) < before;
		},
		async historyBase(boardId) {
			const base = boards.get(boardId)?.historyBase;
			return base ? { ...base, state: base.state?.slice() ?? null } : null;
		},
		async history(boardId, { afterSeq, until, limit }) {
			const rows = boards.get(boardId)?.history ?? [];
			return rows
				.filter((row) => row.seq > afterSeq && row.at <= until)
				.slice(0, limit)
				.map((row) => ({ ...row, data: row.data.slice() }));
		},
		async foldHistory(boardId, base, previousUptoSeq) {
			const entry = get(boardId);
			if (entry.historyBase.uptoSeq !== previousUptoSeq) return false;
			entry.historyBase = { ...base, state: base.state.slice() };
			entry.history = entry.history.filter((row) => row.seq > base.uptoSeq);
			return true;
		},
		async checkpoint(boardId, id) {
			const found = boards.get(boardId)?.checkpoints.find((c) => c.id === id);
			return found ? { ...found, state: found.state.slice() } : null;
		},
		async recordAuthors(authors) {
			for (const { boardId, clientId, linkId, name, at } of authors) {
				const entry = boards.get(boardId);
				if (!entry) continue;
				const known = entry.authors.get(clientId);
				if (!known) {
					entry.authors.set(clientId, { clientId, linkId, name, firstAt: at, lastAt: at });
					continue;
				}
				known.lastAt = Math.max(known.lastAt, at);
				if (name) known.name = name;
			}
		},
		authors: async (boardId) =>
			[...(boards.get(boardId)?.authors.values() ?? [])]
				.sort((a, b) => a.clientId - b.clientId)
				.map((a) => ({ ...a })),
		async delete(id) {
			boards.delete(id);
			for (const [linkId, link] of links) if (link.boardId === id) links.delete(linkId);
		},
		async createLink(link) {
			get(link.boardId);
			if (links.has(link.id)) throw new Error(`link ${link.id} exists`);
			const record: LinkRecord = { ...link, createdAt: now(), revokedAt: null };
			links.set(link.id, record);
			return { ...record };
		},
		async link(id) {
			const link = links.get(id);
			return link ? { ...link } : null;
		},
		links: async (boardId) =>
			[...links.values()]
				.filter((l) => l.boardId === boardId)
				.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
				.map((l) => ({ ...l })),
		async revokeLink(id) {
			const link = links.get(id);
			if (!link || link.revokedAt !== null) return false;
			link.revokedAt = now();
			return true;
		},
		async putVote(vote) {
			get(vote.boardId).votes.set(vote.id, { ...vote });
		},
		async deleteVote(boardId, id) {
			boards.get(boardId)?.votes.delete(id);
		},
		votes: async (boardId) =>
			[...(boards.get(boardId)?.votes.values() ?? [])]
				.sort((a, b) => a.openedAt - b.openedAt || (a.id < b.id ? -1 : 1))
				.map((vote) => ({ ...vote })),
		async close() {}
	};
}
