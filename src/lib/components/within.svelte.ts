/**
 * Whether the pointer or the focus is inside an element, for building a control only where
 * someone is about to use it (a card's empty chips and connector, a cell's capacity chip): a
 * big board has 5,000 cards and 3,600 cells, and a control on each costs seconds to build.
 * The handlers go on the element as delegated events (pointerover/out, focusin/out), so an
 * element that is never hovered or focused costs nothing more than four properties.
 */
export class Within {
	#pointer = $state(false);
	#focus = $state(false);

	get on(): boolean {
		return this.#pointer || this.#focus;
	}

	enter = (): void => {
		this.#pointer = true;
	};

	leave = (event: PointerEvent): void => {
		// A finger lifting fires pointerout before its tap's click: on touch, what a tap built stays
		// (else the chip it reveals would go before the tap could reach it).
		if (event.pointerType !== 'mouse') return;
		if (!inside(event)) this.#pointer = false;
	};

	focus = (): void => {
		this.#focus = true;
	};

	blur = (event: FocusEvent): void => {
		if (inside(event)) return;
		const element = event.currentTarget as Element;
		if (event.relatedTarget) {
			this.#focus = false;
			return;
		}
		// Focus going nowhere is often a control inside being swapped (a chip for its field,
		// which takes the focus a moment later): look again once that is done.
		setTimeout(() => {
			if (!element.contains(document.activeElement)) this.#focus = false;
		});
	};
}

/** Whether the event goes to somewhere still inside the element it is heard on. */
function inside(event: PointerEvent | FocusEvent): boolean {
	const to = event.relatedTarget;
	return to instanceof Node && (event.currentTarget as Node).contains(to);
}
