/**
 * What one person's screen shows that is nobody else's business: which programs are collapsed,
 * which detail panel is open, what is waiting for a confirmation.
 * Kept out of the document on purpose: collapsing a program must not collapse it for the room.
 */
import { SvelteSet } from 'svelte/reactivity';
import type { BoardSnapshot } from '$lib/model/index.ts';
import { DropIndicator } from './drop-indicator.svelte.ts';
import { BoardFilter } from './filter.svelte.ts';
import { RoamUi } from './roam-ui.svelte.ts';

export type DetailTarget = { kind: 'lane' | 'program' | 'objective' | 'card'; id: string };

export interface ConfirmRequest {
	title: string;
	message: string;
	confirmLabel: string;
	onconfirm: () => void;
}

export class BoardUi {
	#collapsed = new SvelteSet<string>();
	#detail = $state.raw<DetailTarget | null>(null);
	#confirm = $state.raw<ConfirmRequest | null>(null);
	#presenting = $state(false);
	#facilitating = $state(false);
	/** Where a drag on this screen would land, shown by the target under the pointer. */
	readonly drop = new DropIndicator();
	/** The risk form and the open objectives lists (issue 12). */
	readonly roam = new RoamUi();
	/** What this person has filtered the board to (find.ts). */
	readonly filter: BoardFilter;

	constructor(snapshot: () => BoardSnapshot) {
		this.filter = new BoardFilter(snapshot);
	}

	isCollapsed(programId: string): boolean {
		return this.#collapsed.has(programId);
	}

	toggleCollapsed(programId: string): void {
		if (!this.#collapsed.delete(programId)) this.#collapsed.add(programId);
	}

	get detail(): DetailTarget | null {
		return this.#detail;
	}

	openDetail(target: DetailTarget | null): void {
		this.#detail = target;
	}

	/** Presentation mode, chosen on this screen (following a presenter also shows it). */
	get presenting(): boolean {
		return this.#presenting;
	}

	present(on: boolean): void {
		this.#presenting = on;
	}

	/** The facilitator bar is open (for those who may facilitate; the relay checks the rest). */
	get facilitating(): boolean {
		return this.#facilitating;
	}

	facilitate(on: boolean): void {
		this.#facilitating = on;
	}

	get confirm(): ConfirmRequest | null {
		return this.#confirm;
	}

	/** Ask before a delete that takes children with it; run `onconfirm` only on a yes. */
	ask(request: ConfirmRequest | null): void {
		this.#confirm = request;
	}
}
