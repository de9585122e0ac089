/**
 * Live text editing. An editor sends each keystroke as a splice of the shared Y.Text instead of
 * buffering the whole string and writing it on commit: a buffered write diffs against the text
 * as it was when editing began and so deletes whatever someone else typed meanwhile.
 */
import * as Y from 'yjs';
import { collection, textField, titleText, type Collection } from './doc.ts';
import { guardEdit, textEditTarget } from './locks.ts';
import { ModelError } from './errors.ts';
import { LOCAL } from './origin.ts';
import { BoardType } from './records/board.ts';
import { RECORD_TYPES } from './records/index.ts';
import type { TxOptions } from './write.ts';

/** Which shared text: a record's text field, or the board title. */
export type TextTarget =
	{ collection: Collection; id: string; field: string } | { collection: 'board'; field: 'title' };

/** The limit of a text field, from its record's definition; anything else is not typed into. */
function limitOf(target: TextTarget): number {
	if (target.collection === 'board') return BoardType.texts.title;
	const texts: Readonly<Record<string, number>> | undefined =
		RECORD_TYPES[target.collection]?.texts;
	const limit = texts && Object.hasOwn(texts, target.field) ? texts[target.field] : undefined;
	if (limit === undefined)
		throw new ModelError('invalid', `${target.collection}.${target.field} is not a text field`);
	return limit;
}

/**
 * The Y.Text behind `target`, or null when its record is gone (deleted by someone else). For
 * the state layer, which observes it and scopes undo to it; components never see it.
 */
export function sharedText(doc: Y.Doc, target: TextTarget): Y.Text | null {
	if (target.collection === 'board') return titleText(doc);
	limitOf(target);
	const map = collection(doc, target.collection).get(target.id);
	if (!(map instanceof Y.Map)) return null;
	const value = map.get(target.field);
	return value instanceof Y.Text ? value : null;
}

export interface Splice {
	/** UTF-16 offset where the edit starts. */
	index: number;
	/** How many UTF-16 code units to delete there. */
	remove: number;
	insert: string;
}

/**
 * Apply one splice to a text field in one transaction. Offsets are clamped to the current text
 * (a remote delete may have shortened it since the editor read it), and an insert that would
 * take the field past its limit is cut short rather than refused, so typing simply stops there.
 * Returns how many characters of the insert were cut (0 when all of it fit), so the editor can
 * tell the person that the field is full.
 */
export function spliceText(doc: Y.Doc, opts: TxOptions & TextTarget & Splice): { cut: number } {
	const limit = limitOf(opts);
	if (!Number.isInteger(opts.index) || !Number.isInteger(opts.remove) || opts.remove < 0) {
		throw new ModelError('invalid', 'a splice needs whole, non-negative offsets');
	}
	guardEdit(doc, textEditTarget(opts));
	if (opts.collection !== 'board') {
		const map = collection(doc, opts.collection).get(opts.id);
		if (!(map instanceof Y.Map)) throw new ModelError('not-found', `${opts.id} does not exist`);
	}
	let cut = 0;
	doc.transact(() => {
		const text =
			opts.collection === 'board'
				? titleText(doc)
				: textField(collection(doc, opts.collection).get(opts.id) as Y.Map<unknown>, opts.field);
		let index = Math.max(0, Math.min(opts.index, text.length));
		let remove = Math.min(opts.remove, text.length - index);
		// Stale offsets (the text changed since the editor read it) can land inside an emoji;
		// Yjs would turn each half into U+FFFD. Widen the edit to whole characters instead.
		const current = text.toString();
		if (index > 0 && isHighSurrogate(current.charCodeAt(index - 1))) {
			index -= 1;
			remove += remove > 0 ? 1 : 0;
		}
		const end = index + remove;
		if (remove > 0 && end < current.length && isHighSurrogate(current.charCodeAt(end - 1))) {
			remove += 1;
		}
		if (remove > 0) text.delete(index, remove);
		const room = Math.max(0, limit - text.length);
		let insert = opts.insert.slice(0, room);
		// Cutting at the limit must not leave half an emoji behind.
		if (insert.length < opts.insert.length && /[\uD800-\uDBFF]$/.test(insert)) {
			insert = insert.slice(0, -1);
		}
		if (insert) text.insert(index, insert);
		cut = opts.insert.length - insert.length;
	}, opts.origin ?? LOCAL);
	return { cut };
}

function isHighSurrogate(code: number): boolean {
	return code >= 0xd800 && code <= 0xdbff;
}
