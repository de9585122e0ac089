/**
 * What a share link lets its holder do: one list, read by the relay (token claims, enforcement)
 * and the app (links held in this browser, what the toolbar offers). Strongest first.
 * - owner: everything, including managing links and facilitating.
 * - facilitator: an editor who also runs the workshop (timer, locks, votes).
 * - editor: edits the board.
 * - viewer: reads; the relay drops their document updates.
 * Pure: no IO.
 */
export const ROLES = ['owner', 'facilitator', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Whether role `a` may do more than role `b` (owner > facilitator > editor > viewer). */
export function stronger(a: Role, b: Role): boolean {
	return ROLES.indexOf(a) < ROLES.indexOf(b);
}

/** May change the board's document. */
export function canEdit(role: Role): boolean {
	return role !== 'viewer';
}

/** May run the workshop: timer, locks, votes. */
export function canFacilitate(role: Role): boolean {
	return role === 'owner' || role === 'facilitator';
}

/** May create and revoke share links. */
export function canManageLinks(role: Role): boolean {
	return role === 'owner';
}

/** The roles an owner hands out with the Share dialog or the API (owner links come from the CLI). */
export const SHARED_ROLES = ['facilitator', 'editor', 'viewer'] as const satisfies readonly Role[];
export type SharedRole = (typeof SHARED_ROLES)[number];
