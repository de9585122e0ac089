/**
 * Per-person undo and redo for one board. A Y.UndoManager over every collection and the title
 * that tracks only this person's own transactions (`local`, and `restore`: a checkpoint they
 * restored is undone in one step): what arrives from the network (origin: the provider) is
 * never captured, so undo takes back your own changes and leaves everyone else's in place — even
 * a later change someone else made to the same record survives your undo of yours.
 */
import * as Y from 'yjs';
import { COLLECTIONS, LOCAL, RESTORE } from '$lib/model/index.ts';

export class History {
	#manager: Y.UndoManager;
	#canUndo = $state.raw(false);
	#canRedo = $state.raw(false);

	constructor(doc: Y.Doc) {
		this.#manager = new Y.UndoManager(
			[...COLLECTIONS.map((name) => doc.getMap(name)), doc.getText('title')],
			// Typing within half a second is one step, like a text editor; each gesture checkpoints.
			// eslint-disable-next-line svelte/prefer-svelte-reactivity -- Yjs reads it; nothing renders it
			{ trackedOrigins: new Set([LOCAL, RESTORE]), captureTimeout: 500 }
		);
		for (const event of ['stack-item-added', 'stack-item-popped', 'stack-cleared'] as const) {
			this.#manager.on(event, this.#sync);
		}
	}

	#sync = () => {
		this.#canUndo = this.#manager.canUndo();
		this.#canRedo = this.#manager.canRedo();
	};

	get canUndo(): boolean {
		return this.#canUndo;
	}

	get canRedo(): boolean {
		return this.#canRedo;
	}

	undo(): void {
		this.#manager.undo();
	}

	redo(): void {
		this.#manager.redo();
	}

	/**
	 * End the current step, so what follows is undone separately; returns a mark for
	 * `discardSince`. A text session calls it when it starts and when it ends.
	 */
	checkpoint(): number {
		this.#manager.stopCapturing();
		return this.#manager.undoStack.length;
	}

	/**
	 * Forget the steps recorded since `mark` without undoing them: a cancelled text session has
	 * already taken its own typing back, and undoing those steps again would re-insert what it
	 * deleted. Nothing else local can happen while a field has focus, so only its steps are there.
	 */
	discardSince(mark: number): void {
		this.#manager.stopCapturing();
		if (this.#manager.undoStack.length > mark) this.#manager.undoStack.length = mark;
		this.#sync();
	}

	destroy(): void {
		this.#manager.destroy();
	}
}
