import { describe, expect, it } from 'vitest';
import { readPresence, viewerPresence } from './presence.ts';

const user = { name: 'Ana', colour: '#1f77b4' };

describe('readPresence', () => {
	it('reads a full state', () => {
		const state = {
			user,
			cursor: { x: 10, y: 20 },
			selection: { kind: 'lane', id: 'l1' },
			viewport: { left: 0, top: 300 },
			editing: null,
			dragging: { kind: 'card', id: 'c1' },
			summon: { at: 5 },
			presenting: true
		};
		expect(readPresence(state)).toEqual(state);
	});

	it('is null without a valid user, so a stranger or garbage shows nobody', () => {
		expect(readPresence(null)).toBeNull();
		expect(readPresence('x')).toBeNull();
		expect(readPresence({ cursor: { x: 1, y: 1 } })).toBeNull();
		expect(readPresence({ user: { name: '', colour: '#000000' } })).toBeNull();
		expect(readPresence({ user: { name: 'A', colour: 'red' } })).toBeNull();
	});

	it('drops one bad field and keeps the person', () => {
		const read = readPresence({
			user: { name: '  Bo  ', colour: '#ABCDEF' },
			cursor: { x: Number.NaN, y: 1 },
			selection: { kind: 'spaceship', id: 'x' },
			dragging: { kind: 'lane', id: 'l2' },
			extra: 'ignored'
		});
		expect(read).toEqual({
			user: { name: 'Bo', colour: '#ABCDEF' },
			cursor: null,
			selection: null,
			viewport: null,
			editing: null,
			dragging: { kind: 'lane', id: 'l2' },
			summon: null,
			presenting: false
		});
	});

	it('reads where on an item the pointer is, and drops a cursor whose spot is off the item', () => {
		const on = { kind: 'card', id: 'c1', fx: 0.25, fy: 1 };
		expect(readPresence({ user, cursor: { x: 5, y: 6, on } })?.cursor).toEqual({ x: 5, y: 6, on });
		const off = { ...on, fx: 1.5 };
		expect(readPresence({ user, cursor: { x: 5, y: 6, on: off } })?.cursor).toBeNull();
	});

	it('refuses names longer than 40 characters', () => {
		expect(readPresence({ user: { name: 'x'.repeat(41), colour: '#000000' } })).toBeNull();
	});
});

describe('viewerPresence', () => {
	it('keeps who, where and what they look at; strips editing, dragging and summon', () => {
		expect(
			viewerPresence({
				user,
				cursor: { x: 1, y: 2 },
				selection: null,
				viewport: { left: 0, top: 0 },
				editing: { kind: 'lane', id: 'l1' },
				dragging: { kind: 'lane', id: 'l1' },
				summon: { at: 1 },
				anything: 'else'
			})
		).toEqual({ user, cursor: { x: 1, y: 2 }, selection: null, viewport: { left: 0, top: 0 } });
	});

	it('passes a removal (null) through as null', () => {
		expect(viewerPresence(null)).toBeNull();
	});
});
