import { describe, expect, it } from 'vitest';
import {
	cellIds,
	laneIds,
	laneOf,
	modelError,
	programOf,
	seeded,
	smallBoard,
	visibleCardIds
} from '../../../tests/helpers/board.ts';
import { createLane, deleteLane, moveLane, updateLane } from './operations.ts';
import { readBoard } from './snapshot.ts';

function priorities(doc: ReturnType<typeof smallBoard>, programId: string) {
	return programOf(readBoard(doc), programId).lanes.map((lane) => [lane.id, lane.priority]);
}

describe('createLane', () => {
	it('appends a lane to its program with defaults', () => {
		const doc = smallBoard();
		const id = createLane(doc, { ...seeded(), programId: 'growth', name: 'Analytics' });
		expect(laneIds(readBoard(doc), 'growth')).toEqual(['a', 'b', 'c', id]);
		expect(laneOf(readBoard(doc), id)).toMatchObject({
			name: 'Analytics',
			scope: '',
			manager: '',
			health: null,
			progress: 0,
			priority: 4,
			pos: { program: 'growth' },
			cells: {}
		});
	});

	it('inserts at the priority it is given', () => {
		const doc = smallBoard();
		createLane(doc, {
			id: 'urgent',
			programId: 'growth',
			index: 0,
			health: 'off-track',
			progress: 10,
			manager: 'Kwame',
			scope: 'Fix it'
		});
		expect(priorities(doc, 'growth')).toEqual([
			['urgent', 1],
			['a', 2],
			['b', 3],
			['c', 4]
		]);
		expect(laneOf(readBoard(doc), 'urgent')).toMatchObject({
			health: 'off-track',
			progress: 10,
			manager: 'Kwame',
			scope: 'Fix it'
		});
	});

	it('refuses an unknown program', () => {
		const error = modelError(() => createLane(smallBoard(), { programId: 'ghost' }));
		expect(error.code).toBe('not-found');
		expect(error.message).toBe('Program ghost does not exist');
	});

	it.each([
		['a health outside the list', { health: 'green' }, /^lane health: .*"green"/],
		['negative progress', { progress: -1 }, /^lane progress: .*>=0/],
		['progress over 100', { progress: 101 }, /^lane progress: .*<=100/],
		['fractional progress', { progress: 33.3 }, /^lane progress: Invalid integer/],
		['progress that is not a number', { progress: '50' }, /^lane progress: /],
		['a manager over 120 characters', { manager: 'm'.repeat(121) }, /^lane manager: /],
		['a name over the limit', { name: 'n'.repeat(201) }, /^name is longer than 200 characters$/],
		['a scope over the limit', { scope: 's'.repeat(10_001) }, /^scope is longer than 10000/],
		['a name that is not text', { name: 42 }, /^name must be text$/],
		['a taken id', { id: 'a' }, /^lane a already exists$/]
	])('refuses %s', (label, fields, message) => {
		const doc = smallBoard();
		const error = modelError(() => createLane(doc, { programId: 'growth', ...(fields as object) }));
		expect(error.code).toBe(/over (the limit|\d+ characters)/.test(label) ? 'too-long' : 'invalid');
		expect(error.message).toMatch(message);
		expect(laneIds(readBoard(doc), 'growth')).toEqual(['a', 'b', 'c']);
	});

	it('accepts the edges of the progress range', () => {
		const doc = smallBoard();
		const zero = createLane(doc, { programId: 'growth', progress: 0 });
		const full = createLane(doc, { programId: 'growth', progress: 100 });
		expect(laneOf(readBoard(doc), zero)?.progress).toBe(0);
		expect(laneOf(readBoard(doc), full)?.progress).toBe(100);
	});
});

describe('updateLane', () => {
	it('changes the given fields and leaves the rest alone', () => {
		const doc = smallBoard();
		updateLane(doc, { id: 'b', health: 'at-risk', progress: 40 });
		updateLane(doc, { id: 'b', scope: 'Move off the legacy system' });
		expect(laneOf(readBoard(doc), 'b')).toMatchObject({
			name: 'Billing',
			scope: 'Move off the legacy system',
			health: 'at-risk',
			progress: 40,
			priority: 2
		});
		expect(cellIds(readBoard(doc), 'b', 'q1')).toEqual(['b1']);
	});

	it('refuses an unknown id', () => {
		const error = modelError(() => updateLane(smallBoard(), { id: 'ghost', progress: 1 }));
		expect(error.code).toBe('not-found');
		expect(error.message).toBe('Lane ghost does not exist');
	});

	it('refuses a bad health with a message naming the field', () => {
		const doc = smallBoard();
		const error = modelError(() => updateLane(doc, { id: 'a', health: 'red' as 'at-risk' }));
		expect(error.message).toMatch(/^lane health: /);
		expect(laneOf(readBoard(doc), 'a')?.health).toBeNull();
	});
});

