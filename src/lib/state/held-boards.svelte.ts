/**
 * The home page's "Your boards": the boards this browser holds a link for, newest visit first.
 * Each link is checked with the server: titles are refreshed, and a link that no longer opens its
 * board (revoked, expired, board deleted) gets the problem to show, so it can be forgotten. The
 * component renders this; the boards API, the held links and the browser's copies stay here.
 */
import { accessProblem, type AccessProblem } from '$lib/sync/board-access.ts';
import { getBoard, type Fetch } from '$lib/sync/boards-api.ts';
import { heldLinks, holdLink, type HeldLink } from '$lib/sync/links.ts';
import { forgetBoardHere } from './board-keeping.ts';

export type { AccessProblem, HeldLink };

/** The links this browser holds, for the page's load function (no network). */
export function loadHeldLinks(): HeldLink[] {
	return heldLinks();
}

export class HeldBoards {
	/** The links as loaded: what `check` asks about (not reactive, so checking never re-runs it). */
	readonly #held: readonly HeldLink[];
	#links = $state.raw<HeldLink[]>([]);
	#problems = $state.raw<Record<string, AccessProblem>>({});

	constructor(links: HeldLink[]) {
		this.#held = links;
		this.#links = links;
	}

	get links(): HeldLink[] {
		return this.#links;
	}

	/** Why a held link opens nothing, or undefined while it works (or has not answered yet). */
	problem(boardId: string): AccessProblem | undefined {
		return this.#problems[boardId];
	}

	/**
	 * Asks the server about every link. Returns a function that stops listening to the answers
	 * (for an effect's teardown).
	 */
	check(fetch: Fetch = globalThis.fetch): () => void {
		let cancelled = false;
		for (const link of this.#held) {
			getBoard({ fetch, id: link.boardId, token: link.token }).then(
				(board) => {
					if (cancelled || board.title === link.title) return;
					const kept = holdLink({ ...link, title: board.title });
					this.#links = this.#links.map((l) => (l.boardId === kept.boardId ? kept : l));
				},
				(failure: unknown) => {
					const problem = accessProblem(failure);
					if (!cancelled && problem)
						this.#problems = { ...this.#problems, [link.boardId]: problem };
				}
			);
		}
		return () => (cancelled = true);
	}

	/** Forgets a dead link and this browser's copy of its board (a shared computer keeps nothing). */
	async forget(boardId: string): Promise<void> {
		await forgetBoardHere(boardId);
		this.#links = this.#links.filter((l) => l.boardId !== boardId);
	}
}
