import { describe, expect, it } from 'vitest';
import type { Fetch, LinkInfo } from '$lib/sync/boards-api.ts';
import { linkStatus, ShareLinks } from './share-links.svelte.ts';

const link = (patch: Partial<LinkInfo>): LinkInfo => ({
	id: 'l1',
	role: 'editor',
	label: '',
	createdAt: 1,
	expiresAt: null,
	revokedAt: null,
	...patch
});

/** A relay that answers each request with the next of `answers` (status, body) and records it. */
function relay(answers: [number, unknown][]) {
	const seen: { method: string; url: string; auth: string | null }[] = [];
	const fetch: Fetch = async (input, init) => {
		const headers = new Headers(init?.headers);
		seen.push({
			method: init?.method ?? 'GET',
			url: String(input),
			auth: headers.get('authorization')
		});
		const [status, body] = answers.shift() ?? [500, { error: 'no answer left' }];
		return new Response(JSON.stringify(body), { status });
	};
	return { fetch, seen };
}

const make = (fetch: Fetch) =>
	new ShareLinks({
		boardId: () => 'b1',
		token: () => 'owner-token',
		fetch,
		origin: () => 'https://plan.example'
	});

describe('ShareLinks', () => {
	it('lists live links newest first, dead ones after', async () => {
		const { fetch, seen } = relay([
			[
				200,
				{
					links: [
						link({ id: 'old', createdAt: 1 }),
						link({ id: 'revoked', createdAt: 5, revokedAt: 6 }),
						link({ id: 'new', createdAt: 3 }),
						link({ id: 'expired', createdAt: 4, expiresAt: 2 })
					]
				}
			]
		]);
		const share = make(fetch);
		await share.refresh();
		expect(share.links.map((l) => l.id)).toEqual(['new', 'old', 'revoked', 'expired']);
		expect(seen).toEqual([
			{ method: 'GET', url: '/api/boards/b1/links', auth: 'Bearer owner-token' }
		]);
		expect(share.error).toBeNull();
	});

	it('makes a link and hands back its address; a refusal is an error, not a throw', async () => {
		const { fetch } = relay([
			[201, { link: link({ id: 'l2', role: 'viewer' }), token: 't/2' }],
			[403, { error: 'only the owner may share' }]
		]);
		const share = make(fetch);
		const made = await share.create({ role: 'viewer', expiresAt: null });
		expect(made).toEqual({ linkId: 'l2', url: 'https://plan.example/b/b1#token=t%2F2' });
		expect(share.links.map((l) => l.id)).toEqual(['l2']);
		expect(await share.create({ role: 'editor', expiresAt: null })).toBeNull();
		expect(share.error).toBe('The link could not be made: only the owner may share');
		expect(share.creating).toBe(false);
	});

	it('revokes: the link is listed as revoked', async () => {
		const { fetch, seen } = relay([
			[200, { links: [link({ id: 'l1' })] }],
			[200, { link: link({ id: 'l1', revokedAt: 9 }) }]
		]);
		const share = make(fetch);
		await share.refresh();
		expect(await share.revoke(share.links[0]!)).toBe(true);
		expect(linkStatus(share.links[0]!)).toBe('revoked');
		expect(seen[1]).toMatchObject({ method: 'DELETE', url: '/api/boards/b1/links/l1' });
	});
});
