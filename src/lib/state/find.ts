/**
 * Find and filter over a board snapshot: pure functions, so they are unit-tested and measured
 * on the 5,000-card board (bench:ui) without a browser.
 *
 * - `findItems` answers the find box: programs, lanes and cards whose name holds the query,
 *   best first (a name that starts with it, then a word that does, then anywhere).
 * - `filterBoard` answers the filters: which items match, so the rest can be dimmed or hidden.
 *   A card matches on its title or owner; a lane on its name or manager, or when one of its
 *   cards matches; a program when one of its lanes does (or its own name does). Program and
 *   health narrow the lanes; owner narrows the cards.
 */
import type { BoardSnapshot, Health } from '$lib/model/index.ts';

export type FindKind = 'program' | 'lane' | 'card';

export interface FindHit {
	kind: FindKind;
	id: string;
	name: string;
	/** Where it is, for telling two "Billing"s apart: "Payments", "Billing · Q2". */
	where: string;
	/** The program it is in (itself, for a program), so jumping can expand it. */
	programId: string;
	/** The lane it is in (itself, for a lane), null for a program. */
	laneId: string | null;
}

export interface FilterCriteria {
	text: string;
	/** Only this program's lanes; null for every program. */
	programId: string | null;
	/** Only lanes in these healths ('unset' for lanes nobody has judged); empty for any. */
	health: readonly (Health | 'unset')[];
	/** Only cards whose owner holds this; empty for any. */
	owner: string;
}

export interface FilterMatch {
	programs: Set<string>;
	lanes: Set<string>;
	cards: Set<string>;
	/** Lanes and cards that match, for "12 of 300 lanes". */
	laneCount: number;
	cardCount: number;
}

export const NO_FILTER: FilterCriteria = { text: '', programId: null, health: [], owner: '' };

export function isFiltering(criteria: FilterCriteria): boolean {
	return (
		criteria.text.trim() !== '' ||
		criteria.programId !== null ||
		criteria.health.length > 0 ||
		criteria.owner.trim() !== ''
	);
}

const folded = new Map<string, string>();
/** Lower case without accents, remembered: typing re-folds the same few thousand names. */
function fold(s: string): string {
	let out = folded.get(s);
	if (out === undefined) {
		out = s.toLocaleLowerCase().normalize('NFKD').replace(/\p{M}/gu, '');
		if (folded.size > 50_000) folded.clear();
		folded.set(s, out);
	}
	return out;
}

