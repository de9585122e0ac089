/**
 * The home page's "Start a new board" form: what is typed, whether the server is being asked,
 * and what it said. Creating the board and keeping its owner link happen here, so the form
 * component only renders this and navigates.
 */
import { createBoard, type BoardTemplate } from '$lib/sync/boards-api.ts';
import { holdLink } from '$lib/sync/links.ts';

export type { BoardTemplate };

export class NewBoard {
	title = $state('');
	template = $state<BoardTemplate>('sample');
	#pending = $state(false);
	#error = $state<string | null>(null);

	get pending(): boolean {
		return this.#pending;
	}

	get error(): string | null {
		return this.#error;
	}

	/** Creates the board and keeps its owner link; its id, or null when it failed (see `error`). */
	async create(): Promise<string | null> {
		this.#pending = true;
		this.#error = null;
		try {
			const board = await createBoard({
				fetch,
				title: this.title.trim() || undefined,
				template: this.template
			});
			// The owner link is the only way back into a private board: keep it before anything else.
			const { token } = board.owner;
			holdLink({ boardId: board.id, token, role: 'owner', title: board.title, seenAt: Date.now() });
			return board.id;
		} catch (cause) {
			this.#error = cause instanceof Error ? cause.message : String(cause);
			this.#pending = false;
			return null;
		}
	}
}
