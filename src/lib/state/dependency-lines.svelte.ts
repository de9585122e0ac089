/**
 * What the dependency overlay draws, derived once per change: the lines the filter shows (with
 * a drag's preview health), the cards they join (what the overlay measures), and each card's
 * program (where a line ends when its card is collapsed out of view).
 */
import { deleteDependency } from '$lib/model/index.ts';
import type { BoardState } from './board.svelte.ts';
import { cardPlaces, visibleLines, type CardPlace, type Line } from './dependency-view.ts';
import type { PlanningUi } from './planning-ui.svelte.ts';
import type { BoardUi } from './ui.svelte.ts';

export class DependencyLines {
	readonly #board: () => BoardState;
	readonly #ui: BoardUi;
	readonly #planning: PlanningUi;

	constructor(opts: { board: () => BoardState; ui: BoardUi; planning: PlanningUi }) {
		this.#board = opts.board;
		this.#ui = opts.ui;
		this.#planning = opts.planning;
	}

	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- the last places, compared only
	#places = new Map<string, CardPlace>();

	/** Every card on the board and where it sits, rebuilt per snapshot from the last one. */
	readonly places: Map<string, CardPlace> = $derived.by(
		() => (this.#places = cardPlaces(this.#board().snapshot, this.#places))
	);

	/** The card whose lines show whatever the filter: the open card, else the focused one. */
	readonly card: string | null = $derived.by(() => {
		const detail = this.#ui.detail;
		return detail?.kind === 'card' ? detail.id : this.#planning.selectedCard;
	});

	readonly lines: Line[] = $derived.by(() =>
		visibleLines(this.#board().dependencies, {
			filter: this.#planning.filter,
			places: this.places,
			card: this.card,
			selected: this.#planning.selectedLine,
			preview: this.#planning.preview
		})
	);

	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- compared, never rendered
	#cards: ReadonlySet<string> = new Set();

	/**
	 * The cards at either end of a drawn line: the same object while the set is the same, so a
	 * drag preview recolouring lines does not make the overlay measure again.
	 */
	readonly cards: ReadonlySet<string> = $derived.by(() => {
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a fresh value per derivation
		const ids = new Set<string>();
		for (const { dep } of this.lines) {
			ids.add(dep.pos.from);
			ids.add(dep.pos.to);
		}
		const before = this.#cards;
		if (ids.size === before.size && [...ids].every((id) => before.has(id))) return before;
		return (this.#cards = ids);
	});

	/** Each card's program: read once per measure of the overlay, looked up per card. */
	get programOf(): (cardId: string) => string | undefined {
		const places = this.places;
		return (cardId) => places.get(cardId)?.programId;
	}

	get selected(): string | null {
		return this.#planning.selectedLine;
	}

	select(id: string | null): void {
		this.#planning.selectedLine = id;
	}

	/** Removes a dependency and says so; the line goes on every screen. */
	remove(line: Line): void {
		const board = this.#board();
		board.run(deleteDependency, { id: line.dep.id });
		if (board.error) return;
		if (this.#planning.selectedLine === line.dep.id) this.#planning.selectedLine = null;
		const from = this.places.get(line.dep.pos.from)?.title ?? 'a card';
		const to = this.places.get(line.dep.pos.to)?.title ?? 'a card';
		board.announce(`Dependency removed: ${to} no longer needs ${from}.`);
	}
}
