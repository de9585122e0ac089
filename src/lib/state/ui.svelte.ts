/**
 * What one person's screen shows that is nobody else's business: which programs are collapsed,
 * which detail panel is open, what is waiting for a confirmation.
 * Kept out of the document on purpose: collapsing a program must not collapse it for the room.
 */
import { SvelteSet } from 'svelte/reactivity';
import { DropIndicator } from './drop-indicator.svelte.ts';

export type DetailTarget = { kind: 'lane' | 'program' | 'card'; id: string };

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
	/** Where a drag on this screen would land, shown by the target under the pointer. */
	readonly drop = new DropIndicator();

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

	get confirm(): ConfirmRequest | null {
		return this.#confirm;
	}

	/** Ask before a delete that takes children with it; run `onconfirm` only on a yes. */
	ask(request: ConfirmRequest | null): void {
		this.#confirm = request;
	}
}
