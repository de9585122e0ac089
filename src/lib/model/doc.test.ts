import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fork, newDoc, sync } from '../../../tests/helpers/board.ts';
import { readText, replaceText, textField } from './doc.ts';

function textDoc(initial: string): { doc: Y.Doc; text: Y.Text } {
	const doc = newDoc(1);
	const text = doc.getText('t');
	text.insert(0, initial);
	return { doc, text };
}

/** The edit replaceText made, as Yjs reports it. */
function deltaOf(text: Y.Text, next: string): unknown[] {
	let delta: unknown[] = [];
	const observer = (event: Y.YTextEvent) => (delta = event.delta);
	text.observe(observer);
	replaceText(text, next);
	text.unobserve(observer);
	return delta;
}

describe('replaceText', () => {
	it.each([
		['', 'hello'],
		['hello', ''],
		['hello world', 'hello there'],
		['abc', 'xbc'],
		['aaaa', 'aa'],
		['abab', 'ab'],
		['same', 'same']
	])('turns %j into %j', (from, to) => {
		const { text } = textDoc(from);
		replaceText(text, to);
		expect(text.toString()).toBe(to);
	});

	it('touches only the span that differs', () => {
		const { text } = textDoc('hello world');
		expect(deltaOf(text, 'hello brave world')).toEqual([{ retain: 6 }, { insert: 'brave ' }]);
		expect(deltaOf(text, 'hello world')).toEqual([{ retain: 6 }, { delete: 6 }]);
	});

	it('writes nothing when the text is unchanged', () => {
		const { doc, text } = textDoc('same');
		let updates = 0;
		doc.on('update', () => (updates += 1));
		replaceText(text, 'same');
		expect(updates).toBe(0);
	});

	it('keeps a concurrent insert elsewhere in the same field', () => {
		const { doc: a, text } = textDoc('hello world');
		const b = fork(a, 2);
		b.getText('t').insert(0, '>> ');
		replaceText(text, 'hello there');
		sync(a, b);
		expect(a.getText('t').toString()).toBe('>> hello there');
		expect(b.getText('t').toString()).toBe('>> hello there');
	});

	it('keeps concurrent inserts at both ends while the middle is rewritten', () => {
		const { doc: a, text } = textDoc('plan the launch');
		const b = fork(a, 2);
		const c = fork(a, 3);
		replaceText(b.getText('t'), 'Plan the launch');
		replaceText(c.getText('t'), 'plan the launch!');
		replaceText(text, 'plan a launch');
		sync(a, b);
		sync(a, c);
		sync(b, c);
		for (const doc of [a, b, c]) expect(doc.getText('t').toString()).toBe('Plan a launch!');
	});

	it.each([
		['one emoji for another sharing the high surrogate', 'a😀b', 'a😃b'],
		['one emoji for another sharing the low surrogate', 'a😀b', 'a🨀b'],
		['an emoji removed between two equal ones', '😀😀😀', '😀😀'],
		['text typed after an emoji', 'ship 🚀', 'ship 🚀 now'],
		['an emoji replacing a letter', 'go!', 'go🎉']
	])('never splits a surrogate pair: %s', (_label, from, to) => {
		const { doc: a, text } = textDoc(from);
		const b = fork(a, 2);
		replaceText(text, to);
		sync(a, b);
		expect(a.getText('t').toString()).toBe(to);
		expect(b.getText('t').toString()).toBe(to);
	});
});

describe('readText', () => {
	it('reads a shared text, a plain string, and anything else as empty', () => {
		const doc = newDoc();
		const map = doc.getMap<unknown>('m');
		map.set('text', new Y.Text('typed'));
		map.set('plain', 'written by an old peer');
		map.set('number', 42);
		expect(readText(map, 'text')).toBe('typed');
		expect(readText(map, 'plain')).toBe('written by an old peer');
		expect(readText(map, 'number')).toBe('');
		expect(readText(map, 'missing')).toBe('');
	});
});

describe('textField', () => {
	it('returns the existing shared text', () => {
		const doc = newDoc();
		const map = doc.getMap<unknown>('m');
		const text = new Y.Text('x');
		map.set('name', text);
		expect(textField(map, 'name')).toBe(text);
	});

	it('turns a plain string into a shared text with the same content, and garbage into empty', () => {
		const doc = newDoc();
		const map = doc.getMap<unknown>('m');
		map.set('plain', 'hello');
		map.set('garbage', { not: 'text' });
		expect(textField(map, 'plain').toString()).toBe('hello');
		expect(map.get('plain')).toBeInstanceOf(Y.Text);
		expect(textField(map, 'garbage').toString()).toBe('');
	});
});
