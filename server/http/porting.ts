/**
 * Plans in and out over HTTP (README "The API"): a board exported as the JSON board file or as
 * CSV, a board file imported as a new board, and CSV cards and lanes imported into a board.
 * The formats themselves are the model's (src/lib/model/porting); this module only reads the
 * board, checks who asks, and hands a CSV import to the live room like any other update.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ModelError } from '../../src/lib/model/errors.ts';
import { setLockExemption } from '../../src/lib/model/locks.ts';
import { canEdit, canFacilitate, type Role } from '../../src/lib/protocol/roles.ts';
import * as Y from 'yjs';
import { boardTitle } from '../../src/lib/model/index.ts';
import {
	BoardFileError,
	CsvImportError,
	exportBoard,
	exportCsv,
	exportFileName,
	importBoard,
	importCsv,
	planCsvImport,
	type CsvPlan
} from '../../src/lib/model/porting/index.ts';
import {
	authorize,
	HttpError,
	linkInfo,
	readJson,
	readText,
	send,
	type ApiOptions
} from './api.ts';
import { createBoard } from './boards.ts';
import { BoardMovedError } from '../cluster/forwarded-room.ts';
import { BoardTooBigError, Room } from '../sync/room.ts';
import { newCheckpointId } from '../sync/room-history.ts';
import type { RoomSource } from '../sync/room-handle.ts';
import type {
	Author,
	BoardHistory,
	CheckpointInfo,
	CheckpointKind,
	DocumentLog
} from '../storage/types.ts';

/** A board file may be as big as a board (MAX_BOARD_BYTES' default), a CSV a quarter of it. */
const MAX_BOARD_FILE_BYTES = 16 * 1024 * 1024;
const MAX_CSV_BYTES = 4 * 1024 * 1024;
const CSV_TYPE = /^text\/csv\s*(;|$)/i;

/** A board's document as scripts see it: read a copy, or send the live board an update. */
export interface BoardDocs {
	/** The board as it is now (every accepted update included), as a fresh doc; null if unknown. */
	read(boardId: string): Promise<Y.Doc | null>;
	/**
	 * Applies `update` to the live board as sent by a link with `role` (workshop locks judge it
	 * by that role): stored and broadcast like a client's edit.
	 */
	apply(boardId: string, update: Uint8Array, role: Role): Promise<void>;
	/**
	 * Who sent the board's edits, every one this relay has accepted included (in cluster mode,
	 * another relay's last second may still be on its way).
	 */
	authors(boardId: string): Promise<Author[]>;
	/** Saves a checkpoint of the live board, every accepted update included. */
	checkpoint(
		boardId: string,
		checkpoint: { kind: CheckpointKind; name: string; authorName: string; linkId: string | null }
	): Promise<CheckpointInfo>;
}

/** The board as stored, as a fresh doc; null if unknown. (The admin CLI reads boards so.) */
export async function readStoredBoard(store: DocumentLog, boardId: string): Promise<Y.Doc | null> {
	const stored = await store.load(boardId);
	if (!stored) return null;
	const doc = new Y.Doc();
	doc.transact(() => {
		for (const update of stored.updates) Y.applyUpdate(doc, update);
	});
	return doc;
}

export function boardDocs(opts: {
	store: DocumentLog & BoardHistory;
	rooms: RoomSource;
	/** Writes the authors this relay has seen and not yet stored. */
	authors?: () => Promise<void>;
}): BoardDocs {
	return {
		async read(boardId) {
			// What a loaded room accepted this turn must be in the store before it is read from there.
			await opts.rooms.get(boardId)?.flush();
			return readStoredBoard(opts.store, boardId);
		},
		async apply(boardId, update, role) {
			const room = await opts.rooms.open(boardId);
			if (!room) throw new HttpError(404, 'this board no longer exists');
			try {
				await room.apply(update, role);
			} catch (err) {
				// MAX_BOARD_BYTES: the board is unchanged, as for a client's update.
				if (err instanceof BoardTooBigError) throw new HttpError(413, err.message);
				// Cluster mode: the owner's answer was lost as the board moved (a failover, a gap).
				// It may or may not have been applied, so the person looks before trying again.
				if (err instanceof BoardMovedError) {
					throw new HttpError(
						503,
						'the board moved to another server before this was confirmed: reload the board to see whether it arrived, then try again if it did not'
					);
				}
				throw err;
			}
		},
		async authors(boardId) {
			await opts.authors?.();
			return opts.store.authors(boardId);
		},
		async checkpoint(boardId, checkpoint) {
			const room = await opts.rooms.open(boardId);
			if (!room) throw new HttpError(404, 'this board no longer exists');
			// What the checkpoint holds must already be stored.
			await room.flush();
			if (room instanceof Room) return room.history.save(checkpoint);
			// Cluster mode, a board owned by another relay: what it has stored is the board now.
			const doc = await readStoredBoard(opts.store, boardId);
			if (!doc) throw new HttpError(404, 'this board no longer exists');
			return opts.store.saveCheckpoint({
				...checkpoint,
				id: newCheckpointId(),
				boardId,
				state: Y.encodeStateAsUpdate(doc)
			});
		}
	};
}

