import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
	createLane,
	createProgram,
	readBoard,
	seedSampleBoard,
	updateCard
} from '$lib/model/index.ts';
import {
	criteriaFromParams,
	criteriaToParams,
	filterBoard,
	findItems,
	NO_FILTER,
	ownersOn
} from './find.ts';

function sample() {
	const doc = new Y.Doc();
	seedSampleBoard(doc);
	return doc;
}

const names = (board: ReturnType<typeof readBoard>, ids: Set<string>) => {
	const out: string[] = [];
	for (const program of board.programs) {
		if (ids.has(program.id)) out.push(program.name);
		for (const lane of program.lanes) {
			if (ids.has(lane.id)) out.push(lane.name);
			for (const cards of Object.values(lane.cells))
				for (const card of cards) if (ids.has(card.id)) out.push(card.title);
		}
	}
	return out;
};

describe('findItems', () => {
	it('puts names that start with the query first, then word starts, then the rest', () => {
		const hits = findItems(readBoard(sample()), 'bill');
		expect(hits.map((h) => [h.kind, h.name])).toEqual([
			['lane', 'Billing platform migration'],
			['card', 'Legacy billing switched off'],
			['card', 'Tracing in checkout & billing']
		]);
		expect(hits[1]!.where).toBe('Billing platform migration · Q3 2027');
	});

	it('ranks a word that starts with the query above a match inside a word', () => {
		const doc = new Y.Doc();
		const programId = createProgram(doc, { name: 'Finance' });
		createLane(doc, { programId, name: 'Rebilling' });
		createLane(doc, { programId, name: 'Tax billing' });
		expect(findItems(readBoard(doc), 'bill').map((h) => h.name)).toEqual([
			'Tax billing',
			'Rebilling'
		]);
	});

	it('ignores case and accents, and finds programs', () => {
		const hits = findItems(readBoard(sample()), 'RELIABILITÉ'.slice(0, 8));
		expect(hits[0]).toMatchObject({ kind: 'program', name: 'Platform reliability' });
	});

	it('finds nothing for an empty query and stops at the limit', () => {
		const board = readBoard(sample());
		expect(findItems(board, '  ')).toEqual([]);
		expect(findItems(board, 'e', 3)).toHaveLength(3);
	});
});

describe('filterBoard', () => {
	it('keeps lanes of the chosen health with all their cards, and their programs', () => {
		const board = readBoard(sample());
		const match = filterBoard(board, { ...NO_FILTER, health: ['at-risk'] });
		expect(names(board, match.lanes)).toEqual([
			'Billing platform migration',
			'Observability rollout'
		]);
		const billing = board.programs[0]!.lanes.find((l) => l.name.startsWith('Billing'))!;
		const observability = board.programs[1]!.lanes.find((l) => l.name.startsWith('Obs'))!;
		const cards = (lane: typeof billing) => Object.values(lane.cells).flat().length;
		expect(match.cardCount).toBe(cards(billing) + cards(observability));
		expect(names(board, match.programs)).toEqual(['Self-serve growth', 'Platform reliability']);
	});

	it('matches text on a card and keeps its lane, not the lane’s other cards', () => {
		const board = readBoard(sample());
		const match = filterBoard(board, { ...NO_FILTER, text: 'webhooks' });
		expect(names(board, match.lanes)).toEqual(['Partner API']);
		expect(names(board, match.cards)).toEqual(['Webhooks']);
	});

	it('matches text on a lane name or manager with all its cards', () => {
		const board = readBoard(sample());
		const match = filterBoard(board, { ...NO_FILTER, text: 'mei chen' });
		expect(names(board, match.lanes)).toEqual(['Onboarding journey']);
		expect(match.cardCount).toBe(4);
	});

	it('narrows cards to an owner, and lanes to those holding them', () => {
		const doc = sample();
		const board0 = readBoard(doc);
		const webhooks = findItems(board0, 'webhooks')[0]!;
		updateCard(doc, { id: webhooks.id, owner: 'Ana Ruiz' });
		const board = readBoard(doc);
		expect(ownersOn(board)).toEqual(['Ana Ruiz']);
		const match = filterBoard(board, { ...NO_FILTER, owner: 'ana' });
		expect(names(board, match.cards)).toEqual(['Webhooks']);
		expect(names(board, match.lanes)).toEqual(['Partner API']);
	});

	it('finds lanes nobody has judged yet under "Not set"', () => {
		const doc = sample();
		const programId = readBoard(doc).programs[0]!.id;
		createLane(doc, { programId, name: 'Fresh lane' });
		const board = readBoard(doc);
		expect(names(board, filterBoard(board, { ...NO_FILTER, health: ['unset'] }).lanes)).toEqual([
			'Fresh lane'
		]);
	});

	it('limits to one program', () => {
		const board = readBoard(sample());
		const platform = board.programs[1]!;
		const match = filterBoard(board, { ...NO_FILTER, programId: platform.id });
		expect([...match.programs]).toEqual([platform.id]);
		expect(match.laneCount).toBe(platform.lanes.length);
	});
});

describe('the filter as a link', () => {
	it('round-trips through the query string, keeping other entries', () => {
		const criteria = {
			text: 'api',
			programId: 'p1',
			health: ['at-risk', 'unset'] as const,
			owner: 'Ana'
		};
		const params = criteriaToParams(
			{ ...criteria, health: [...criteria.health] },
			true,
			new URLSearchParams('x=1')
		);
		expect(params.toString()).toBe(
			'x=1&find=api&program=p1&health=at-risk%2Cunset&owner=Ana&hide=1'
		);
		expect(criteriaFromParams(params)).toEqual({ ...criteria, health: ['at-risk', 'unset'] });
	});

	it('drops a health the link does not know', () => {
		expect(criteriaFromParams(new URLSearchParams('health=purple,at-risk')).health).toEqual([
			'at-risk'
		]);
	});
});
