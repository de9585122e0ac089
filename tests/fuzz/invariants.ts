/**
 * What must hold of every converged board, as lists of violations (empty when all is well).
 */
import { isDeepStrictEqual } from 'node:util';
import * as Y from 'yjs';
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
	out.push(...planningViolations(board, seen));
	return out;
}

/**
 * Dependencies: each pair once, both cards shown (else set aside); objectives in order in their
 * program; risk columns in order, nothing shown as owned without an owner.
 */
function planningViolations(board: BoardSnapshot, seen: ReadonlySet<string>): string[] {
	const out: string[] = [];
	const pairs = new Set<string>();
	for (const dep of board.dependencies) {
		const pair = `${dep.pos.from}>${dep.pos.to}`;
		if (pairs.has(pair)) out.push(`dependency ${pair} appears more than once`);
		pairs.add(pair);
		if (!seen.has(`card/${dep.pos.from}`) || !seen.has(`card/${dep.pos.to}`)) {
			out.push(`dependency ${dep.id} is drawn to a card that is not on the board`);
		}
	}
	for (const dep of board.orphans.dependencies) {
		if (pairs.has(dep.id)) out.push(`dependency ${dep.id} is both drawn and set aside`);
	}
	for (const program of board.programs) {
		if (!strictlyOrdered(program.objectives))
			out.push(`objectives of ${program.id} are not strictly ordered`);
		for (const objective of program.objectives) {
			if (objective.pos.program !== program.id)
				out.push(`objective ${objective.id} shown in the wrong program`);
		}
	}
	for (const [roam, risks] of Object.entries(board.risks)) {
		if (!strictlyOrdered(risks.filter((r) => r.note === null)))
			out.push(`risks in ${roam} are not strictly ordered`);
		for (const risk of risks) {
			if (risk.roam !== roam) out.push(`risk ${risk.id} shown in ${roam} but reads ${risk.roam}`);
			if (roam === 'owned' && !risk.owner.trim()) out.push(`risk ${risk.id} owned by nobody`);
		}
	}
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
	deleted: ReadonlySet<string>,
	revived: ReadonlySet<string> = new Set()
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
		// A dependency's id is its pair of cards: creating the pair again after a delete (or
		// while someone deletes it) legitimately brings the same key back.
		if (deleted.has(key) && !revived.has(key) && !key.startsWith('dependencies/'))
			out.push(`${key} was deleted but is back`);
	}
	const board0 = readBoard(doc);
	const placedDeps = new Set([
		...board0.dependencies.map((d) => d.id),
		...board0.orphans.dependencies.map((d) => d.id)
	]);
	const pairs = new Map<string, string>();
	for (const [id, record] of doc.getMap('dependencies').entries()) {
		if (!placedDeps.has(id)) out.push(`dependency ${id} is neither drawn nor set aside`);
		// One record per pair of cards: only possible if every writer derives the same key.
		const pos =
			record instanceof Y.Map ? (record.get('pos') as { from?: string; to?: string }) : {};
		const pair = `${pos?.from}>${pos?.to}`;
		if (pair !== id) out.push(`dependency ${id} holds the pair ${pair}`);
		if (pairs.has(pair)) out.push(`dependency ${pair} is stored as ${pairs.get(pair)} and ${id}`);
		pairs.set(pair, id);
	}
	const placedObjectives = new Set([
		...board0.programs.flatMap((p) => p.objectives.map((o) => o.id)),
		...board0.orphans.objectives.map((o) => o.id)
	]);
	for (const id of doc.getMap('objectives').keys()) {
		if (!placedObjectives.has(id)) out.push(`objective ${id} is neither shown nor set aside`);
	}
	const shownRisks = new Set(Object.values(board0.risks).flatMap((c) => c.map((r) => r.id)));
	for (const id of doc.getMap('risks').keys()) {
		if (!shownRisks.has(id)) out.push(`risk ${id} is not shown`);
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
