/**
 * Keyboard pick-up, the non-drag path for every drag (WCAG 2.5.7): Space lifts the focused
 * item, arrows move it (each step a real move, seen live by everyone, announced), Space drops
 * it, Escape puts it back where it was lifted from.
 */
import type { BoardState } from './board.svelte.ts';
import {
	currentPlace,
	describePlace,
	step,
	type Direction,
	type ItemKind,
	type Move
} from './moves.ts';

export interface Lifted {
	kind: ItemKind;
	id: string;
	/** Where it was when lifted: Escape moves it back there. */
	from: Move;
}

export class KeyboardLift {
	#board: BoardState;
	#lifted = $state.raw<Lifted | null>(null);

	constructor(board: BoardState) {
		this.#board = board;
	}

	get lifted(): Lifted | null {
		return this.#lifted;
	}

	isLifted(kind: ItemKind, id: string): boolean {
		return this.#lifted?.kind === kind && this.#lifted.id === id;
	}

	#place(kind: ItemKind, id: string): string {
		const place = describePlace(this.#board.snapshot, kind, id);
		return place ? `${place.name}, ${place.where}` : '';
	}

	lift(kind: ItemKind, id: string): void {
		if (this.#board.readOnly) return;
		const from = currentPlace(this.#board.snapshot, kind, id);
		if (!from) return;
		this.#lifted = { kind, id, from };
		const keys =
			kind === 'period'
				? 'Left and Right arrows'
				: kind === 'card' || kind === 'risk'
					? 'arrow keys'
					: 'Up and Down arrows';
		this.#board.announce(
			`Lifted ${this.#place(kind, id)}. Use the ${keys} to move, Space to drop, Escape to cancel.`
		);
	}

	/** One arrow key: moves the lifted item one place, or says it cannot go further. */
	step(direction: Direction): void {
		const lifted = this.#lifted;
		if (!lifted) return;
		const move = step(this.#board.snapshot, lifted.kind, lifted.id, direction);
		if (!move) {
			this.#board.announce(`Cannot move further. ${this.#place(lifted.kind, lifted.id)}.`);
			return;
		}
		// Someone may have deleted it meanwhile; then there is nothing left to carry.
		if (!this.#board.move(move)) this.#lifted = null;
	}

	drop(): void {
		const lifted = this.#lifted;
		if (!lifted) return;
		this.#lifted = null;
		const place = describePlace(this.#board.snapshot, lifted.kind, lifted.id);
		if (place) this.#board.announce(`${place.name} dropped at ${place.where}.`);
	}

	cancel(): void {
		const lifted = this.#lifted;
		if (!lifted) return;
		this.#lifted = null;
		this.#board.move(lifted.from, { announce: false });
		const place = describePlace(this.#board.snapshot, lifted.kind, lifted.id);
		if (place) this.#board.announce(`Move cancelled. ${place.name} is back at ${place.where}.`);
	}
}
