import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createLane, createProgram, readBoard, spliceText } from '$lib/model/index.ts';
import { writeLock } from '$lib/model/locks.ts';
import { spliceFor, TextSession } from './text-session.ts';

function twoPeers() {
	const a = new Y.Doc();
	const b = new Y.Doc();
	// Deliver every update straight away, as a relay would.
	a.on(
		'update',
		(u: Uint8Array, origin: unknown) => origin !== 'net' && Y.applyUpdate(b, u, 'net')
	);
	b.on(
		'update',
		(u: Uint8Array, origin: unknown) => origin !== 'net' && Y.applyUpdate(a, u, 'net')
	);
	const programId = createProgram(a, { name: 'Payments' });
	const laneId = createLane(a, { programId, name: 'Billing' });
	return { a, b, target: { collection: 'lanes', id: laneId, field: 'name' } as const };
}

const laneName = (doc: Y.Doc) => readBoard(doc).programs[0]?.lanes[0]?.name;

describe('spliceFor', () => {
	it('puts an ambiguous insert where the caret says it was typed', () => {
		expect(spliceFor('aa', 'aaa', 1)).toEqual({ index: 0, remove: 0, insert: 'a' });
		expect(spliceFor('aa', 'aaa', 3)).toEqual({ index: 2, remove: 0, insert: 'a' });
		expect(spliceFor('Billing', 'Bing', 1)).toEqual({ index: 1, remove: 3, insert: '' });
		expect(spliceFor('Billing', 'Billing EU', 10)).toEqual({ index: 7, remove: 0, insert: ' EU' });
		expect(spliceFor('same', 'same', 2)).toBeNull();
	});
});

describe('TextSession', () => {
	it('keeps both people’s characters and moves my caret past what the other typed', () => {
		const { a, b, target } = twoPeers();
		const remote: { value: string; caret: number }[] = [];
		const session = new TextSession({
			doc: a,
			target,
			onremote: (value, map) => remote.push({ value, caret: map(7) })
		});
		session.input('Billing EU', 10);
		spliceText(b, { ...target, index: 0, remove: 0, insert: 'New ' });
		session.commit();
		expect(laneName(a)).toBe('New Billing EU');
		expect(laneName(b)).toBe('New Billing EU');
		expect(remote).toEqual([{ value: 'New Billing EU', caret: 11 }]);
	});

	it('cancel takes back only this session’s edits', () => {
		const { a, b, target } = twoPeers();
		const session = new TextSession({ doc: a, target, onremote: () => {} });
		session.input('Billing v', 9);
		session.input('Billing v2', 10);
		spliceText(b, { ...target, index: 0, remove: 0, insert: 'EU ' });
		session.cancel();
		expect(laneName(a)).toBe('EU Billing');
		expect(laneName(b)).toBe('EU Billing');
	});

	it('stops listening once committed', () => {
		const { a, b, target } = twoPeers();
		let calls = 0;
		const session = new TextSession({ doc: a, target, onremote: () => (calls += 1) });
		session.commit();
		spliceText(b, { ...target, index: 0, remove: 0, insert: 'x' });
		expect(calls).toBe(0);
	});
});

describe('TextSession under a lock', () => {
	it('writes nothing once the field is locked, and says why', () => {
		const { a, target } = twoPeers();
		const refused: string[] = [];
		const session = new TextSession({
			doc: a,
			target,
			onremote: () => {},
			onrefused: (message) => refused.push(message)
		});
		expect(session.input('Billing EU', 10)).toBe(true);
		writeLock(a, { target: { kind: 'structure' }, lock: { by: 'Ana', at: 1 }, origin: 'relay' });
		expect(session.input('Billing EU!', 11)).toBe(false);
		expect(session.value).toBe('Billing EU');
		expect(laneName(a)).toBe('Billing EU');
		expect(refused).toEqual(['Structure locked by Ana']);
	});
});
