/**
 * Tracks the text the fuzz types, to prove none is lost. Every insertion the fuzz wants to keep
 * is a unique marker «n». A marker may legitimately disappear only if its record is deleted, or
 * if some peer's own edit deleted characters of it (a span delete or a rename that saw it). The
 * oracle learns exactly what each edit deleted from Yjs (the text's delta), not from what the
 * fuzz meant to do, so it also checks that the model wrote the edit it was asked for.
 */
import * as Y from 'yjs';
import { COLLECTIONS, type Collection } from '../../src/lib/model/index.ts';

export interface TextPlace {
	/** `title` for the board title, else `collection/id/field`. */
	key: string;
	collection?: Collection;
	id?: string;
	field?: string;
}

export interface Span {
	id: string;
	start: number;
	end: number;
}

const MARKER = /«[^«»]*»/g;

export function markersIn(text: string): Span[] {
	return [...text.matchAll(MARKER)].map((m) => ({
		id: m[0],
		start: m.index,
		end: m.index + m[0].length
	}));
}

function isHighSurrogate(code: number): boolean {
	return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Positions where the fuzz may type or cut: not inside a marker, not inside a surrogate pair.
 * Markers are only ever cut whole, so no two remnants can join into the lookalike of a marker.
 */
export function typingPositions(text: string, forMarker: boolean): number[] {
	const spans = markersIn(text);
	const out: number[] = [];
	for (let p = 0; p <= text.length; p++) {
		if (p > 0 && isHighSurrogate(text.charCodeAt(p - 1))) continue;
		if (spans.some((s) => s.start < p && p < s.end)) continue;
		// A marker typed just before another would share its first character with the text after
		// it, and a minimal diff is free to reuse that character: the new marker would not be one
		// insertion. Typing elsewhere keeps "one marker = one run of new characters".
		if (forMarker && text[p] === '«') continue;
		out.push(p);
	}
	return out;
}

/** The spans of `before` that a text delta deleted. */
function deletedSpans(delta: Y.YTextEvent['delta']): [number, number][] {
	const out: [number, number][] = [];
	let at = 0;
	for (const op of delta) {
		if (op.retain !== undefined) at += op.retain;
		else if (op.delete !== undefined) {
			out.push([at, at + op.delete]);
			at += op.delete;
		}
	}
	return out;
}

export class TextOracle {
	/** Every marker a successful edit typed, and where. */
	readonly typed = new Map<string, TextPlace>();
	/** Markers some edit deleted characters of. */
	readonly erased = new Set<string>();
	/**
	 * Records (`collection/id`) a restore re-created: typing that reached the copy it replaced (one
	 * deleted, then brought back as it was in the checkpoint) is legitimately gone.
	 */
	readonly revived = new Set<string>();
	#next = 0;

	newMarker(): string {
		return `«${this.#next++}»`;
	}

	/**
	 * Run `edit`, a model operation that sets `text` to `next`. Returns an error string when the
	 * model wrote something other than the edit asked for (`marker` must be one plain insertion).
	 */
	track(
		text: Y.Text,
		place: TextPlace,
		next: string,
		marker: string | null,
		edit: () => void
	): string | null {
		const before = text.toString();
		let delta: Y.YTextEvent['delta'] = [];
		const observer = (event: Y.YTextEvent) => (delta = event.delta);
		text.observe(observer);
		try {
			edit();
		} finally {
			text.unobserve(observer);
		}
		const after = text.toString();
		if (after !== next) {
			return `${place.key}: asked for ${JSON.stringify(next)}, text is ${JSON.stringify(after)}`;
		}
		const deleted = deletedSpans(delta);
		for (const span of markersIn(before)) {
			if (deleted.some(([start, end]) => start < span.end && span.start < end))
				this.erased.add(span.id);
		}
		if (marker !== null) {
			const inserts = delta.filter((op) => op.insert !== undefined);
			if (deleted.length > 0 || inserts.length !== 1 || inserts[0]?.insert !== marker) {
				return `${place.key}: typing ${marker} wrote ${JSON.stringify(delta)}`;
			}
			this.typed.set(marker, place);
		}
		return null;
	}

	/**
	 * `doc`'s peer restored a checkpoint: texts went back to what they were, so a marker typed
	 * since (by anyone, as far as this peer has seen) may legitimately be gone. Every typed marker
	 * `doc` no longer holds where it was typed counts as erased. This forgives a little too much
	 * (a marker in flight to this peer survives a restore), never too little.
	 */
	restored(doc: Y.Doc): void {
		const texts = allTexts(doc);
		for (const [marker, place] of this.typed) {
			if (!texts.get(place.key)?.includes(marker)) this.erased.add(marker);
		}
	}

	/**
	 * What the final doc breaks: a marker that must still be there (typed, never erased by an
	 * edit, record still present) and is not, or any marker that appears more than once (text
	 * duplicated, as a delete-everything-and-retype edit would do when two people type at once).
	 */
	problems(doc: Y.Doc): string[] {
		const out: string[] = [];
		const texts = allTexts(doc);
		const seen = new Map<string, string>();
		for (const [key, text] of texts) {
			for (const span of markersIn(text)) {
				const other = seen.get(span.id);
				if (other !== undefined) out.push(`${span.id} appears in ${other} and again in ${key}`);
				seen.set(span.id, key);
			}
		}
		for (const [marker, place] of this.typed) {
			if (this.erased.has(marker)) continue;
			const text = texts.get(place.key);
			if (text === undefined) continue; // the record was deleted
			if (place.collection && this.revived.has(`${place.collection}/${place.id}`)) continue;
			if (!text.includes(marker)) {
				out.push(`${marker} typed into ${place.key} is gone; the text is ${JSON.stringify(text)}`);
			}
		}
		return out;
	}
}

/** Every text in the doc by place key: the title and each text field of each record. */
function allTexts(doc: Y.Doc): Map<string, string> {
	const out = new Map([['title', doc.getText('title').toString()]]);
	for (const name of COLLECTIONS) {
		for (const [id, record] of doc.getMap(name).entries()) {
			if (!(record instanceof Y.Map)) continue;
			for (const [field, value] of record.entries()) {
				if (value instanceof Y.Text) out.set(`${name}/${id}/${field}`, value.toString());
			}
		}
	}
	return out;
}
