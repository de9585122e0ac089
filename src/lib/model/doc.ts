/**
 * Where each record type lives in a board's Y.Doc. All collections are top-level Y.Maps keyed by
 * record id, so two peers creating them at once never conflict; each record is a Y.Map of fields.
 */
import * as Y from 'yjs';

export const COLLECTIONS = [
	'programs',
	'lanes',
	'periods',
	'cards',
	'dependencies',
	'objectives',
	'risks'
] as const;
export type Collection = (typeof COLLECTIONS)[number];

export type RecordMap = Y.Map<unknown>;

export function collection(doc: Y.Doc, name: Collection): Y.Map<unknown> {
	return doc.getMap(name);
}

/** Board-level scalars (schema version). */
export function meta(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap('meta');
}

/** The board title, a top-level Y.Text so concurrent first edits cannot overwrite each other. */
export function titleText(doc: Y.Doc): Y.Text {
	return doc.getText('title');
}

/** A text field as a string. A peer that wrote a plain string still gets read; anything else is empty. */
export function readText(map: RecordMap, field: string): string {
	const value = map.get(field);
	if (value instanceof Y.Text) return value.toString();
	if (typeof value === 'string') return value;
	return '';
}

/** A record's field as a shared text, replacing a non-text value so it can be typed into. */
export function textField(map: RecordMap, field: string): Y.Text {
	const value = map.get(field);
	if (value instanceof Y.Text) return value;
	const text = new Y.Text(typeof value === 'string' ? value : '');
	map.set(field, text);
	return text;
}

/**
 * Replace the content of a Y.Text with `next`, touching only the span that differs. Someone else
 * typing elsewhere in the same field at the same moment keeps their characters.
 */
export function replaceText(text: Y.Text, next: string): void {
	const prev = text.toString();
	if (prev === next) return;
	let start = 0;
	const max = Math.min(prev.length, next.length);
	while (start < max && prev.charCodeAt(start) === next.charCodeAt(start)) start += 1;
	// Never cut through a surrogate pair (an emoji, say): Yjs turns each half of a split pair into
	// U+FFFD, locally and, differently, on every other peer. Widen the edit to whole characters.
	if (start > 0 && isHighSurrogate(prev.charCodeAt(start - 1))) start -= 1;
	let endPrev = prev.length;
	let endNext = next.length;
	while (
		endPrev > start &&
		endNext > start &&
		prev.charCodeAt(endPrev - 1) === next.charCodeAt(endNext - 1)
	) {
		endPrev -= 1;
		endNext -= 1;
	}
	if (endPrev < prev.length && isLowSurrogate(prev.charCodeAt(endPrev))) {
		endPrev += 1;
		endNext += 1;
	}
	if (endPrev > start) text.delete(start, endPrev - start);
	if (endNext > start) text.insert(start, next.slice(start, endNext));
}

function isHighSurrogate(code: number): boolean {
	return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
	return code >= 0xdc00 && code <= 0xdfff;
}
