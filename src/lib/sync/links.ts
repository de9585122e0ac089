/**
 * The share links this browser holds, one per board, in localStorage. Boards are private: the home
 * page lists the boards this browser has a link for, and every request to a board carries its
 * token. A link arrives in the page's fragment (`/b/<id>#token=…`), which browsers never send to
 * the server or in a Referer, and is moved here on first visit.
 */
import { isRole, stronger, type Role } from '$lib/protocol/roles';

export { stronger, type Role };

export interface HeldLink {
	boardId: string;
	token: string;
	role: Role;
	title: string;
	/** Epoch ms when this browser last saw the board. */
	seenAt: number;
}

const KEY = 'railyard.links.v1';

function isHeldLink(value: unknown): value is HeldLink {
	if (!value || typeof value !== 'object') return false;
	const v = value as Record<string, unknown>;
	return (
		typeof v.boardId === 'string' &&
		typeof v.token === 'string' &&
		isRole(v.role) &&
		typeof v.title === 'string' &&
		typeof v.seenAt === 'number'
	);
}

function read(storage: Storage): Record<string, HeldLink> {
	try {
		const parsed: unknown = JSON.parse(storage.getItem(KEY) ?? '{}');
		if (!parsed || typeof parsed !== 'object') return {};
		// Whatever another version (or a hand edit) left here, keep only what reads as a link.
		return Object.fromEntries(Object.entries(parsed).filter(([, link]) => isHeldLink(link)));
	} catch {
		return {};
	}
}

function write(storage: Storage, links: Record<string, HeldLink>): void {
	storage.setItem(KEY, JSON.stringify(links));
}

export function heldLinks(storage: Storage = localStorage): HeldLink[] {
	return Object.values(read(storage)).sort((a, b) => b.seenAt - a.seenAt);
}

export function heldLink(boardId: string, storage: Storage = localStorage): HeldLink | null {
	return read(storage)[boardId] ?? null;
}

/**
 * Keeps `link` for its board. A stronger role already held is not replaced by a weaker one, so
 * an owner who opens their own viewer link to check it does not lose ownership. (Whether that
 * stronger link still works is the caller's to check: board-access.ts drops it first if not.)
 */
export function holdLink(link: HeldLink, storage: Storage = localStorage): HeldLink {
	const links = read(storage);
	const current = links[link.boardId];
	const kept =
		current && stronger(current.role, link.role) && current.token !== link.token
			? { ...current, title: link.title, seenAt: link.seenAt }
			: link;
	links[link.boardId] = kept;
	write(storage, links);
	return kept;
}

export function dropLink(boardId: string, storage: Storage = localStorage): void {
	const links = read(storage);
	delete links[boardId];
	write(storage, links);
}

/** The token in a `#token=…` fragment, if any. */
export function tokenFromHash(hash: string): string | null {
	const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
	const token = params.get('token');
	return token && token.length < 4096 ? token : null;
}

export function shareUrl(origin: string, boardId: string, token: string): string {
	return `${origin}/b/${encodeURIComponent(boardId)}#token=${encodeURIComponent(token)}`;
}
