/**
 * Numbered schema migrations. A board records the version it was last migrated to in
 * `meta.schemaVersion`; `migrate` brings it up to SCHEMA_VERSION in one transaction with origin
 * `migration`. Every migration must be idempotent, because two peers (or a peer and the relay)
 * may run the same one concurrently. Never edit a migration that has shipped: add the next one.
 */
import type * as Y from 'yjs';
import { meta } from './doc.ts';
import { schemaVersionOf } from './snapshot.ts';

export interface Migration {
	version: number;
	description: string;
	up(doc: Y.Doc): void;
}

export const MIGRATIONS: readonly Migration[] = [
	{
		version: 1,
		description: 'Initial layout: programs, lanes, periods and cards as flat ranked records.',
		// Collections are top-level types that exist as soon as they are read: nothing to move.
		up() {}
	}
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export type MigrationResult =
	| { status: 'current' | 'migrated'; from: number; to: number }
	/** Written by a newer Railyard: left untouched; the caller should not edit it. */
	| { status: 'newer'; from: number; to: number };

export function migrate(
	doc: Y.Doc,
	migrations: readonly Migration[] = MIGRATIONS
): MigrationResult {
	const target = migrations.length;
	const from = schemaVersionOf(doc);
	if (from > target) return { status: 'newer', from, to: from };
	if (from === target) return { status: 'current', from, to: target };
	doc.transact(() => {
		for (const migration of migrations.slice(from)) migration.up(doc);
		meta(doc).set('schemaVersion', target);
	}, 'migration');
	return { status: 'migrated', from, to: target };
}
