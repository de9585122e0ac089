/**
 * Opening a board: which link to use, what it opens, and — when it opens nothing — a problem the
 * page can explain in plain words. The link comes from the address (`#token=…`, a link someone
 * shared) or from the links this browser holds (links.ts). With no network, a board this
 * browser has a copy of opens from that copy with the role it last had.
 */
import { ApiError, getBoard, type BoardAccess, type Fetch } from './boards-api.ts';
import { dropLink, heldLink, holdLink, stronger, tokenFromHash, type Role } from './links.ts';

export type AccessProblemKind = 'missing' | 'invalid' | 'expired' | 'revoked' | 'not-found';

/** Why a link opens nothing, in the words the page shows. */
export interface AccessProblem {
	kind: AccessProblemKind;
	status: number;
	heading: string;
	detail: string;
}

const PROBLEMS: Record<AccessProblemKind, Omit<AccessProblem, 'status'>> = {
	missing: {
		kind: 'missing',
		heading: 'You need a link to open this board',
		detail:
			'Railyard boards are private. Ask the board’s owner to share a link with you, then open that link.'
	},
	invalid: {
		kind: 'invalid',
		heading: 'This link does not work',
		detail:
			'It is incomplete, or was not issued by this server. Check that you copied all of it, or ask the board’s owner for a new one.'
	},
	expired: {
		kind: 'expired',
		heading: 'This link has expired',
		detail: 'Share links can be given an end date. Ask the board’s owner for a new link.'
	},
	revoked: {
		kind: 'revoked',
		heading: 'This link has been revoked',
		detail: 'The board’s owner withdrew it. Ask them for a new link if you still need the board.'
	},
	'not-found': {
		kind: 'not-found',
		heading: 'Board not found',
		detail: 'This server has no board with that id. It may have been deleted.'
	}
};

/** The problem an API refusal stands for, or null when it is not about the link (a 500). */
export function accessProblem(error: unknown): AccessProblem | null {
	if (!(error instanceof ApiError)) return null;
	const text = `${error.reason ?? ''} ${error.message}`.toLowerCase();
	let kind: AccessProblemKind;
	if (error.status === 404) kind = 'not-found';
	else if (error.status === 401)
		kind = text.includes('expired')
			? 'expired'
			: text.includes('missing') || text.includes('required')
				? 'missing'
				: 'invalid';
	else if (error.status === 403) kind = text.includes('revoked') ? 'revoked' : 'invalid';
	else return null;
	return { ...PROBLEMS[kind], status: error.status };
}

export function missingLink(): AccessProblem {
	return { ...PROBLEMS.missing, status: 401 };
}

export class AccessDenied extends Error {
	readonly problem: AccessProblem;
	constructor(problem: AccessProblem) {
		super(problem.heading);
		this.name = 'AccessDenied';
		this.problem = problem;
	}
}

export interface OpenedBoard {
	board: BoardAccess;
	token: string;
	/** True when the server could not be reached and the board opens from this browser's copy. */
	offline: boolean;
	/**
	 * Whether this browser now holds a link that opens the board, so the address bar may drop the
	 * `#token=` fragment. False for a shared link opened offline: nothing could check it yet.
	 */
	held: boolean;
}

/** What `token` opens, or the AccessProblem why not; anything else (no network, a 500) throws. */
async function tryToken(
	fetch: Fetch,
	id: string,
	token: string
): Promise<BoardAccess | AccessProblem> {
	try {
		return await getBoard({ fetch, id, token });
	} catch (failure) {
		const problem = accessProblem(failure);
		if (problem) return problem;
		throw failure;
	}
}

const isProblem = (value: BoardAccess | AccessProblem): value is AccessProblem =>
	'heading' in value;

/**
 * What the link in `hash` (or the one this browser holds) opens. Throws AccessDenied when the
 * server refuses it (and any link this browser holds), the ApiError for any other refusal, and
 * the fetch failure when the server cannot be reached and this browser has no copy of the board.
 *
 * Links held are kept working: a shared link that is refused falls back to a held one that still
 * opens the board, and a held link that no longer works never outranks a working shared one.
 */
export async function openBoardAccess(opts: {
	fetch: Fetch;
	boardId: string;
	hash: string;
	storage?: Storage;
	hasCachedBoard: (boardId: string) => Promise<boolean>;
	now?: () => number;
}): Promise<OpenedBoard> {
	const { fetch, boardId, storage } = opts;
	const now = opts.now ?? Date.now;
	const shared = tokenFromHash(opts.hash);
	const held = heldLink(boardId, storage);
	const other = held && held.token !== shared ? held : null;
	let token = shared ?? held?.token;
	if (!token) throw new AccessDenied(missingLink());
	let opened: BoardAccess | AccessProblem;
	try {
		opened = await tryToken(fetch, boardId, token);
		if (isProblem(opened) && shared && other) {
			const fallback = await tryToken(fetch, boardId, other.token);
			if (!isProblem(fallback)) [opened, token] = [fallback, other.token];
		}
	} catch (failure) {
		// fetch rejects with a TypeError only when no answer came back; an answer is the server's word.
		if (!(failure instanceof TypeError) || !(await opts.hasCachedBoard(boardId))) throw failure;
		const role: Role = shared ? (held?.token === shared ? held.role : 'viewer') : held!.role;
		return {
			board: {
				...{ id: boardId, title: held?.title ?? '', createdAt: 0, updatedAt: 0 },
				...{ role, linkId: '', expiresAt: null }
			},
			token,
			offline: true,
			held: !shared || held?.token === shared
		};
	}
	if (isProblem(opened)) throw new AccessDenied(opened);
	const board = opened;
	// A stronger link held from before wins only while it still works (a revoked editor link
	// must not swallow the working viewer link just opened).
	if (other && other.token !== token && stronger(other.role, board.role)) {
		const still = await tryToken(fetch, boardId, other.token).catch(() => null);
		if (still && isProblem(still)) dropLink(boardId, storage);
	}
	holdLink({ boardId, token, role: board.role, title: board.title, seenAt: now() }, storage);
	return { board, token, offline: false, held: true };
}
