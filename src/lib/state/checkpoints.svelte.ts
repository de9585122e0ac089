/**
 * The history panel's state (README "History"): the board's checkpoints, newest first with runs
 * of automatic ones folded; saving a named one; comparing a checkpoint with now or with another
 * checkpoint, each change said in words with who made it; compare mode's marks on the board; and
 * restoring the whole board, a program or a lane to the checkpoint compared with now.
 *
 * A checkpoint's state is fetched once and read into its own Y.Doc; the live board is never
 * touched except by a restore, which is a model operation run through BoardState (so it is one
 * undo step for the person who restored, and a new change for everyone else).
 */
import * as Y from 'yjs';
import {
	diffBoards,
	readBoard,
	restoreCheckpoint,
	writerOf,
	type BoardDiff,
	type BoardSnapshot,
	type Change,
	type ItemType,
	type RestoreScope
} from '$lib/model/index.ts';
import type { AuthorInfo, CheckpointInfo, CheckpointsClient } from '$lib/sync/checkpoints-api.ts';
import type { BoardState } from './board.svelte.ts';
import { describeChange, markOf, namesOf, type Names } from './compare.ts';
import { ReplayState } from './replay.svelte.ts';

export type { CheckpointInfo };

export type HistoryEntry =
	| { kind: 'named'; checkpoint: CheckpointInfo }
	/** A run of automatic checkpoints between two named ones, shown folded. */
	| { kind: 'auto'; id: string; checkpoints: CheckpointInfo[] };

export interface ComparedChange {
	change: Change;
	text: string;
	/** Who made it, when the relay knows (never for a removal). */
	by: string | null;
	/** The lane that restoring puts this back in: the lane itself, or the lane a card left. */
	lane: { id: string; name: string } | null;
}

export interface Comparison {
	from: CheckpointInfo;
	/** Null: the board as it is now. */
	to: CheckpointInfo | null;
	groups: { program: { id: string; name: string } | null; changes: ComparedChange[] }[];
	counts: BoardDiff['counts'];
	total: number;
}

interface Loaded {
	info: CheckpointInfo;
	doc: Y.Doc;
	snapshot: BoardSnapshot;
}

/** Folds every run of automatic checkpoints into one entry. */
export function foldHistory(checkpoints: readonly CheckpointInfo[]): HistoryEntry[] {
	const out: HistoryEntry[] = [];
	for (const checkpoint of checkpoints) {
		const last = out.at(-1);
		if (checkpoint.kind === 'named') out.push({ kind: 'named', checkpoint });
		else if (last?.kind === 'auto') last.checkpoints.push(checkpoint);
		else out.push({ kind: 'auto', id: `auto-${checkpoint.id}`, checkpoints: [checkpoint] });
	}
	return out;
}

/** The lane a restore of `change` would act on. */
function laneOf(change: Change, names: Names): { id: string; name: string } | null {
	if (change.type === 'lane') return { id: change.id, name: names.lane(change.id) };
	if (change.type === 'card' && change.kind === 'moved') {
		return { id: change.from.lane, name: names.lane(change.from.lane) };
	}
	return null;
}

export class CheckpointsState {
	readonly #board: BoardState;
	readonly #client: CheckpointsClient;
	#checkpoints = $state.raw<CheckpointInfo[]>([]);
	#loaded = $state.raw(false);
	#busy = $state.raw(false);
	#error = $state.raw<string | null>(null);
	#open = $state.raw(false);
	#from = $state.raw<Loaded | null>(null);
	#to = $state.raw<Loaded | null>(null);
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- replaced whole, never mutated
	#authors = $state.raw<ReadonlyMap<number, string>>(new Map());
	#marking = $state.raw(false);
	/** Each checkpoint's doc, read once. */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a cache, nothing renders it
	#docs = new Map<string, Promise<Y.Doc>>();

	/** The board at any moment of a period, read-only (replay.svelte.ts). */
	readonly replay: ReplayState;

