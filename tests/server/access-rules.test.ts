/**
 * The access rules that need no socket: a viewer's presence reduced to VIEWER_FIELDS, and the
 * Origin check's default and allow-list modes.
 */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { AwarenessEntry } from '../../server/sync/awareness-owners.ts';
import { originAllowed } from '../../server/http/origin.ts';
import { viewerEntries } from '../../server/sync/viewer-presence.ts';

const entry = (clientID: number, state: unknown): AwarenessEntry => ({
	clientID,
	clock: 3,
	json: JSON.stringify(state),
	removal: state === null
});

describe('viewerEntries', () => {
	it('keeps only presence fields, and removals as removals', () => {
		const [full, removal, odd] = viewerEntries([
			entry(1, {
				user: { name: 'Ada', colour: '#112233' },
				cursor: { x: 1, y: 2 },
				editing: { kind: 'card', id: 'c' },
				summon: { at: 5 }
			}),
			entry(2, null),
			entry(3, 'not an object')
		]);
		expect(JSON.parse(full!.json)).toEqual({
			user: { name: 'Ada', colour: '#112233' },
			cursor: { x: 1, y: 2 }
		});
		expect(full).toMatchObject({ clientID: 1, clock: 3, removal: false });
		expect(removal).toEqual(entry(2, null));
		// Not a removal: the id stays the viewer's, with nothing in it.
		expect(odd).toMatchObject({ json: '{}', removal: false });
	});
});

describe('originAllowed', () => {
	const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

	it('by default wants the Origin’s host to be the Host the request was sent to', () => {
		expect(originAllowed(req({ host: 'plan.example.org' }), null)).toBe(true);
		expect(
			originAllowed(req({ host: 'plan.example.org', origin: 'https://plan.example.org' }), null)
		).toBe(true);
		expect(
			originAllowed(req({ host: 'localhost:3000', origin: 'http://localhost:3000' }), null)
		).toBe(true);
		expect(
			originAllowed(req({ host: 'localhost:3000', origin: 'http://localhost:5173' }), null)
		).toBe(false);
		expect(originAllowed(req({ host: 'plan.example.org', origin: 'null' }), null)).toBe(false);
		expect(originAllowed(req({ origin: 'https://plan.example.org' }), null)).toBe(false);
	});

	it('with an allow-list wants the exact origin', () => {
		const allowed = ['https://plan.example.org'];
		expect(originAllowed(req({ host: 'x', origin: 'https://plan.example.org' }), allowed)).toBe(
			true
		);
		expect(originAllowed(req({ host: 'x', origin: 'http://plan.example.org' }), allowed)).toBe(
			false
		);
		expect(originAllowed(req({ host: 'x' }), allowed)).toBe(true);
	});
});
