/**
 * This screen's risk dialogs: the risk form (a new risk, perhaps already aimed at the item whose
 * menu opened it, or an existing risk's details) and which objectives list is open. Nobody
 * else's business, like the rest of BoardUi.
 */
import { SvelteSet } from 'svelte/reactivity';
import { ItemMarks } from './item-marks.svelte.ts';
import type { ThreatRef } from './risks.ts';

export type RiskFormTarget = { riskId: string } | { riskId: null; threatens: ThreatRef | null };

export class RoamUi {
	#form = $state.raw<RiskFormTarget | null>(null);
	#objectives = new SvelteSet<string>();
	/** Risk counts and objective tags per item, kept up to date by RiskLayer. */
	readonly marks = new ItemMarks();

	get form(): RiskFormTarget | null {
		return this.#form;
	}

	/** "Add risk…" (with what it threatens, from an item's menu) or a risk's "Details…". */
	openForm(target: RiskFormTarget | null): void {
		this.#form = target;
	}

	/** A program's objectives list is shown (its header always shows the brief). */
	objectivesOpen(programId: string): boolean {
		return this.#objectives.has(programId);
	}

	toggleObjectives(programId: string): void {
		if (!this.#objectives.delete(programId)) this.#objectives.add(programId);
	}
}