	constructor(opts: { board: BoardState; client: CheckpointsClient }) {
		this.#board = opts.board;
		this.#client = opts.client;
		this.replay = new ReplayState({ client: opts.client });
	}

	get open(): boolean {
		return this.#open;
	}

	/** Opens or closes the panel; opening fetches the list afresh. */
	toggle(open = !this.#open): void {
		this.#open = open;
		if (open) void this.refresh();
	}

	get checkpoints(): CheckpointInfo[] {
		return this.#checkpoints;
	}

	get entries(): HistoryEntry[] {
		return foldHistory(this.#checkpoints);
	}

	get loaded(): boolean {
		return this.#loaded;
	}

	get busy(): boolean {
		return this.#busy;
	}

	get error(): string | null {
		return this.#error;
	}

	/** Editors and owners save and restore; viewers look and compare. */
	get canEdit(): boolean {
		return this.#board.role !== 'viewer' && !this.#board.readOnly;
	}

	async refresh(): Promise<void> {
		await this.#attempt('The history could not be loaded', async () => {
			this.#checkpoints = await this.#client.list();
			this.#loaded = true;
		});
	}

	/** Saves the board as it is now under `name`; resolves to whether it was saved. */
	async save(name: string): Promise<boolean> {
		const trimmed = name.trim();
		if (!trimmed) {
			this.#error = 'Give the checkpoint a name.';
			return false;
		}
		return this.#attempt('The checkpoint could not be saved', async () => {
			const authorName = this.#board.presence.displayName;
			const saved = await this.#client.save({ name: trimmed, authorName });
			this.#checkpoints = [saved, ...this.#checkpoints.filter((c) => c.id !== saved.id)];
			this.#board.announce(`Checkpoint “${saved.name}” saved`);
		});
	}

	/** Compares checkpoint `fromId` with `toId`, or with the board as it is now (null). */
	async compare(fromId: string, toId: string | null = null): Promise<void> {
		await this.#attempt('That checkpoint could not be loaded', async () => {
			const [from, to, authors] = await Promise.all([
				this.#load(fromId),
				toId === null ? null : this.#load(toId),
				this.#client.authors()
			]);
			// eslint-disable-next-line svelte/prefer-svelte-reactivity -- replaced whole, never mutated
			this.#authors = new Map(
				authors.filter((a: AuthorInfo) => a.name).map((a) => [a.clientId, a.name])
			);
			this.#from = from;
			this.#to = to;
			if (to !== null) this.#marking = false;
		});
	}

	closeCompare(): void {
		this.#from = null;
		this.#to = null;
		this.#marking = false;
	}

	/** What changed from the compared checkpoint to the other (or to now, kept up to date). */
	readonly comparison = $derived.by((): Comparison | null => {
		const from = this.#from;
		if (!from) return null;
		const to = this.#to;
		const after = to?.snapshot ?? this.#board.snapshot;
		const diff = diffBoards(from.snapshot, after);
		const names = namesOf(from.snapshot, after);
		const writer = (change: Change) =>
			to ? writerOf(to.doc, change) : this.#board.read((doc) => writerOf(doc, change));
		return {
			from: from.info,
			to: to?.info ?? null,
			counts: diff.counts,
			total: diff.total,
			groups: diff.groups.map((group) => ({
				program: group.program,
				changes: group.changes.map((change) => {
					const client = writer(change);
					return {
						change,
						text: describeChange(change, names),
						by: client === null ? null : (this.#authors.get(client) ?? null),
						lane: laneOf(change, names)
					};
				})
			}))
		};
	});

	/** Compare mode: the board marks what changed since the checkpoint compared with now. */
	get marking(): boolean {
		return this.#marking && this.#from !== null && this.#to === null;
	}

	/** The checkpoint compare mode marks changes since, while it is on. */
	get markingSince(): CheckpointInfo | null {
		return this.marking ? (this.#from?.info ?? null) : null;
	}

	setMarking(on: boolean): void {
		this.#marking = on && this.#from !== null && this.#to === null;
	}

	readonly #marks = $derived.by((): ReadonlyMap<string, string> => {
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- built once per derivation
		const marks = new Map<string, string>();
		const from = this.#from;
		if (!this.#marking || !from || this.#to) return marks;
		const names = namesOf(from.snapshot, this.#board.snapshot);
		for (const group of diffBoards(from.snapshot, this.#board.snapshot).groups) {
			for (const change of group.changes) {
				const mark = markOf(change, names);
				if (!mark) continue;
				const key = `${change.type}:${change.id}`;
				const had = marks.get(key);
				marks.set(key, had ? `${had} · ${mark}` : mark);
			}
		}
		return marks;
	});

	/** The compare-mode mark for one item on the board, or null. */
	markFor(type: ItemType, id: string): string | null {
		return this.#marks.get(`${type}:${id}`) ?? null;
	}

	/**
	 * Restores the whole board, a program or a lane to the checkpoint compared with now: a new
	 * change everyone sees, which the person who made it can undo.
	 */
	restore(scope: RestoreScope): boolean {
		const from = this.#from;
		if (!from || this.#to || !this.canEdit) return false;
		const done = this.#board.run(restoreCheckpoint, { from: from.doc, scope });
		if (!done) return false;
		const what =
			scope.kind === 'board' ? 'The board' : scope.kind === 'program' ? 'A program' : 'A lane';
		this.#board.announce(`${what} was restored to “${from.info.name}”`);
		return true;
	}

	/** Renames a checkpoint (an automatic one becomes named); resolves to whether it was. */
	async rename(id: string, name: string): Promise<boolean> {
		const trimmed = name.trim();
		if (!trimmed) {
			this.#error = 'Give the checkpoint a name.';
			return false;
		}
		return this.#attempt('The checkpoint could not be renamed', async () => {
			const renamed = await this.#client.rename(id, trimmed);
			this.#checkpoints = this.#checkpoints.map((c) => (c.id === id ? renamed : c));
			if (this.#from?.info.id === id) this.#from = { ...this.#from, info: renamed };
			if (this.#to?.info.id === id) this.#to = { ...this.#to, info: renamed };
			this.#board.announce(`Checkpoint renamed “${renamed.name}”`);
		});
	}

	/** Deletes a checkpoint for everyone (a comparison with it closes). */
	async remove(id: string): Promise<boolean> {
		const info = this.#checkpoints.find((c) => c.id === id);
		return this.#attempt('The checkpoint could not be deleted', async () => {
			await this.#client.remove(id);
			this.#checkpoints = this.#checkpoints.filter((c) => c.id !== id);
			if (this.#from?.info.id === id || this.#to?.info.id === id) this.closeCompare();
			void this.#docs.get(id)?.then(
				(doc) => doc.destroy(),
				() => {}
			);
			this.#docs.delete(id);
			this.#board.announce(`Checkpoint “${info?.name ?? ''}” deleted`);
		});
	}

	destroy(): void {
		this.replay.close();
		for (const loading of this.#docs.values())
			void loading.then(
				(doc) => doc.destroy(),
				() => {}
			);
		this.#docs.clear();
	}

	async #load(id: string): Promise<Loaded> {
		const info = this.#checkpoints.find((c) => c.id === id);
		if (!info) throw new Error('no such checkpoint');
		let loading = this.#docs.get(id);
		if (!loading) {
			loading = this.#client.state(id).then((state) => {
				const doc = new Y.Doc();
				Y.applyUpdate(doc, state);
				return doc;
			});
			this.#docs.set(id, loading);
			loading.catch(() => this.#docs.delete(id));
		}
		const doc = await loading;
		return { info, doc, snapshot: readBoard(doc) };
	}

	async #attempt(what: string, fn: () => Promise<void>): Promise<boolean> {
		this.#busy = true;
		try {
			await fn();
			this.#error = null;
			return true;
		} catch (failure) {
			this.#error = `${what}: ${(failure as Error).message}`;
			return false;
		} finally {
			this.#busy = false;
		}
	}
}
