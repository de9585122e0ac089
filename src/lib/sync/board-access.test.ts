import { describe, expect, it } from 'vitest';
import { AccessDenied, openBoardAccess } from './board-access.ts';
import type { BoardAccess } from './boards-api.ts';
import { heldLink, holdLink } from './links.ts';
import { memoryStorage } from './memory-storage.ts';

const board = (patch: Partial<BoardAccess> = {}): BoardAccess => ({
	id: 'b1',
	title: 'Plan',
	createdAt: 1,
	updatedAt: 2,
	role: 'editor',
	linkId: 'l1',
	expiresAt: null,
	...patch
});

/** A fetch that answers like the relay: the board for `valid` tokens, else the given refusal. */
function relay(answers: Record<string, { status: number; body: unknown }>) {
	const seen: (string | null)[] = [];
	const fetch = (async (_path: string, init?: RequestInit) => {
		const auth = new Headers(init?.headers).get('authorization');
		seen.push(auth);
		const token = auth?.replace(/^Bearer /, '') ?? '';
		const answer = answers[token] ?? { status: 401, body: { error: 'this link is not valid' } };
		return new Response(JSON.stringify(answer.body), { status: answer.status });
	}) as typeof globalThis.fetch;
	return { fetch, seen };
}

const noCache = async () => false;

async function problemOf(promise: Promise<unknown>) {
	const failure = await promise.catch((e: unknown) => e);
	expect(failure).toBeInstanceOf(AccessDenied);
	return (failure as AccessDenied).problem;
}

