/**
 * Numbered schema migrations. A board records the version it was last migrated to in
 * `meta.schemaVersion`; `migrate` brings it up to SCHEMA_VERSION in one transaction with origin
 * `migration`. Every migration must be idempotent, because two peers (or a peer and the relay)
 * may run the same one concurrently. Never edit a migration that has shipped: add the next one.
 */
import * as Y from 'yjs';
import { collection, meta, readText } from './doc.ts';
import { rankBetween } from './order.ts';
import { firstObjectiveId, ObjectiveType } from './records/objective.ts';
import { schemaVersionOf } from './snapshot.ts';
import { newRecord } from './write.ts';

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
	},
	{
		version: 2,
		description:
			"Objectives: each program's objective sentence becomes its first objective (committed, not yet scored); the sentence itself stays on the program.",
		up(doc) {
			const objectives = collection(doc, 'objectives');
			for (const [programId, program] of collection(doc, 'programs').entries()) {
				if (!(program instanceof Y.Map)) continue;
				const sentence = readText(program, 'objective').trim();
				const id = firstObjectiveId(programId);
				if (!sentence || objectives.has(id)) continue;
				// Same id, rank and content on every peer, so two peers migrating at once write one
				// objective, whichever write wins.
				const limit = ObjectiveType.texts.name;
				const name = cutAt(sentence, limit);
				const texts = { name, description: name === sentence ? '' : sentence };
				const fields = { commitment: 'committed', planned: null, actual: null };
				const rank = rankBetween(null, null, () => 0);
				objectives.set(id, newRecord(texts, fields, { program: programId, rank }));
			}
		}
	}
];

/** `text` cut to `limit` UTF-16 units, never through an emoji. */
function cutAt(text: string, limit: number): string {
	if (text.length <= limit) return text;
	const cut = text.slice(0, limit);
	return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

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
