/**
 * What every item on the board (program, lane, period, card) is besides its own fields: lifted
 * by the keyboard, dragged, edited, marked by other people, where a drag over it would land,
 * and the Move… part of its ⋯ menu. One class, so the four item components only render it
 * (bits-ui's thin components over state classes) and a fix here is a fix for all four.
 */
import type { BoardState } from './board.svelte.ts';
import { dropKey, type Shown } from './drop-indicator.svelte.ts';
import type { MenuEntry } from './menu-entry.ts';
import { moveOptions, type ItemKind } from './moves.ts';
import type { Mark } from './presence.svelte.ts';
import type { BoardUi } from './ui.svelte.ts';

export class BoardItem {
	/** This screen is editing the item's name. */
	editing = $state(false);
	/** This screen is dragging the item with the pointer. */
	dragging = $state(false);

	readonly kind: ItemKind;
	readonly #board: () => BoardState;
	readonly #ui: BoardUi;
	readonly #id: () => string;
	readonly #aftermove: () => void;

	/**
	 * Call during a component's initialisation: it starts the effect that tells the others what
	 * this screen does with the item. `id` is a getter, so a reused component follows its item.
	 */
	constructor(opts: {
		board: () => BoardState;
		ui: BoardUi;
		kind: ItemKind;
		id: () => string;
		/** After a move from the menu, e.g. putting focus back on the item's menu button. */
		aftermove?: () => void;
	}) {
		this.kind = opts.kind;
		this.#board = opts.board;
		this.#ui = opts.ui;
		this.#id = opts.id;
		this.#aftermove = opts.aftermove ?? (() => {});
		$effect(() =>
			this.#board().presence.intent(
				{ kind: this.kind, id: this.#id() },
				{ editing: this.editing, dragging: this.dragging || this.lifted }
			)
		);
	}

	get id(): string {
		return this.#id();
	}

	/** Picked up with the keyboard (Space), moving with the arrows. */
	readonly lifted = $derived.by(() => this.#board().lift.isLifted(this.kind, this.#id()));

	/** Who else has it selected, is editing or moving it; the first one outlines it. */
	readonly marks: Mark[] = $derived.by(() =>
		this.#board().presence.marksFor(this.kind, this.#id())
	);

	/** Where something dragged over it would land (dnd.ts writes it from the drop's hit test). */
	readonly drop: Shown | null = $derived.by(() =>
		this.#ui.drop.at(dropKey({ kind: this.kind, id: this.#id() }))
	);

	/** This person's filter leaves it out: it is dimmed, or hidden (find.ts). */
	readonly filteredOut: boolean = $derived.by(() =>
		this.#ui.filter.excludes(this.kind, this.#id())
	);

	/** The ⋯ menu: every move the board allows from here, Rename, then the item's own entries. */
	menu(group: string, own: MenuEntry[]): MenuEntry[] {
		const board = this.#board();
		const moves = moveOptions(board.snapshot, this.kind, this.#id()).map((option) => ({
			label: option.label,
			group: option.group === 'Position' ? 'Move' : `Move to ${option.group.toLowerCase()}`,
			onselect: () => {
				board.move(option.move);
				this.#aftermove();
			}
		}));
		return [...moves, { label: 'Rename', group, onselect: () => (this.editing = true) }, ...own];
	}
}