describe('openBoardAccess', () => {
	it('opens a shared link from the address and keeps it for next time', async () => {
		const storage = memoryStorage();
		const { fetch, seen } = relay({ tok: { status: 200, body: board() } });
		const opened = await openBoardAccess({
			fetch,
			boardId: 'b1',
			hash: '#token=tok',
			storage,
			hasCachedBoard: noCache,
			now: () => 42
		});
		expect(opened).toEqual({ board: board(), token: 'tok', offline: false, held: true });
		expect(seen).toEqual(['Bearer tok']);
		expect(heldLink('b1', storage)).toEqual({
			boardId: 'b1',
			token: 'tok',
			role: 'editor',
			title: 'Plan',
			seenAt: 42
		});
	});

	it('uses the held link when the address has none', async () => {
		const storage = memoryStorage();
		holdLink({ boardId: 'b1', token: 'own', role: 'owner', title: 'Old', seenAt: 1 }, storage);
		const { fetch } = relay({ own: { status: 200, body: board({ role: 'owner' }) } });
		const opened = await openBoardAccess({
			fetch,
			boardId: 'b1',
			hash: '',
			storage,
			hasCachedBoard: noCache
		});
		expect(opened.token).toBe('own');
		expect(heldLink('b1', storage)?.title).toBe('Plan');
	});

	it('says a link is needed, without asking the server, when there is none', async () => {
		const { fetch, seen } = relay({});
		const problem = await problemOf(
			openBoardAccess({
				fetch,
				boardId: 'b1',
				hash: '',
				storage: memoryStorage(),
				hasCachedBoard: noCache
			})
		);
		expect(problem.kind).toBe('missing');
		expect(problem.heading).toBe('You need a link to open this board');
		expect(seen).toEqual([]);
	});

	it.each([
		[
			401,
			{ error: 'this link has expired', reason: 'expired' },
			'expired',
			'This link has expired'
		],
		[401, { error: 'this link has expired' }, 'expired', 'This link has expired'],
		[401, { error: 'bad signature' }, 'invalid', 'This link does not work'],
		[403, { error: 'this link has been revoked' }, 'revoked', 'This link has been revoked'],
		[404, { error: 'this board no longer exists' }, 'not-found', 'Board not found']
	])('explains a %i %j as %s', async (status, body, kind, heading) => {
		const { fetch } = relay({ tok: { status, body } });
		const problem = await problemOf(
			openBoardAccess({
				fetch,
				boardId: 'b1',
				hash: '#token=tok',
				storage: memoryStorage(),
				hasCachedBoard: noCache
			})
		);
		expect(problem).toMatchObject({ kind, heading, status });
	});

	it('does not keep a link the server refused', async () => {
		const storage = memoryStorage();
		const { fetch } = relay({
			tok: { status: 403, body: { error: 'this link has been revoked' } }
		});
		await openBoardAccess({
			fetch,
			boardId: 'b1',
			hash: '#token=tok',
			storage,
			hasCachedBoard: noCache
		}).catch(() => {});
		expect(heldLink('b1', storage)).toBeNull();
	});

	it('opens a cached board with the held role when the server cannot be reached', async () => {
		const storage = memoryStorage();
		holdLink({ boardId: 'b1', token: 'own', role: 'owner', title: 'Plan', seenAt: 1 }, storage);
		const fetch = (async () => {
			throw new TypeError('Failed to fetch');
		}) as typeof globalThis.fetch;
		const opened = await openBoardAccess({
			fetch,
			boardId: 'b1',
			hash: '',
			storage,
			hasCachedBoard: async () => true
		});
		expect(opened).toMatchObject({
			offline: true,
			token: 'own',
			board: { role: 'owner', title: 'Plan' }
		});
	});

	it('opens an unknown shared link offline as read-only, and fails with no cached copy', async () => {
		const fetch = (async () => {
			throw new TypeError('Failed to fetch');
		}) as typeof globalThis.fetch;
		const opened = await openBoardAccess({
			fetch,
			boardId: 'b1',
			hash: '#token=new',
			storage: memoryStorage(),
			hasCachedBoard: async () => true
		});
		expect(opened.board.role).toBe('viewer');
		// Nothing could check it, so nothing holds it: the page keeps it in the address bar.
		expect(opened.held).toBe(false);
		await expect(
			openBoardAccess({
				fetch,
				boardId: 'b1',
				hash: '#token=new',
				storage: memoryStorage(),
				hasCachedBoard: noCache
			})
		).rejects.toThrow(TypeError);
	});

	it('replaces a stronger held link that no longer works with the working one just opened', async () => {
		const storage = memoryStorage();
		holdLink({ boardId: 'b1', token: 'dead', role: 'editor', title: 'Plan', seenAt: 1 }, storage);
		const { fetch } = relay({
			view: { status: 200, body: board({ role: 'viewer' }) },
			dead: { status: 403, body: { error: 'this link has been revoked', reason: 'revoked' } }
		});
		const opened = await openBoardAccess({
			fetch,
			boardId: 'b1',
			hash: '#token=view',
			storage,
			hasCachedBoard: noCache
		});
		expect(opened.board.role).toBe('viewer');
		expect(heldLink('b1', storage)).toMatchObject({ token: 'view', role: 'viewer' });
	});

	it('keeps a working owner link when its owner opens a viewer link to check it', async () => {
		const storage = memoryStorage();
		holdLink({ boardId: 'b1', token: 'own', role: 'owner', title: 'Plan', seenAt: 1 }, storage);
		const { fetch } = relay({
			view: { status: 200, body: board({ role: 'viewer' }) },
			own: { status: 200, body: board({ role: 'owner' }) }
		});
		const opened = await openBoardAccess({
			fetch,
			boardId: 'b1',
			hash: '#token=view',
			storage,
			hasCachedBoard: noCache
		});
		expect(opened).toMatchObject({ token: 'view', board: { role: 'viewer' }, held: true });
		expect(heldLink('b1', storage)).toMatchObject({ token: 'own', role: 'owner' });
	});

	it('opens with the link this browser holds when the shared one is refused', async () => {
		const storage = memoryStorage();
		holdLink({ boardId: 'b1', token: 'mine', role: 'editor', title: 'Plan', seenAt: 1 }, storage);
		const { fetch } = relay({
			mine: { status: 200, body: board() },
			old: { status: 403, body: { error: 'this link has been revoked' } }
		});
		const opened = await openBoardAccess({
			fetch,
			boardId: 'b1',
			hash: '#token=old',
			storage,
			hasCachedBoard: noCache
		});
		expect(opened).toMatchObject({ token: 'mine', board: { role: 'editor' } });
	});
});
