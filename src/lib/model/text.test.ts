import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	createLane,
	createObjective,
	createProgram,
	deleteLane,
	limits,
	readBoard
} from './index.ts';
import { sharedText, spliceText } from './text.ts';

function board() {
	const doc = new Y.Doc();
	const programId = createProgram(doc, { name: 'Payments' });
	const laneId = createLane(doc, { programId, name: 'Billing' });
	return { doc, programId, laneId };
}

function sync(a: Y.Doc, b: Y.Doc) {
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
}

describe('spliceText', () => {
	it('inserts and deletes at an offset', () => {
		const { doc, laneId } = board();
		const target = { collection: 'lanes', id: laneId, field: 'name' } as const;
		spliceText(doc, { ...target, index: 7, remove: 0, insert: ' v2' });
		spliceText(doc, { ...target, index: 0, remove: 1, insert: 'b' });
		expect(sharedText(doc, target)?.toString()).toBe('billing v2');
	});

	it('never splits an emoji, even when stale offsets land inside one', () => {
		const { doc, laneId } = board();
		const target = { collection: 'lanes', id: laneId, field: 'name' } as const;
		spliceText(doc, { ...target, index: 7, remove: 0, insert: ' 🚆 go' });
		// 'Billing 🚆 go': the train is UTF-16 units 8 and 9.
		spliceText(doc, { ...target, index: 9, remove: 0, insert: '!' });
		expect(sharedText(doc, target)?.toString()).toBe('Billing !🚆 go');
		spliceText(doc, { ...target, index: 10, remove: 1, insert: '' });
		expect(sharedText(doc, target)?.toString()).toBe('Billing ! go');
		spliceText(doc, { ...target, index: 8, remove: 1, insert: '🚂' });
		expect(sharedText(doc, target)?.toString()).toBe('Billing 🚂 go');
		expect(sharedText(doc, target)?.toString()).not.toContain('\uFFFD');
	});

	it('keeps both people’s keystrokes when they type into one field at once', () => {
		const a = board();
		const b = new Y.Doc();
		sync(a.doc, b);
		const target = { collection: 'lanes', id: a.laneId, field: 'name' } as const;
		spliceText(a.doc, { ...target, index: 0, remove: 0, insert: 'EU ' });
		spliceText(b, { ...target, index: 7, remove: 0, insert: ' 2027' });
		sync(a.doc, b);
		expect(readBoard(a.doc).programs[0]?.lanes[0]?.name).toBe('EU Billing 2027');
		expect(readBoard(b)).toEqual(readBoard(a.doc));
	});

	it('clamps offsets a remote delete made stale, and stops at the field’s limit', () => {
		const { doc, laneId } = board();
		const target = { collection: 'lanes', id: laneId, field: 'name' } as const;
		expect(spliceText(doc, { ...target, index: 50, remove: 9, insert: '!' })).toEqual({ cut: 0 });
		expect(sharedText(doc, target)?.toString()).toBe('Billing!');
		// What did not fit is reported, so the editor can tell the person the field is full.
		const insert = 'x'.repeat(limits.lane.name);
		expect(spliceText(doc, { ...target, index: 0, remove: 0, insert })).toEqual({ cut: 8 });
		expect(sharedText(doc, target)?.length).toBe(limits.lane.name);
	});

	it('reads each field limit from its record definition', () => {
		const { doc } = board();
		const id = createObjective(doc, { programId: readBoard(doc).programs[0]!.id });
		const target = { collection: 'objectives', id, field: 'description' } as const;
		const insert = 'd'.repeat(limits.objective.description + 5);
		expect(spliceText(doc, { ...target, index: 0, remove: 0, insert })).toEqual({ cut: 5 });
		expect(limits).toMatchObject({
			board: { title: 300, unit: 24 },
			program: { name: 200, objective: 2000, manager: 120 },
			lane: { name: 200, scope: 10_000, manager: 120 },
			period: { name: 200 },
			card: { title: 300, owner: 120 },
			objective: { name: 200, description: 2000 },
			risk: { title: 300, description: 2000, owner: 120 }
		});
	});

	it('edits the board title, and refuses unknown fields and deleted records', () => {
		const { doc, laneId } = board();
		spliceText(doc, { collection: 'board', field: 'title', index: 0, remove: 0, insert: 'Plan' });
		expect(readBoard(doc).title).toBe('Plan');
		expect(() =>
			spliceText(doc, {
				collection: 'lanes',
				id: laneId,
				field: 'manager',
				index: 0,
				remove: 0,
				insert: 'x'
			})
		).toThrow(/not a text field/);
		deleteLane(doc, { id: laneId });
		expect(sharedText(doc, { collection: 'lanes', id: laneId, field: 'name' })).toBeNull();
		expect(() =>
			spliceText(doc, {
				collection: 'lanes',
				id: laneId,
				field: 'name',
				index: 0,
				remove: 0,
				insert: 'x'
			})
		).toThrow(/does not exist/);
	});
});
