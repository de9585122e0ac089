/**
 * A board's history over HTTP (README "History"):
 *   GET  /api/boards/<id>/checkpoints                 any link: newest first, without states
 *   POST /api/boards/<id>/checkpoints                 editors and owners: { name, authorName }
 *   GET  /api/boards/<id>/checkpoints/<cid>           any link: { checkpoint, state } (base64)
 *   PATCH  /api/boards/<id>/checkpoints/<cid>         editors and owners: { name } (an automatic
 *                                                     one renamed becomes named, kept for good)
 *   DELETE /api/boards/<id>/checkpoints/<cid>         editors and owners
 *   POST /api/boards/<id>/checkpoints/<cid>/restore   editors and owners: { scope }
 *   GET  /api/boards/<id>/authors                     any link: who sent the board's edits
 * A restore over the API is a new change on top, like the app's (src/lib/model/restore.ts); the
 * app restores in the browser instead, so the person who restored can undo it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as v from 'valibot';
import * as Y from 'yjs';
import { ModelError, restoreCheckpoint, type RestoreScope } from '../../src/lib/model/index.ts';
import { authorize, HttpError, readJson, send, type ApiOptions } from './api.ts';
import type { CheckpointInfo } from '../storage/types.ts';
import { setLockExemption } from '../../src/lib/model/locks.ts';
import { canEdit, canFacilitate, type Role } from '../../src/lib/protocol/roles.ts';

export const MAX_CHECKPOINT_NAME = 120;
/** A display name, as presence allows it (src/lib/model/presence.ts). */
const MAX_AUTHOR_NAME = 40;

const CreateCheckpoint = v.object({
	name: v.pipe(
		v.string('must be a string'),
		v.trim(),
		v.minLength(1, 'must not be empty'),
		v.maxLength(MAX_CHECKPOINT_NAME, `must be at most ${MAX_CHECKPOINT_NAME} characters`)
	),
	authorName: v.optional(
		v.pipe(
			v.string('must be a string'),
			v.trim(),
			v.maxLength(MAX_AUTHOR_NAME, `must be at most ${MAX_AUTHOR_NAME} characters`)
		),
		''
	)
});

const RenameCheckpoint = v.object({ name: CreateCheckpoint.entries.name });

const Id = v.pipe(v.string('must be a string'), v.minLength(1), v.maxLength(64));
const Restore = v.object({
	scope: v.variant(
		'kind',
		[
			v.object({ kind: v.literal('board') }),
			v.object({ kind: v.literal('program'), id: Id }),
			v.object({ kind: v.literal('lane'), id: Id })
		],
		'must be { kind: "board" }, or { kind: "program" | "lane", id }'
	)
});

async function parse<S extends v.GenericSchema>(
	req: IncomingMessage,
	schema: S
): Promise<v.InferOutput<S>> {
	const parsed = v.safeParse(schema, await readJson(req));
	if (parsed.success) return parsed.output;
	const issue = parsed.issues[0];
	const where = v.getDotPath(issue ?? ({} as never)) || 'body';
	throw new HttpError(400, `${where}: ${issue?.message ?? 'invalid'}`);
}

/** A checkpoint as the API shows it (the URL names the board). */
function shown(info: CheckpointInfo) {
	const { boardId: _board, ...rest } = info;
	return rest;
}

async function editor(opts: ApiOptions, req: IncomingMessage, boardId: string, what: string) {
	const grant = await authorize(opts, req, boardId);
	if (!canEdit(grant.role)) throw new HttpError(403, `a view-only link cannot ${what}`);
	return grant;
}