describe('moveLane within its program (reprioritise)', () => {
	it('moves a lane to the top', () => {
		const doc = smallBoard();
		moveLane(doc, { id: 'c', programId: 'growth', index: 0 });
		expect(priorities(doc, 'growth')).toEqual([
			['c', 1],
			['a', 2],
			['b', 3]
		]);
	});

	it('moves a lane down, counting the index without the lane itself', () => {
		const doc = smallBoard();
		moveLane(doc, { id: 'a', programId: 'growth', index: 1 });
		expect(laneIds(readBoard(doc), 'growth')).toEqual(['b', 'a', 'c']);
		moveLane(doc, { id: 'a', programId: 'growth', index: 2 });
		expect(laneIds(readBoard(doc), 'growth')).toEqual(['b', 'c', 'a']);
	});

	it('leaves the order as it is when the lane is moved to where it already is', () => {
		const doc = smallBoard();
		moveLane(doc, { id: 'b', programId: 'growth', index: 1 });
		expect(laneIds(readBoard(doc), 'growth')).toEqual(['a', 'b', 'c']);
	});

	it.each([
		['c', -1, ['c', 'a', 'b']],
		['a', 99, ['b', 'c', 'a']]
	])('clamps the index when moving %s to %i', (id, index, expected) => {
		const doc = smallBoard();
		moveLane(doc, { id, programId: 'growth', index });
		expect(laneIds(readBoard(doc), 'growth')).toEqual(expected);
	});

	it('keeps reprioritising correctly after many moves into the same gap', () => {
		const doc = smallBoard();
		const { rng } = seeded(5);
		for (let i = 0; i < 60; i++) {
			// Always between the first two: ranks get longer but stay strictly ordered.
			const lanes = laneIds(readBoard(doc), 'growth');
			moveLane(doc, { id: lanes[2] as string, programId: 'growth', index: 1, rng });
			const after = laneIds(readBoard(doc), 'growth');
			expect(after).toEqual([lanes[0], lanes[2], lanes[1]]);
		}
	});
});

describe('moveLane across programs', () => {
	it('moves the lane and its cards, and renumbers both programs', () => {
		const doc = smallBoard();
		moveLane(doc, { id: 'a', programId: 'platform', index: 0 });
		const board = readBoard(doc);
		expect(priorities(doc, 'growth')).toEqual([
			['b', 1],
			['c', 2]
		]);
		expect(priorities(doc, 'platform')).toEqual([
			['a', 1],
			['d', 2]
		]);
		expect(laneOf(board, 'a')?.pos.program).toBe('platform');
		expect(cellIds(board, 'a', 'q1')).toEqual(['a1', 'a2']);
		expect(cellIds(board, 'a', 'q2')).toEqual(['a3']);
	});

	it('appends when the index is past the end', () => {
		const doc = smallBoard();
		moveLane(doc, { id: 'b', programId: 'platform', index: 7 });
		expect(laneIds(readBoard(doc), 'platform')).toEqual(['d', 'b']);
	});

	it('refuses an unknown lane or program, leaving the lane where it was', () => {
		const doc = smallBoard();
		const lane = modelError(() => moveLane(doc, { id: 'ghost', programId: 'growth', index: 0 }));
		expect(lane.message).toBe('Lane ghost does not exist');
		const program = modelError(() => moveLane(doc, { id: 'a', programId: 'ghost', index: 0 }));
		expect(program.code).toBe('not-found');
		expect(program.message).toBe('Program ghost does not exist');
		expect(laneIds(readBoard(doc), 'growth')).toEqual(['a', 'b', 'c']);
	});
});

describe('deleteLane', () => {
	it('removes the lane and its cards in every period', () => {
		const doc = smallBoard();
		deleteLane(doc, { id: 'a' });
		const board = readBoard(doc);
		expect(priorities(doc, 'growth')).toEqual([
			['b', 1],
			['c', 2]
		]);
		expect(visibleCardIds(board)).toEqual(['b1', 'd1']);
		expect([...doc.getMap('cards').keys()].sort()).toEqual(['b1', 'd1']);
		expect(board.orphans).toEqual({ lanes: [], cards: [], dependencies: [], objectives: [] });
	});

	it('refuses an unknown id', () => {
		const error = modelError(() => deleteLane(smallBoard(), { id: 'ghost' }));
		expect(error.code).toBe('not-found');
	});
});