/** 0: starts with the query; 1: a word starts with it; 2: contains it; -1: no match. */
function score(name: string, query: string): number {
	const at = name.indexOf(query);
	if (at < 0) return -1;
	if (at === 0) return 0;
	return /[\s\-_/.(]/.test(name[at - 1]!) ? 1 : 2;
}

export function findItems(board: BoardSnapshot, query: string, limit = 12): FindHit[] {
	const q = fold(query.trim());
	if (!q) return [];
	const periodNames = new Map(board.periods.map((p) => [p.id, p.name]));
	const scored: { hit: FindHit; rank: number; order: number }[] = [];
	let order = 0;
	const consider = (name: string, hit: Omit<FindHit, 'name'>) => {
		const s = score(fold(name), q);
		order += 1;
		if (s >= 0) scored.push({ hit: { ...hit, name }, rank: s, order });
	};
	for (const program of board.programs) {
		consider(program.name, {
			kind: 'program',
			id: program.id,
			where: 'Program',
			programId: program.id,
			laneId: null
		});
		for (const lane of program.lanes) {
			consider(lane.name, {
				kind: 'lane',
				id: lane.id,
				where: program.name,
				programId: program.id,
				laneId: lane.id
			});
			for (const [periodId, cards] of Object.entries(lane.cells)) {
				for (const card of cards) {
					consider(card.title, {
						kind: 'card',
						id: card.id,
						where: `${lane.name} · ${periodNames.get(periodId) ?? ''}`,
						programId: program.id,
						laneId: lane.id
					});
				}
			}
		}
	}
	// Best match first; among equals, board order (programs, then lanes by priority).
	scored.sort((a, b) => a.rank - b.rank || a.order - b.order);
	return scored.slice(0, limit).map((s) => s.hit);
}

export function filterBoard(board: BoardSnapshot, criteria: FilterCriteria): FilterMatch {
	const text = fold(criteria.text.trim());
	const owner = fold(criteria.owner.trim());
	const health = new Set(criteria.health);
	const match: FilterMatch = {
		programs: new Set(),
		lanes: new Set(),
		cards: new Set(),
		laneCount: 0,
		cardCount: 0
	};
	for (const program of board.programs) {
		if (criteria.programId !== null && program.id !== criteria.programId) continue;
		const programNamed = text !== '' && fold(program.name).includes(text);
		for (const lane of program.lanes) {
			if (health.size && !health.has(lane.health ?? 'unset')) continue;
			const laneNamed =
				programNamed ||
				text === '' ||
				fold(lane.name).includes(text) ||
				fold(lane.manager).includes(text);
			let cardsMatched = 0;
			for (const cards of Object.values(lane.cells)) {
				for (const card of cards) {
					if (owner && !fold(card.owner).includes(owner)) continue;
					if (!laneNamed && !fold(card.title).includes(text) && !fold(card.owner).includes(text))
						continue;
					match.cards.add(card.id);
					cardsMatched += 1;
				}
			}
			// With an owner asked for, a lane shows only for the cards it holds of that owner.
			if (cardsMatched > 0 || (laneNamed && !owner)) {
				match.lanes.add(lane.id);
				match.programs.add(program.id);
			}
		}
		if (programNamed && !criteria.health.length && !owner) match.programs.add(program.id);
	}
	match.laneCount = match.lanes.size;
	match.cardCount = match.cards.size;
	return match;
}

// A filter travels as the page's query string, so it can be shared as a link:
// /b/<id>?find=billing&program=<id>&health=at-risk,unset&owner=Ana&hide=1
const HEALTHS = new Set(['on-track', 'at-risk', 'off-track', 'unset']);

export function criteriaFromParams(params: URLSearchParams): FilterCriteria {
	return {
		text: params.get('find') ?? '',
		programId: params.get('program') || null,
		health: (params.get('health') ?? '')
			.split(',')
			.filter((h): h is Health | 'unset' => HEALTHS.has(h)),
		owner: params.get('owner') ?? ''
	};
}

export function criteriaToParams(
	criteria: FilterCriteria,
	hide: boolean,
	params: URLSearchParams
): URLSearchParams {
	const out = new URLSearchParams(params);
	for (const key of ['find', 'program', 'health', 'owner', 'hide']) out.delete(key);
	if (criteria.text.trim()) out.set('find', criteria.text.trim());
	if (criteria.programId) out.set('program', criteria.programId);
	if (criteria.health.length) out.set('health', criteria.health.join(','));
	if (criteria.owner.trim()) out.set('owner', criteria.owner.trim());
	if (hide && isFiltering(criteria)) out.set('hide', '1');
	return out;
}

/** The owners named on the board's cards, for suggestions. */
export function ownersOn(board: BoardSnapshot): string[] {
	const names = new Set<string>();
	for (const program of board.programs)
		for (const lane of program.lanes)
			for (const cards of Object.values(lane.cells))
				for (const card of cards) if (card.owner.trim()) names.add(card.owner.trim());
	return [...names].sort((a, b) => a.localeCompare(b));
}

export function countItems(board: BoardSnapshot): { lanes: number; cards: number } {
	let lanes = 0;
	let cards = 0;
	for (const program of board.programs) {
		lanes += program.lanes.length;
		for (const lane of program.lanes)
			for (const list of Object.values(lane.cells)) cards += list.length;
	}
	return { lanes, cards };
}
