/**
 * Rows as SQL drivers hand them back (numbers as bigint or string, NULLs) turned into the
 * store's records; shared by the SQLite and PostgreSQL stores. Also the snapshot checksum both keep.
 */
import crypto from 'node:crypto';
import { ROLES } from '../../src/lib/protocol/roles.ts';
import type { Author, BoardInfo, CheckpointInfo, LinkRecord } from './types.ts';

/**
 * The SQL check both stores put on `links.role`, made from the one list of roles, so a role added
 * there is a schema change the stores' migrations see (they compare this text with the table's).
 */
export const ROLE_CHECK = `role IN (${ROLES.map((r) => `'${r}'`).join(', ')})`;

const numOrNull = (n: unknown): number | null => (n === null || n === undefined ? null : Number(n));

export function toLink(row: LinkRecord): LinkRecord {
	return {
		id: row.id,
		boardId: row.boardId,
		role: row.role,
		label: row.label,
		createdAt: Number(row.createdAt),
		expiresAt: numOrNull(row.expiresAt),
		revokedAt: numOrNull(row.revokedAt)
	};
}

export function toInfo(row: BoardInfo): BoardInfo {
	return {
		id: row.id,
		title: row.title,
		createdAt: Number(row.createdAt),
		updatedAt: Number(row.updatedAt)
	};
}

export function toCheckpoint(row: CheckpointInfo): CheckpointInfo {
	return {
		id: row.id,
		boardId: row.boardId,
		kind: row.kind,
		name: row.name,
		createdAt: Number(row.createdAt),
		authorName: row.authorName,
		linkId: row.linkId ?? null,
		bytes: Number(row.bytes)
	};
}

export function toAuthor(row: Author): Author {
	return {
		clientId: Number(row.clientId),
		linkId: row.linkId,
		name: row.name,
		firstAt: Number(row.firstAt),
		lastAt: Number(row.lastAt)
	};
}

export function sha256(data: Uint8Array): Buffer {
	return crypto.createHash('sha256').update(data).digest();
}
