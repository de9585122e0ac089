import { describe, expect, it } from 'vitest';
import {
	dropLink,
	heldLink,
	heldLinks,
	holdLink,
	shareUrl,
	tokenFromHash,
	type HeldLink
} from './links.ts';
import { memoryStorage } from './memory-storage.ts';

const link = (patch: Partial<HeldLink> = {}): HeldLink => ({
	boardId: 'b1',
	token: 't-owner',
	role: 'owner',
	title: 'Plan',
	seenAt: 1,
	...patch
});

describe('held links', () => {
	it('remembers one link per board, most recently seen first', () => {
		const s = memoryStorage();
		holdLink(link(), s);
		holdLink(link({ boardId: 'b2', seenAt: 5, role: 'viewer', token: 'v' }), s);
		expect(heldLinks(s).map((l) => l.boardId)).toEqual(['b2', 'b1']);
		expect(heldLink('b1', s)?.token).toBe('t-owner');
		dropLink('b1', s);
		expect(heldLink('b1', s)).toBeNull();
	});

	it('does not trade an owner link for a viewer link to the same board', () => {
		const s = memoryStorage();
		holdLink(link(), s);
		const kept = holdLink(
			link({ role: 'viewer', token: 't-viewer', title: 'Renamed', seenAt: 9 }),
			s
		);
		expect(kept).toMatchObject({ role: 'owner', token: 't-owner', title: 'Renamed', seenAt: 9 });
		// ...but a stronger link does replace a weaker one.
		holdLink(link({ boardId: 'b3', role: 'viewer', token: 'v3' }), s);
		expect(holdLink(link({ boardId: 'b3', role: 'editor', token: 'e3' }), s).role).toBe('editor');
	});

	it('ignores whatever else is stored under its key', () => {
		const s = memoryStorage();
		s.setItem(
			'railyard.links.v1',
			JSON.stringify({ b1: { boardId: 'b1', role: 'god' }, b2: link({ boardId: 'b2' }) })
		);
		expect(heldLinks(s).map((l) => l.boardId)).toEqual(['b2']);
		s.setItem('railyard.links.v1', '{not json');
		expect(heldLinks(s)).toEqual([]);
	});

	it('reads the token from the fragment and builds share URLs that round-trip', () => {
		const url = shareUrl('http://127.0.0.1:3000', 'b1', 'a.b.c');
		expect(url).toBe('http://127.0.0.1:3000/b/b1#token=a.b.c');
		expect(tokenFromHash(new URL(url).hash)).toBe('a.b.c');
		expect(tokenFromHash('')).toBeNull();
	});
});
