import { describe, expect, it } from 'vitest';
import {
	fork,
	modelError,
	rawRecord,
	smallBoard,
	sync,
	transactionsOf
} from '../../../tests/helpers/board.ts';
import { createRisk, deleteRisk, moveRisk, updateRisk } from './operations-risks.ts';
import { deleteLane } from './operations.ts';
import { readBoard } from './snapshot.ts';

const column = (doc: ReturnType<typeof smallBoard>, roam: 'new' | 'owned' | 'resolved') =>
	readBoard(doc).risks[roam].map((r) => r.title);

describe('risks', () => {
	it('start not roamed, ordered within their column', () => {
		const doc = smallBoard();
		createRisk(doc, { title: 'Vendor late', threatens: { kind: 'lane', id: 'a' } });
		createRisk(doc, { title: 'Key person leaves', index: 0 });
		expect(column(doc, 'new')).toEqual(['Key person leaves', 'Vendor late']);
		expect(readBoard(doc).risks.new[1]).toMatchObject({
			threatens: { kind: 'lane', id: 'a' },
			roam: 'new',
			note: null,
			threatGone: false
		});
	});

	it('move between ROAM columns with one write', () => {
		const doc = smallBoard();
		const id = createRisk(doc, { title: 'R' });
		const txs = transactionsOf(doc, () => moveRisk(doc, { id, roam: 'resolved', index: 0 }));
		expect(txs).toEqual([{ origin: 'local', changed: [`risks/${id}:pos`] }]);
		expect(column(doc, 'resolved')).toEqual(['R']);
	});

	it('refuses Owned without an owner, and takes the owner in the same write', () => {
		const doc = smallBoard();
		const id = createRisk(doc, { title: 'R' });
		expect(modelError(() => moveRisk(doc, { id, roam: 'owned', index: 0 })).code).toBe(
			'needs-owner'
		);
		expect(modelError(() => moveRisk(doc, { id, roam: 'owned', index: 0, owner: ' ' })).code).toBe(
			'needs-owner'
		);
		expect(modelError(() => createRisk(doc, { title: 'S', roam: 'owned' })).code).toBe(
			'needs-owner'
		);
		expect(column(doc, 'owned')).toEqual([]);
		const txs = transactionsOf(doc, () =>
			moveRisk(doc, { id, roam: 'owned', index: 0, owner: 'Mei' })
		);
		expect(txs).toHaveLength(1);
		expect(readBoard(doc).risks.owned[0]).toMatchObject({ owner: 'Mei', roam: 'owned' });
		// Clearing the owner of an Owned risk is refused too.
		expect(modelError(() => updateRisk(doc, { id, owner: '' })).code).toBe('needs-owner');
	});

	it('reads one written as owned without an owner as not roamed, with a note', () => {
		const a = smallBoard(1);
		const id = createRisk(a, { title: 'R', owner: 'Mei' });
		const b = fork(a, 2);
		// One person clears the owner while another moves it to Owned: both writes were allowed.
		updateRisk(a, { id, owner: '' });
		moveRisk(b, { id, roam: 'owned', index: 0 });
		sync(a, b);
		const risk = readBoard(a).risks.new[0]!;
		expect(risk).toMatchObject({ id, roam: 'new', pos: { roam: 'owned' } });
		expect(risk.note).toMatch(/without an owner/);
		expect(readBoard(a).risks.owned).toEqual([]);
		expect(readBoard(b)).toEqual(readBoard(a));
	});

	it('places a move among the risks its column shows, counting one read as not roamed', () => {
		const doc = smallBoard();
		createRisk(doc, { title: 'A' });
		createRisk(doc, { title: 'B' });
		const x = createRisk(doc, { title: 'X', owner: 'Mei', index: 1 });
		const c = createRisk(doc, { title: 'C', roam: 'resolved' });
		// X was moved to Owned while someone cleared its owner: it shows as not roamed, second.
		rawRecord(doc, 'risks', x).set('owner', '');
		rawRecord(doc, 'risks', x).set('pos', { ...readBoard(doc).risks.new[1]!.pos, roam: 'owned' });
		expect(column(doc, 'new')).toEqual(['A', 'X', 'B']);
		// Dropped third in New, as the screen shows it: between X and B, not after B.
		moveRisk(doc, { id: c, roam: 'new', index: 2 });
		expect(column(doc, 'new')).toEqual(['A', 'X', 'C', 'B']);
		// And Owned, where X is not shown, counts without it.
		createRisk(doc, { title: 'Y', owner: 'Lee', roam: 'owned' });
		moveRisk(doc, { id: c, roam: 'owned', index: 0, owner: 'Ana' });
		expect(column(doc, 'owned')).toEqual(['C', 'Y']);
	});

	it('shows a risk whose column is unreadable last among the new ones, with a note', () => {
		const doc = smallBoard();
		createRisk(doc, { title: 'A' });
		const id = createRisk(doc, { title: 'B', index: 0 });
		rawRecord(doc, 'risks', id).set('pos', { roam: 'someday', rank: 'a0' });
		const risks = readBoard(doc).risks.new;
		expect(risks.map((r) => [r.title, r.note !== null])).toEqual([
			['A', false],
			['B', true]
		]);
	});

	it('says when what it threatens is gone, and refuses a threat that does not exist', () => {
		const doc = smallBoard();
		createRisk(doc, { title: 'R', threatens: { kind: 'lane', id: 'a' } });
		deleteLane(doc, { id: 'a' });
		expect(readBoard(doc).risks.new[0]!.threatGone).toBe(true);
		expect(
			modelError(() => createRisk(doc, { title: 'S', threatens: { kind: 'card', id: 'zz' } })).code
		).toBe('not-found');
	});

	it('deletes', () => {
		const doc = smallBoard();
		const id = createRisk(doc, { title: 'R' });
		deleteRisk(doc, { id });
		expect(column(doc, 'new')).toEqual([]);
	});
});
