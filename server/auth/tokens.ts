/**
 * Share-link tokens: JWTs (HS256, `jose`) naming a board, a link id and a role. The signature
 * says the server issued it; the link id lets the server revoke it; `exp` (optional) ends it.
 */
import { errors, jwtVerify, SignJWT } from 'jose';
import * as v from 'valibot';

import { ROLES, type Role } from '../../src/lib/protocol/roles.ts';

export { ROLES, type Role };

export interface LinkClaims {
	boardId: string;
	linkId: string;
	role: Role;
	/** Epoch milliseconds, or null for a link that does not expire. */
	expiresAt: number | null;
}

export class TokenError extends Error {
	readonly reason: 'missing' | 'invalid' | 'expired';
	constructor(reason: 'missing' | 'invalid' | 'expired', message: string) {
		super(message);
		this.name = 'TokenError';
		this.reason = reason;
	}
}

const ISSUER = 'railyard';
const Payload = v.object({
	sub: v.pipe(v.string(), v.minLength(1)),
	lid: v.pipe(v.string(), v.minLength(1)),
	role: v.picklist(ROLES),
	exp: v.optional(v.number())
});

export async function signLinkToken(secret: Uint8Array, claims: LinkClaims): Promise<string> {
	const jwt = new SignJWT({ lid: claims.linkId, role: claims.role })
		.setProtectedHeader({ alg: 'HS256' })
		.setIssuer(ISSUER)
		.setSubject(claims.boardId)
		.setIssuedAt();
	if (claims.expiresAt !== null) jwt.setExpirationTime(Math.floor(claims.expiresAt / 1000));
	return jwt.sign(secret);
}

/** The claims of a token this server signed. Throws TokenError otherwise. */
export async function verifyLinkToken(
	secret: Uint8Array,
	token: string | null | undefined
): Promise<LinkClaims> {
	if (!token) throw new TokenError('missing', 'this board needs a share link');
	let payload: unknown;
	try {
		({ payload } = await jwtVerify(token, secret, { issuer: ISSUER, algorithms: ['HS256'] }));
	} catch (err) {
		if (err instanceof errors.JWTExpired) throw new TokenError('expired', 'this link has expired');
		throw new TokenError('invalid', 'this link is not valid');
	}
	const parsed = v.safeParse(Payload, payload);
	if (!parsed.success) throw new TokenError('invalid', 'this link is not valid');
	const { sub, lid, role, exp } = parsed.output;
	return { boardId: sub, linkId: lid, role, expiresAt: exp === undefined ? null : exp * 1000 };
}
