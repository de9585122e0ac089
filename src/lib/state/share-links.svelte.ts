/**
 * The owner's Share dialog: the board's links as the server lists them, making a new one, asking
 * for a live one's address again, and revoking. Each action says what went wrong in `error`
 * (the dialog shows it) instead of throwing. The dialog renders this and copies addresses.
 */
import {
	createLink,
	linkToken,
	listLinks,
	revokeLink,
	type Fetch,
	type LinkInfo,
	type SharedRole
} from '$lib/sync/boards-api.ts';
import { shareUrl } from '$lib/sync/links.ts';

export type { LinkInfo, SharedRole };

export type LinkStatus = 'revoked' | 'expired' | 'active';

/** Whether `link` still opens the board at `now`. */
export function linkStatus(link: LinkInfo, now: number = Date.now()): LinkStatus {
	if (link.revokedAt !== null) return 'revoked';
	if (link.expiresAt !== null && link.expiresAt <= now) return 'expired';
	return 'active';
}

export class ShareLinks {
	#links = $state.raw<LinkInfo[]>([]);
	#loading = $state(false);
	#creating = $state(false);
	#error = $state<string | null>(null);
	readonly #api: () => { fetch: Fetch; id: string; token: string };
	readonly #origin: () => string;

	constructor(opts: {
		boardId: () => string;
		token: () => string;
		fetch?: Fetch;
		/** Where the board is served, for the addresses handed out (the page's origin). */
		origin?: () => string;
	}) {
		const fetch = opts.fetch ?? ((...args: Parameters<Fetch>) => globalThis.fetch(...args));
		this.#api = () => ({ fetch, id: opts.boardId(), token: opts.token() });
		this.#origin = opts.origin ?? (() => location.origin);
	}

	/** Newest first, live links before dead ones. */
	readonly links: LinkInfo[] = $derived(
		[...this.#links].sort(
			(a, b) =>
				Number(linkStatus(a) !== 'active') - Number(linkStatus(b) !== 'active') ||
				b.createdAt - a.createdAt
		)
	);

	get loading(): boolean {
		return this.#loading;
	}

	get creating(): boolean {
		return this.#creating;
	}

	get error(): string | null {
		return this.#error;
	}

	async refresh(): Promise<void> {
		this.#loading = true;
		try {
			this.#links = await listLinks(this.#api());
			this.#error = null;
		} catch (failure) {
			this.#error = `The links could not be loaded: ${(failure as Error).message}`;
		} finally {
			this.#loading = false;
		}
	}

	/** A new link; its id and address, or null when the server refused (see `error`). */
	async create(opts: {
		role: SharedRole;
		label?: string;
		expiresAt: number | null;
	}): Promise<{ linkId: string; url: string } | null> {
		this.#creating = true;
		try {
			const made = await createLink({ ...this.#api(), ...opts });
			this.#links = [...this.#links, made.link];
			this.#error = null;
			return { linkId: made.link.id, url: this.#url(made.token) };
		} catch (failure) {
			this.#error = `The link could not be made: ${(failure as Error).message}`;
			return null;
		} finally {
			this.#creating = false;
		}
	}

	/** A live link's address again (a fresh token for it), or null (see `error`). */
	async address(link: LinkInfo): Promise<string | null> {
		try {
			const url = this.#url(await linkToken({ ...this.#api(), linkId: link.id }));
			this.#error = null;
			return url;
		} catch (failure) {
			this.#error = `The link could not be copied: ${(failure as Error).message}`;
			return null;
		}
	}

	/** Revokes `link`: the relay closes its open connections. Whether it was revoked. */
	async revoke(link: LinkInfo): Promise<boolean> {
		try {
			const revoked = await revokeLink({ ...this.#api(), linkId: link.id });
			this.#links = this.#links.map((l) => (l.id === revoked.id ? revoked : l));
			this.#error = null;
			return true;
		} catch (failure) {
			this.#error = `The link could not be revoked: ${(failure as Error).message}`;
			return false;
		}
	}

	#url(token: string): string {
		const { id } = this.#api();
		return shareUrl(this.#origin(), id, token);
	}
}
