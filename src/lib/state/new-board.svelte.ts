/**
 * The home page's "Start a new board" form: what is typed or chosen, whether the server is being
 * asked, and what it said. Creating the board (from a template or an imported board file) and
 * keeping its owner link happen here, so the form component only renders this and navigates.
 */
import { createBoard, importBoardFile, type BoardTemplate } from '$lib/sync/boards-api.ts';
import { holdLink } from '$lib/sync/links.ts';

export type { BoardTemplate };

/** A template, or `file`: a board file (an export's JSON) imported as the new board. */
export type NewBoardSource = BoardTemplate | 'file';

export class NewBoard {
	title = $state('');
	template = $state<NewBoardSource>('sample');
	/** The board file to import when `template` is `file`. */
	file = $state.raw<File | null>(null);
	#pending = $state(false);
	#error = $state<string | null>(null);

	get pending(): boolean {
		return this.#pending;
	}

	get error(): string | null {
		return this.#error;
	}

	async #fromFile(): Promise<Awaited<ReturnType<typeof importBoardFile>>> {
		const chosen = this.file;
		if (!chosen) throw new Error('choose the board file to import');
		let json: unknown;
		try {
			json = JSON.parse(await chosen.text());
		} catch {
			throw new Error(`${chosen.name} is not a Railyard board file (it is not JSON)`);
		}
		return importBoardFile({ fetch, file: json });
	}

	/** Creates the board and keeps its owner link; its id, or null when it failed (see `error`). */
	async create(): Promise<string | null> {
		this.#pending = true;
		this.#error = null;
		try {
			const board =
				this.template === 'file'
					? await this.#fromFile()
					: await createBoard({
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
