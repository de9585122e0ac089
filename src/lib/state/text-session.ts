/**
 * One person editing one shared text field. Every input event becomes a splice of the Y.Text
 * (so someone typing in the same field at the same time keeps their characters), remote changes
 * are handed back with a function that maps the caret through them, and cancel reverts only the
 * edits made in this session: the undo manager is scoped to this one text and to local writes.
 */
import * as Y from 'yjs';
import {
	LOCAL,
	ModelError,
	sharedText,
	spliceText,
	type Splice,
	type TextTarget
} from '$lib/model/index.ts';

/** Moves an offset in the old text to the same place in the new one. */
export type MapOffset = (offset: number) => number;

export interface TextSessionOptions {
	doc: Y.Doc;
	target: TextTarget;
	/** The text changed under the editor (someone else typed): show `value`, map the caret. */
	onremote: (value: string, map: MapOffset) => void;
	/** The board's undo history: this session's typing is its own step there (history.svelte.ts). */
	history?: SessionHistory;
	/** A keystroke the model refused (a facilitator locked the field meanwhile): say why. */
	onrefused?: (message: string) => void;
}

/** What a session needs of the board's history; History implements it. */
export interface SessionHistory {
	checkpoint(): number;
	discardSince(mark: number): void;
}

/**
 * The splice that turns `prev` into `next`, given the caret after the edit. Without the caret,
 * typing "a" into "aa" is ambiguous; with it, the insert lands where the person actually typed,
 * which matters when someone else is typing nearby.
 */
export function spliceFor(prev: string, next: string, caret = next.length): Splice | null {
	if (prev === next) return null;
	const grown = next.length - prev.length;
	let start = 0;
	const maxStart = Math.min(
		prev.length,
		next.length,
		grown > 0 ? Math.max(0, caret - grown) : caret
	);
	while (start < maxStart && prev.charCodeAt(start) === next.charCodeAt(start)) start += 1;
	let endPrev = prev.length;
	let endNext = next.length;
	while (
		endPrev > start &&
		endNext > Math.max(start, caret) &&
		prev.charCodeAt(endPrev - 1) === next.charCodeAt(endNext - 1)
	) {
		endPrev -= 1;
		endNext -= 1;
	}
	return { index: start, remove: endPrev - start, insert: next.slice(start, endNext) };
}

/** Maps offsets through a Y.Text delta. A remote insert right at the caret stays after it. */
export function offsetMapper(delta: Y.YTextEvent['delta']): MapOffset {
	return (offset) => {
		let index = 0;
		let out = offset;
		for (const op of delta) {
			if (op.retain !== undefined) index += op.retain;
			else if (op.insert !== undefined) {
				if (index < offset) out += typeof op.insert === 'string' ? op.insert.length : 1;
			} else if (op.delete !== undefined) {
				if (index < offset) out -= Math.min(op.delete, offset - index);
				index += op.delete;
			}
		}
		return Math.max(0, out);
	};
}

export class TextSession {
	#doc: Y.Doc;
	#target: TextTarget;
	#text: Y.Text | null;
	#undo: Y.UndoManager | null;
	#value: string;
	#writing = false;
	#history: SessionHistory | undefined;
	#onrefused: ((message: string) => void) | undefined;
	/** Where the board's history stood when this session began. */
	#mark = 0;
	#observer: (event: Y.YTextEvent) => void;

	constructor(opts: TextSessionOptions) {
		this.#doc = opts.doc;
		this.#target = opts.target;
		this.#text = sharedText(opts.doc, opts.target);
		this.#value = this.#text?.toString() ?? '';
		this.#history = opts.history;
		this.#onrefused = opts.onrefused;
		this.#mark = this.#history?.checkpoint() ?? 0;
		this.#undo = this.#text
			? new Y.UndoManager(this.#text, { trackedOrigins: new Set([LOCAL]), captureTimeout: 0 })
			: null;
		this.#observer = (event) => {
			if (this.#writing) return;
			this.#value = this.#text?.toString() ?? '';
			opts.onremote(this.#value, offsetMapper(event.delta));
		};
		this.#text?.observe(this.#observer);
	}

	/** The text as this editor last saw it. */
	get value(): string {
		return this.#value;
	}

	/**
	 * What the input now holds, and its caret; sends the difference as one splice. False when the
	 * model refused it (locked): nothing was written and `value` is still the stored text.
	 */
	input(next: string, caret?: number): boolean {
		const splice = spliceFor(this.#value, next, caret);
		if (!splice) return true;
		this.#writing = true;
		try {
			spliceText(this.#doc, { ...this.#target, ...splice });
		} catch (error) {
			// Locked under the editor: the keystroke is not written and `value` stays as stored.
			if (!(error instanceof ModelError && error.code === 'locked')) throw error;
			this.#onrefused?.(error.message);
			return false;
		} finally {
			this.#writing = false;
		}
		this.#value = this.#text?.toString() ?? next;
		return true;
	}

	/** Keep the edits. */
	commit(): void {
		this.#end();
		this.#history?.checkpoint();
	}

	/** Take back this session's own edits, and only those. */
	cancel(): void {
		while (this.#undo?.canUndo()) this.#undo.undo();
		this.#end();
		// The session's typing is gone, so the board's history must not offer to undo it again.
		this.#history?.discardSince(this.#mark);
	}

	#end(): void {
		this.#text?.unobserve(this.#observer);
		this.#undo?.destroy();
		this.#undo = null;
	}
}
