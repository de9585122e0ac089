/**
 * Who may do what on a board. A request carries a share-link token; access is granted when the
 * server signed it, it names this board, it has not expired, and its link has not been revoked.
 * Owners manage links; editors edit; viewers read (the relay drops their document updates).
 */
import { customAlphabet } from 'nanoid';
import type { Directory, LinkRecord } from '../storage/types.ts';
import { signLinkToken, TokenError, verifyLinkToken, type Role } from './tokens.ts';

export type { Role };

export const newLinkId = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 16);

export class AccessError extends Error {
	readonly status: 401 | 403 | 404;
	readonly reason: 'missing' | 'invalid' | 'expired' | 'revoked' | 'wrong-board' | 'no-board';
	constructor(status: AccessError['status'], reason: AccessError['reason'], message: string) {
		super(message);
		this.name = 'AccessError';
		this.status = status;
		this.reason = reason;
	}
}

export interface Grant {
	boardId: string;
	linkId: string;
	role: Role;
	expiresAt: number | null;
}

export interface Access {
	/** The grant for `token` on `boardId`, or an AccessError saying why not. */
	authorize(opts: { boardId: string; token: string | null | undefined }): Promise<Grant>;
	/** Records a new link and signs its token. */
	mint(opts: {
		boardId: string;
		role: Role;
		label?: string;
		expiresAt?: number | null;
	}): Promise<{ link: LinkRecord; token: string }>;
	/** A fresh token for an existing link: the same link, so revoking it ends every copy. */
	tokenFor(link: LinkRecord): Promise<string>;
	/** Whether a grant handed out earlier still holds (for connections that outlive a check). */
	check(grant: Grant): Promise<'ok' | 'revoked' | 'expired'>;
}

export function createAccess(opts: {
	store: Directory;
	secret: Uint8Array;
	now?: () => number;
}): Access {
	const { store, secret } = opts;
	const now = opts.now ?? Date.now;
	return {
		async authorize({ boardId, token }) {
			let claims;
			try {
				claims = await verifyLinkToken(secret, token);
			} catch (err) {
				if (err instanceof TokenError) throw new AccessError(401, err.reason, err.message);
				throw err;
			}
			if (claims.boardId !== boardId) {
				throw new AccessError(403, 'wrong-board', 'this link is for a different board');
			}
			const link = await store.link(claims.linkId);
			if (!link || link.boardId !== boardId) {
				if (!(await store.info(boardId)))
					throw new AccessError(404, 'no-board', 'this board no longer exists');
				throw new AccessError(403, 'revoked', 'this link has been revoked');
			}
			if (link.revokedAt !== null)
				throw new AccessError(403, 'revoked', 'this link has been revoked');
			// The link's own expiry (to the millisecond; the token's `exp` is in whole seconds).
			return { boardId, linkId: link.id, role: link.role, expiresAt: link.expiresAt };
		},
		async mint({ boardId, role, label = '', expiresAt = null }) {
			const link = await store.createLink({ id: newLinkId(), boardId, role, label, expiresAt });
			const token = await signLinkToken(secret, { boardId, linkId: link.id, role, expiresAt });
			return { link, token };
		},
		tokenFor(link) {
			const { boardId, id: linkId, role, expiresAt } = link;
			return signLinkToken(secret, { boardId, linkId, role, expiresAt });
		},
		async check(grant) {
			if (grant.expiresAt !== null && grant.expiresAt <= now()) return 'expired';
			const link = await store.link(grant.linkId);
			return link && link.revokedAt === null ? 'ok' : 'revoked';
		}
	};
}
