import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createLane, createProgram, deleteLane, readBoard, TEXT_LIMITS } from './index.ts';
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
		spliceText(doc, { ...target, index: 50, remove: 9, insert: '!' });
		expect(sharedText(doc, target)?.toString()).toBe('Billing!');
		spliceText(doc, { ...target, index: 0, remove: 0, insert: 'x'.repeat(TEXT_LIMITS.name) });
		expect(sharedText(doc, target)?.length).toBe(TEXT_LIMITS.name);
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