/** Handles /api/boards/<id>/checkpoints[/<cid>[/restore]]; `rest` is what follows the board id. */
export async function routeCheckpoints(
	opts: ApiOptions,
	req: IncomingMessage,
	res: ServerResponse,
	boardId: string,
	rest: string[]
): Promise<void> {
	const [checkpointId, action] = rest;
	const wrongMethod = () => new HttpError(405, `${req.method} is not allowed here`);
	if (checkpointId === undefined) {
		if (req.method === 'GET') {
			await authorize(opts, req, boardId);
			const list = await opts.store.checkpoints(boardId);
			return send(res, 200, { checkpoints: list.map(shown) });
		}
		if (req.method !== 'POST') throw wrongMethod();
		const grant = await editor(opts, req, boardId, 'save checkpoints');
		const body = await parse(req, CreateCheckpoint);
		const saved = await opts.docs.checkpoint(boardId, {
			kind: 'named',
			name: body.name,
			authorName: body.authorName,
			linkId: grant.linkId
		});
		opts.logger.info({ board: boardId, checkpoint: saved.id, by: grant.linkId }, 'checkpoint');
		return send(res, 201, { checkpoint: shown(saved) });
	}
	if (action === undefined && req.method === 'PATCH') {
		const grant = await editor(opts, req, boardId, 'rename checkpoints');
		const { name } = await parse(req, RenameCheckpoint);
		const renamed = await opts.store.renameCheckpoint(boardId, checkpointId, name);
		if (!renamed) throw new HttpError(404, 'no such checkpoint on this board');
		opts.logger.info({ board: boardId, checkpoint: checkpointId, by: grant.linkId }, 'renamed');
		return send(res, 200, { checkpoint: shown(renamed) });
	}
	if (action === undefined && req.method === 'DELETE') {
		const grant = await editor(opts, req, boardId, 'delete checkpoints');
		if (!(await opts.store.deleteCheckpoint(boardId, checkpointId))) {
			throw new HttpError(404, 'no such checkpoint on this board');
		}
		opts.logger.info(
			{ board: boardId, checkpoint: checkpointId, by: grant.linkId },
			'checkpoint deleted'
		);
		return send(res, 200, { deleted: checkpointId });
	}
	if (action === undefined) {
		if (req.method !== 'GET') throw wrongMethod();
		await authorize(opts, req, boardId);
		const found = await opts.store.checkpoint(boardId, checkpointId);
		if (!found) throw new HttpError(404, 'no such checkpoint on this board');
		const { state, ...info } = found;
		return send(res, 200, {
			checkpoint: shown(info),
			state: Buffer.from(state.buffer, state.byteOffset, state.byteLength).toString('base64')
		});
	}
	if (action !== 'restore' || rest.length > 2) throw new HttpError(404, 'not found');
	if (req.method !== 'POST') throw wrongMethod();
	const grant = await editor(opts, req, boardId, 'restore');
	const { scope } = await parse(req, Restore);
	const found = await opts.store.checkpoint(boardId, checkpointId);
	if (!found) throw new HttpError(404, 'no such checkpoint on this board');
	const summary = await restoreInto(opts, boardId, found.state, scope, grant.role);
	opts.logger.info(
		{ board: boardId, checkpoint: checkpointId, scope: scope.kind, by: grant.linkId },
		'checkpoint restored'
	);
	return send(res, 200, { restored: summary });
}

async function restoreInto(
	opts: ApiOptions,
	boardId: string,
	state: Uint8Array,
	scope: RestoreScope,
	role: Role
) {
	const doc = await opts.docs.read(boardId);
	if (!doc) throw new HttpError(404, 'this board no longer exists');
	// A workshop lock holds for a restore as for any edit (facilitators excepted).
	setLockExemption(doc, canFacilitate(role));
	const from = new Y.Doc();
	try {
		Y.applyUpdate(from, state);
		const updates: Uint8Array[] = [];
		doc.on('update', (update: Uint8Array) => updates.push(update));
		let summary;
		try {
			summary = restoreCheckpoint(doc, { from, scope });
		} catch (err) {
			if (err instanceof ModelError && err.code === 'locked') {
				throw new HttpError(409, `nothing was restored: ${err.message}`);
			}
			if (err instanceof ModelError) throw new HttpError(404, err.message);
			throw err;
		}
		if (updates.length > 0) await opts.docs.apply(boardId, Y.mergeUpdates(updates), role);
		return summary;
	} finally {
		from.destroy();
		doc.destroy();
	}
}

/** GET /api/boards/<id>/authors: any link. */
export async function listAuthors(
	opts: ApiOptions,
	req: IncomingMessage,
	res: ServerResponse,
	boardId: string
): Promise<void> {
	if (req.method !== 'GET') throw new HttpError(405, `${req.method} is not allowed here`);
	await authorize(opts, req, boardId);
	return send(res, 200, { authors: await opts.docs.authors(boardId) });
}
