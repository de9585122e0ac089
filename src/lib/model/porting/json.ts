/**
 * The board file: a whole board as versioned JSON, for backups and for moving a plan between
 * servers. Export writes every record of every collection (RECORD_TYPES) with its id, position
 * and fields; import validates the file with valibot, naming the path of the first bad values,
 * and builds a new board from it in one transaction with origin `import`.
 *
 * Lossless: importing an export gives a board whose snapshot equals the original's, orphans
 * included (a record whose position was unreadable is written with `pos: null` and comes back
 * set aside again). Values in the document that are not records at all are not exported.
 */
import * as v from 'valibot';
import * as Y from 'yjs';
import { collection, COLLECTIONS, meta, titleText, type Collection } from '../doc.ts';
import { migrate, SCHEMA_VERSION } from '../migrations.ts';
import { BoardType } from '../records/board.ts';
import { Id, keyOf, readRecord } from '../records/define.ts';
import { boardTitle, boardUnit, schemaVersionOf } from '../snapshot.ts';
import { RECORD_TYPES, type AnyRecordType } from './records.ts';

export const BOARD_FILE_FORMAT = 'railyard-board';
/** Bumped when the file's layout changes incompatibly; record fields follow `schemaVersion`. */
export const BOARD_FILE_VERSION = 1;

/**
 * One record as written to the file: id, position (null when unreadable), texts, fields, and
 * each keyed family as an object by member (`periodCapacity: { <periodId>: 5 }`).
 */
export type FileRecord = { id: string; pos: unknown } & Record<string, unknown>;

export interface BoardFile {
	format: typeof BOARD_FILE_FORMAT;
	version: typeof BOARD_FILE_VERSION;
	exportedAt: string;
	board: { title: string; unit: string; schemaVersion: number };
	records: Record<Collection, FileRecord[]>;
}

