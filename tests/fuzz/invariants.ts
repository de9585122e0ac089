/**
 * What must hold of every converged board, as lists of violations (empty when all is well).
 */
import { isDeepStrictEqual } from 'node:util';
import type * as Y from 'yjs';
import {
	COLLECTIONS,
	compareRanked,
	readBoard,
	type BoardSnapshot
} from '../../src/lib/model/index.ts';

function strictlyOrdered(items: { id: string; pos: { rank: string } }[]): boolean {
	for (let i = 1; i < items.length; i++) {
		const a = items[i - 1] as { id: string; pos: { rank: string } };
		const b = items[i] as { id: string; pos: { rank: string } };
		if (compareRanked({ id: a.id, rank: a.pos.rank }, { id: b.id, rank: b.pos.rank }) >= 0) {
			return false;
		}
	}
	return true;
}

/** No duplicate, no orphan on the visible board; ranks strictly ordered; priorities 1..n. */
export function boardViolations(board: BoardSnapshot): string[] {
	const out: string[] = [];
	const seen = new Set<string>();
	const once = (kind: string, id: string) => {
		if (seen.has(`${kind}/${id}`)) out.push(`${kind} ${id} appears more than once`);
		seen.add(`${kind}/${id}`);
	};
	const periodIds = new Set(board.periods.map((p) => p.id));
	board.periods.forEach((p) => once('period', p.id));
	if (!strictlyOrdered(board.periods)) out.push('periods are not strictly ordered by (rank, id)');
	if (!strictlyOrdered(board.programs)) out.push('programs are not strictly ordered by (rank, id)');
	for (const program of board.programs) {
		once('program', program.id);
		if (!strictlyOrdered(program.lanes))
			out.push(`lanes of ${program.id} are not strictly ordered`);
		program.lanes.forEach((lane, i) => {
			once('lane', lane.id);
			if (lane.pos.program !== program.id) out.push(`lane ${lane.id} shown in the wrong program`);
			if (lane.priority !== i + 1)
				out.push(`lane ${lane.id} has priority ${lane.priority}, not ${i + 1}`);
			for (const [periodId, cards] of Object.entries(lane.cells)) {
				if (!periodIds.has(periodId)) out.push(`lane ${lane.id} shows cards in a missing period`);
				if (cards.length === 0) out.push(`lane ${lane.id} has an empty cell ${periodId}`);
				if (!strictlyOrdered(cards))
					out.push(`cell ${lane.id}×${periodId} is not strictly ordered`);
				for (const card of cards) {
					once('card', card.id);
					if (card.pos.lane !== lane.id || card.pos.period !== periodId) {
						out.push(`card ${card.id} shown in the wrong cell`);
					}
				}
			}
		});
	}
	for (const lane of board.orphans.lanes)
		if (seen.has(`lane/${lane.id}`)) out.push(`lane ${lane.id} is both shown and orphaned`);
	for (const card of board.orphans.cards)
		if (seen.has(`card/${card.id}`)) out.push(`card ${card.id} is both shown and orphaned`);
	if (board.ignored !== 0) out.push(`${board.ignored} values were not records`);
	return out;
}

/**
 * Every record ever created and never deleted is still in the doc (a move never loses or
 * duplicates anything), and every lane and card in the doc is accounted for by the snapshot:
 * shown, or listed as an orphan (or, for a card, counted with its orphaned lane).
 */
export function accountingViolations(
	doc: Y.Doc,
	created: ReadonlySet<string>,
	deleted: ReadonlySet<string>
): string[] {
	const out: string[] = [];
	const inDoc = new Set(
		COLLECTIONS.flatMap((name) => [...doc.getMap(name).keys()].map((id) => `${name}/${id}`))
	);
	for (const key of created) {
		if (!deleted.has(key) && !inDoc.has(key)) out.push(`${key} vanished without being deleted`);
	}
	for (const key of inDoc) {
		if (!created.has(key)) out.push(`${key} exists but was never created`);
		if (deleted.has(key)) out.push(`${key} was deleted but is back`);
	}
	const board = readBoard(doc);
	const shownLanes = new Set(board.programs.flatMap((p) => p.lanes.map((l) => l.id)));
	const orphanLanes = new Set(board.orphans.lanes.map((l) => l.id));
	for (const id of doc.getMap('lanes').keys()) {
		if (!shownLanes.has(id) && !orphanLanes.has(id))
			out.push(`lane ${id} is neither shown nor an orphan`);
	}
	const shownCards = board.programs
		.flatMap((p) => p.lanes)
		.flatMap((l) => Object.values(l.cells).flat());
	const orphanCards = board.orphans.cards.length;
	const countedWithLanes = board.orphans.lanes.reduce((n, l) => n + l.cardCount, 0);
	const cards = doc.getMap('cards').size;
	if (shownCards.length + orphanCards + countedWithLanes !== cards) {
		out.push(
			`${cards} cards in the doc, but ${shownCards.length} shown + ${orphanCards} orphaned + ${countedWithLanes} in orphan lanes`
		);
	}
	return out;
}

/** The raw content of a doc, for comparing peers beyond what the snapshot shows. */
export function docContent(doc: Y.Doc): unknown {
	return {
		title: doc.getText('title').toString(),
		meta: doc.getMap('meta').toJSON(),
		...Object.fromEntries(COLLECTIONS.map((name) => [name, doc.getMap(name).toJSON()]))
	};
}

export function sameContent(a: Y.Doc, b: Y.Doc): boolean {
	return isDeepStrictEqual(docContent(a), docContent(b));
}