function sendFile(res: ServerResponse, opts: { body: string; type: string; name: string }): void {
	res.writeHead(200, {
		'content-type': opts.type,
		'content-length': Buffer.byteLength(opts.body),
		'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(opts.name)}`,
		'cache-control': 'no-store',
		'content-security-policy': "default-src 'none'; frame-ancestors 'none'"
	});
	res.end(opts.body);
}

/** POST /api/boards/import: a board file becomes a new board; answers like POST /api/boards. */
export async function importBoardFile(
	opts: ApiOptions,
	req: IncomingMessage,
	res: ServerResponse
): Promise<void> {
	let doc: Y.Doc;
	try {
		doc = importBoard(await readJson(req, MAX_BOARD_FILE_BYTES));
	} catch (err) {
		if (err instanceof BoardFileError) {
			return send(res, 400, { error: err.message, issues: err.issues });
		}
		throw err;
	}
	const created = await createBoard({
		store: opts.store,
		access: opts.access,
		template: 'empty',
		doc
	});
	opts.logger.info({ board: created.id }, 'board imported');
	return send(res, 201, {
		id: created.id,
		title: created.title,
		owner: {
			link: linkInfo(created.ownerLink),
			token: created.ownerToken
		}
	});
}

/** GET /api/boards/<id>/export?format=json|csv: any link of the board, viewers included. */
export async function exportBoardFile(
	opts: ApiOptions,
	req: IncomingMessage,
	res: ServerResponse,
	boardId: string
): Promise<void> {
	await authorize(opts, req, boardId);
	const format = new URL(req.url ?? '/', 'http://localhost').searchParams.get('format') ?? 'json';
	if (format !== 'json' && format !== 'csv') {
		throw new HttpError(400, 'format: must be "json" or "csv"');
	}
	const doc = await opts.docs.read(boardId);
	if (!doc) throw new HttpError(404, 'this board no longer exists');
	try {
		const title = boardTitle(doc);
		if (format === 'csv') {
			return sendFile(res, {
				body: exportCsv(doc),
				type: 'text/csv; charset=utf-8; header=present',
				name: exportFileName(title, 'csv')
			});
		}
		return sendFile(res, {
			body: JSON.stringify(exportBoard(doc), null, '\t'),
			type: 'application/json; charset=utf-8',
			name: exportFileName(title, 'json')
		});
	} finally {
		doc.destroy();
	}
}

/** What a CSV import would create, or did: counts, and for a preview the lists. */
function summary(plan: CsvPlan) {
	const { programs, periods, lanes, cards, rows } = plan;
	return { rows, programs, periods, lanes, cards };
}

/**
 * POST /api/boards/<id>/import (text/csv): editors and owners only. `?dryRun=1` answers the plan
 * and changes nothing; otherwise every row is applied in one update, or none (422 with `rows`).
 */
export async function importCsvInto(
	opts: ApiOptions,
	req: IncomingMessage,
	res: ServerResponse,
	boardId: string
): Promise<void> {
	const grant = await authorize(opts, req, boardId);
	if (!canEdit(grant.role)) throw new HttpError(403, 'a view-only link cannot import');
	const text = await readText(req, {
		type: CSV_TYPE,
		typeName: 'text/csv',
		maxBytes: MAX_CSV_BYTES
	});
	const dryRun = new URL(req.url ?? '/', 'http://localhost').searchParams.get('dryRun');
	const doc = await opts.docs.read(boardId);
	if (!doc) throw new HttpError(404, 'this board no longer exists');
	try {
		const plan = planCsvImport(doc, text);
		if (plan.errors.length > 0) {
			return send(res, 422, { error: new CsvImportError(plan.errors).message, rows: plan.errors });
		}
		if (dryRun === '1' || dryRun === 'true')
			return send(res, 200, { dryRun: true, ...summary(plan) });
		const updates: Uint8Array[] = [];
		doc.on('update', (update: Uint8Array) => updates.push(update));
		// Workshop locks hold for an import as for any edit: refused whole, before anything is sent.
		setLockExemption(doc, canFacilitate(grant.role));
		try {
			importCsv(doc, { text, origin: 'import' });
		} catch (err) {
			if (err instanceof CsvImportError)
				return send(res, 422, { error: err.message, rows: err.errors });
			if (err instanceof ModelError && err.code === 'locked') {
				return send(res, 409, { error: `nothing was imported: ${err.message}` });
			}
			throw err;
		}
		await opts.docs.apply(boardId, Y.mergeUpdates(updates), grant.role);
		opts.logger.info(
			{ board: boardId, by: grant.linkId, lanes: plan.lanes.length, cards: plan.cards.length },
			'CSV imported'
		);
		return send(res, 200, { dryRun: false, ...summary(plan) });
	} finally {
		doc.destroy();
	}
}