/** The file could not be imported; `issues` name where (`records.lanes.3.health`) and why. */
export class BoardFileError extends Error {
	readonly issues: { path: string; message: string }[];
	constructor(issues: { path: string; message: string }[]) {
		const first = issues[0];
		const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
		super(first ? `${first.path ? `${first.path}: ` : ''}${first.message}${more}` : 'invalid');
		this.name = 'BoardFileError';
		this.issues = issues;
	}
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function exportBoard(doc: Y.Doc, opts: { now?: Date } = {}): BoardFile {
	const records = {} as Record<Collection, FileRecord[]>;
	for (const name of COLLECTIONS) {
		const out: FileRecord[] = [];
		for (const [id, value] of collection(doc, name).entries()) {
			const read = readRecord(RECORD_TYPES[name] as AnyRecordType, id, value);
			if (read.ok) out.push(read.record as FileRecord);
			else if (read.reason === 'misplaced') out.push({ ...read.record, pos: null } as FileRecord);
		}
		records[name] = out.sort(byId);
	}
	return {
		format: BOARD_FILE_FORMAT,
		version: BOARD_FILE_VERSION,
		exportedAt: (opts.now ?? new Date()).toISOString(),
		board: { title: boardTitle(doc), unit: boardUnit(doc), schemaVersion: schemaVersionOf(doc) },
		records
	};
}

function textSchema(max: number) {
	return v.pipe(v.string(), v.maxLength(max, `must be at most ${max} characters`));
}

type FieldSchemas = Record<string, { schema: v.GenericSchema; fallback: unknown }>;

/**
 * A record's file schema, from its definition: texts, fields and keyed families may be left out
 * (defaults; an older file lacks the newer ones).
 */
function recordSchema(type: AnyRecordType) {
	const entries: Record<string, v.GenericSchema> = { id: Id, pos: v.nullable(type.pos) };
	for (const [name, max] of Object.entries(type.texts as Record<string, number>)) {
		entries[name] = v.optional(textSchema(max), '');
	}
	for (const [name, f] of Object.entries(type.fields as FieldSchemas)) {
		entries[name] = v.optional(f.schema, f.fallback as never);
	}
	for (const [family, schema] of Object.entries(
		(type.keyed ?? {}) as Record<string, v.GenericSchema>
	)) {
		entries[family] = v.optional(v.record(Id, schema), {});
	}
	return v.strictObject(entries);
}

const FileSchema = v.object({
	format: v.literal(BOARD_FILE_FORMAT),
	version: v.literal(BOARD_FILE_VERSION),
	exportedAt: v.optional(v.string()),
	board: v.object({
		title: v.optional(textSchema(BoardType.texts.title), ''),
		// Absent from files of schema 1, which had no unit.
		unit: v.optional(BoardType.fields.unit.schema, BoardType.fields.unit.fallback),
		schemaVersion: v.pipe(
			v.number(),
			v.integer(),
			v.minValue(0),
			v.maxValue(
				SCHEMA_VERSION,
				`written by a newer Railyard (schema newer than ${SCHEMA_VERSION})`
			)
		)
	}),
	records: v.object(
		Object.fromEntries(
			COLLECTIONS.map((name) => [
				name,
				v.optional(v.array(recordSchema(RECORD_TYPES[name] as AnyRecordType)), [])
			])
		) as unknown as Record<Collection, v.GenericSchema<unknown, FileRecord[]>>
	)
});

const MAX_ISSUES = 10;

/** Checks a parsed file. Throws BoardFileError naming the bad paths. */
export function checkBoardFile(input: unknown): BoardFile {
	// A wrong kind of file gets one plain answer, not a list of everything it lacks.
	const head = input as { format?: unknown; version?: unknown } | null;
	if (typeof head !== 'object' || head === null || head.format !== BOARD_FILE_FORMAT) {
		throw new BoardFileError([
			{ path: 'format', message: `not a Railyard board file (expected "${BOARD_FILE_FORMAT}")` }
		]);
	}
	if (typeof head.version === 'number' && head.version > BOARD_FILE_VERSION) {
		throw new BoardFileError([
			{ path: 'version', message: `version ${head.version} is newer than this Railyard reads` }
		]);
	}
	const parsed = v.safeParse(FileSchema, input, { abortPipeEarly: true });
	if (!parsed.success) {
		throw new BoardFileError(
			parsed.issues.slice(0, MAX_ISSUES).map((issue) => ({
				path: v.getDotPath(issue) ?? '',
				message: issue.message
			}))
		);
	}
	const file = parsed.output as unknown as BoardFile;
	for (const name of COLLECTIONS) {
		const seen = new Set<string>();
		file.records[name].forEach((record, index) => {
			if (seen.has(record.id)) {
				throw new BoardFileError([
					{ path: `records.${name}.${index}.id`, message: `id "${record.id}" appears twice` }
				]);
			}
			seen.add(record.id);
		});
	}
	return file;
}

/** Parses the text of a board file. Throws BoardFileError. */
export function parseBoardFile(text: string): BoardFile {
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (err) {
		throw new BoardFileError([{ path: '', message: `not JSON: ${(err as Error).message}` }]);
	}
	return checkBoardFile(json);
}

/**
 * A new board (a fresh Y.Doc) holding the file's board, migrated to this Railyard's schema.
 * Throws BoardFileError for a file that does not check out; nothing is built then.
 */
export function importBoard(input: unknown): Y.Doc {
	const file = checkBoardFile(input);
	const doc = new Y.Doc();
	doc.transact(() => {
		titleText(doc).insert(0, file.board.title);
		meta(doc).set('schemaVersion', file.board.schemaVersion);
		if (file.board.unit !== BoardType.fields.unit.fallback) meta(doc).set('unit', file.board.unit);
		for (const name of COLLECTIONS) {
			const type = RECORD_TYPES[name] as AnyRecordType;
			const target = collection(doc, name);
			for (const record of file.records[name]) target.set(record.id, toMap(type, record));
		}
	}, 'import');
	migrate(doc);
	return doc;
}

function toMap(type: AnyRecordType, record: FileRecord): Y.Map<unknown> {
	const map = new Y.Map<unknown>();
	for (const name of Object.keys(type.texts)) map.set(name, new Y.Text(String(record[name] ?? '')));
	for (const name of Object.keys(type.fields)) map.set(name, record[name]);
	for (const family of Object.keys(type.keyed ?? {})) {
		const members = (record[family] ?? {}) as Record<string, unknown>;
		for (const [member, value] of Object.entries(members)) map.set(keyOf(family, member), value);
	}
	if (record.pos !== null) map.set('pos', record.pos);
	return map;
}
