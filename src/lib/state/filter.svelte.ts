/**
 * This screen's filter: personal (nobody else's board changes), carried in the page's query
 * string so it can be shared as a link. The items ask `excludes(kind, id)` and dim or hide.
 */
import type { BoardSnapshot } from '$lib/model/index.ts';
import {
	criteriaFromParams,
	criteriaToParams,
	filterBoard,
	isFiltering,
	NO_FILTER,
	type FilterCriteria,
	type FilterMatch
} from './find.ts';

export class BoardFilter {
	#criteria = $state.raw<FilterCriteria>(NO_FILTER);
	/** Hide what does not match instead of dimming it. */
	#hide = $state(false);
	readonly #snapshot: () => BoardSnapshot;

	constructor(snapshot: () => BoardSnapshot) {
		this.#snapshot = snapshot;
	}

	get criteria(): FilterCriteria {
		return this.#criteria;
	}

	get hide(): boolean {
		return this.#hide;
	}

	get active(): boolean {
		return isFiltering(this.#criteria);
	}

	/** What matches, recomputed when the board or the criteria change; null when not filtering. */
	readonly match: FilterMatch | null = $derived.by(() =>
		this.active ? filterBoard(this.#snapshot(), this.#criteria) : null
	);

	/** Whether the filter leaves this item out (only programs, lanes and cards are filtered). */
	excludes(kind: string, id: string): boolean {
		const match = this.match;
		if (!match) return false;
		if (kind === 'program') return !match.programs.has(id);
		if (kind === 'lane') return !match.lanes.has(id);
		if (kind === 'card') return !match.cards.has(id);
		return false;
	}

	set(patch: Partial<FilterCriteria>): void {
		this.#criteria = { ...this.#criteria, ...patch };
	}

	setHide(hide: boolean): void {
		this.#hide = hide;
	}

	clear(): void {
		this.#criteria = NO_FILTER;
		this.#hide = false;
	}

	/** Takes the filter a shared link carries. */
	fromParams(params: URLSearchParams): void {
		this.#criteria = criteriaFromParams(params);
		this.#hide = params.get('hide') === '1';
	}

	/** The query string that carries this filter, keeping `params`' other entries. */
	toParams(params: URLSearchParams): URLSearchParams {
		return criteriaToParams(this.#criteria, this.#hide, params);
	}
}
