/**
 * Typing for the fuzz: into one text field, either as a live editor does (a splice per
 * keystroke) or as a form commits (the whole new value). Every edit is tracked by the oracle.
 */
import * as Y from 'yjs';
import {
	COLLECTIONS,
	RECORD_TYPES,
	setBoardTitle,
	spliceText,
	updateCard,
	updateLane,
	updateObjective,
	updatePeriod,
	updateProgram,
	updateRisk,
	type Collection,
	type Splice
} from '../../src/lib/model/index.ts';
import { chance, int, pick, weighted, type Rng } from '../helpers/rng.ts';
import { filler, plan, type FuzzContext, type Plan } from './context.ts';
import { typingPositions, type TextPlace } from './text-oracle.ts';

/** Each collection's text fields, from the record definitions. */
export const TEXT_FIELDS = Object.fromEntries(
	COLLECTIONS.map((name) => [name, Object.keys(RECORD_TYPES[name].texts)])
) as unknown as Record<Collection, readonly string[]>;

function textOf(doc: Y.Doc, place: TextPlace): Y.Text | null {
	if (place.key === 'title') return doc.getText('title');
	const record = doc.getMap(place.collection as string).get(place.id as string);
	const text = record instanceof Y.Map ? record.get(place.field as string) : null;
	return text instanceof Y.Text ? text : null;
}

function writeText(doc: Y.Doc, place: TextPlace, value: string, rng: Rng): void {
	if (place.key === 'title') return setBoardTitle(doc, { title: value, rng });
	const patch = { id: place.id as string, [place.field as string]: value, rng };
	if (place.collection === 'programs') updateProgram(doc, patch);
	else if (place.collection === 'lanes') updateLane(doc, patch);
	else if (place.collection === 'periods') updatePeriod(doc, patch);
	else if (place.collection === 'objectives') updateObjective(doc, patch);
	else if (place.collection === 'risks') updateRisk(doc, patch);
	else updateCard(doc, patch);
}

function spliceInto(doc: Y.Doc, place: TextPlace, splice: Splice): void {
	const target =
		place.key === 'title'
			? ({ collection: 'board', field: 'title' } as const)
			: {
					collection: place.collection as Collection,
					id: place.id as string,
					field: place.field as string
				};
	spliceText(doc, { ...target, ...splice });
}

/**
 * Type into one text field: a unique marker (the oracle then insists it survives), some filler,
 * a deleted span, or a rename that replaces the whole text. Half the edits go the way a live
 * editor sends them (a splice per keystroke), half the way a form commits (the whole new value,
 * which the model diffs against the current text).
 */
export function planTyping(doc: Y.Doc, ctx: FuzzContext, place: TextPlace): Plan {
	const { rng, oracle } = ctx;
	const text = textOf(doc, place);
	if (!text) return null;
	const before = text.toString();
	let kind = weighted(rng, { marker: 45, filler: 20, erase: 25, rename: 10 });
	if (before.length > 80) kind = 'erase';
	if (kind === 'erase' && before.length === 0) kind = 'marker';
	if (kind === 'rename') {
		const next = filler(rng, 0, 10);
		return plan('type(rename)', { place: place.key, next }, () => {
			const problem = oracle.track(text, place, next, null, () => writeText(doc, place, next, rng));
			if (problem) ctx.problems.push(problem);
		});
	}
	let splice: Splice;
	let marker: string | null = null;
	if (kind === 'erase') {
		const cuts = typingPositions(before, false);
		const from = int(rng, cuts.length - 1);
		const to = Math.min(cuts.length - 1, from + 1 + int(rng, 6));
		const index = cuts[from] as number;
		splice = { index, remove: (cuts[to] as number) - index, insert: '' };
	} else {
		const index = pick(rng, typingPositions(before, kind === 'marker'));
		const insert = kind === 'marker' ? (marker = oracle.newMarker()) : filler(rng, 1, 4);
		splice = { index, remove: 0, insert };
	}
	const next =
		before.slice(0, splice.index) + splice.insert + before.slice(splice.index + splice.remove);
	const live = chance(rng, 0.5);
	const label = `${live ? 'splice' : 'type'}(${kind})`;
	return plan(label, { place: place.key, ...(live ? splice : { next }) }, () => {
		const edit = live
			? () => spliceInto(doc, place, splice)
			: () => writeText(doc, place, next, rng);
		const problem = oracle.track(text, place, next, marker, edit);
		if (problem) ctx.problems.push(problem);
	});
}

export function placeOf(name: Collection, id: string, field: string): TextPlace {
	return { key: `${name}/${id}/${field}`, collection: name, id, field };
}
