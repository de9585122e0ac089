/**
 * This screen's view of dependencies and load, none of it shared: which lines to draw (all /
 * problems / none, remembered per person), the selected line and card, the "Depends on…"
 * picker, the dependency list, and the preview of a drag in progress. The others see only the
 * usual "X is moving this" (presence), never this preview.
 */
import { untrack } from 'svelte';
import type { Load, Preview } from '$lib/model/index.ts';
import type { BoardState } from './board.svelte.ts';
import { DependencyLines } from './dependency-lines.svelte.ts';
import { moveForDrop, type DragData, type DropData, type Edge } from './drop.ts';
import { LINE_FILTERS, type LineFilter } from './dependency-view.ts';
import { KeyBuckets } from './mark-buckets.svelte.ts';
import type { KeyValueStore } from './presence.svelte.ts';
import type { BoardUi } from './ui.svelte.ts';

const FILTER_KEY = 'railyard:dependency-lines';

function readFilter(storage: KeyValueStore | undefined): LineFilter {
	try {
		const value = storage?.getItem(FILTER_KEY);
		return (LINE_FILTERS as readonly string[]).includes(value ?? '')
			? (value as LineFilter)
			: 'problems';
	} catch {
		return 'problems';
	}
}

export class PlanningUi {
	#storage: KeyValueStore | undefined;
	#filter = $state.raw<LineFilter>('problems');
	/** The dependency line selected (clicked or focused): Delete removes it. */
	selectedLine = $state.raw<string | null>(null);
	/** The card whose dependencies are shown whatever the filter (focused or opened). */
	selectedCard = $state.raw<string | null>(null);
	/** The card whose "Depends on…" picker is open. */
	pickerFor = $state.raw<string | null>(null);
	/** The dependency list view is open. */
	listOpen = $state(false);
	#preview = $state.raw<Preview | null>(null);
	/** The cells and program rows a preview changes, tracked per key (cellPreview). */
	#loads = new KeyBuckets();

	/** What the drag in progress on this screen would change, until it drops or is cancelled. */
	get preview(): Preview | null {
		return this.#preview;
	}

	set preview(next: Preview | null) {
		const before = this.#preview;
		if (next === before) return;
		this.#preview = next;
		// Only the cells and program rows whose previewed load changed read again: a drag over
		// the big board touches a handful of its 3,600 cells at each step, not all of them.
		for (const [kind, key] of changedLoads(before, next)) this.#loads.touch(`${kind}:${key}`);
	}

	/** The load a lane × period cell would have if the drag in progress dropped, or null. */
	cellPreview(laneId: string, periodId: string): Load | null {
		const key = `${laneId}/${periodId}`;
		this.#loads.track(`cells:${key}`);
		// Untracked: the key's bucket says when this cell's preview changed, not every preview.
		return untrack(() => this.#preview)?.cells[key] ?? null;
	}

	/** The same for a program's roll-up in a period. */
	programPreview(programId: string, periodId: string): Load | null {
		const key = `${programId}/${periodId}`;
		this.#loads.track(`programs:${key}`);
		return untrack(() => this.#preview)?.programs[key] ?? null;
	}

	/** The lines to draw and where each card is: one instance for every component. */
	readonly lines: DependencyLines;

	constructor(opts: { board: () => BoardState; ui: BoardUi; storage?: KeyValueStore }) {
		this.#storage = opts.storage;
		this.#filter = readFilter(opts.storage);
		this.lines = new DependencyLines({ board: opts.board, ui: opts.ui, planning: this });
	}

	get filter(): LineFilter {
		return this.#filter;
	}

	set filter(value: LineFilter) {
		this.#filter = value;
		try {
			this.#storage?.setItem(FILTER_KEY, value);
		} catch {
			// A browser that refuses storage still switches, for this visit.
		}
	}

	/**
	 * The preview for a drag over `target` (the drop's own hit test, so it previews exactly
	 * what the drop would do); cleared when the drag leaves every target.
	 */
	previewDrop(
		board: BoardState,
		drag: DragData | null,
		target: Record<string | symbol, unknown> | null,
		edge: Edge | null
	): void {
		const move =
			drag && target ? moveForDrop(board.snapshot, drag, target as DropData, edge) : null;
		if (!move || move.kind === 'program') {
			this.preview = null;
			return;
		}
		const planned =
			move.kind === 'card'
				? { kind: 'card' as const, id: move.id, laneId: move.laneId, periodId: move.periodId }
				: move.kind === 'lane'
					? { kind: 'lane' as const, id: move.id, programId: move.programId }
					: { kind: 'period' as const, id: move.id, index: move.index };
		const next = board.preview(planned);
		const empty =
			!Object.keys(next.dependencies).length &&
			!Object.keys(next.cells).length &&
			!Object.keys(next.programs).length;
		this.preview = empty ? null : next;
	}
}

/** The keys of the cells and program rows whose previewed load differs between two previews. */
function changedLoads(
	before: Preview | null,
	after: Preview | null
): ['cells' | 'programs', string][] {
	const out: ['cells' | 'programs', string][] = [];
	for (const kind of ['cells', 'programs'] as const) {
		const a = before?.[kind] ?? {};
		const b = after?.[kind] ?? {};
		for (const key of Object.keys(a)) if (!sameLoad(a[key], b[key])) out.push([kind, key]);
		for (const key of Object.keys(b)) if (!(key in a)) out.push([kind, key]);
	}
	return out;
}

function sameLoad(a: Load | undefined, b: Load | undefined): boolean {
	return (
		a === b ||
		(!!a &&
			!!b &&
			a.load === b.load &&
			a.capacity === b.capacity &&
			a.percent === b.percent &&
			a.over === b.over)
	);
}
