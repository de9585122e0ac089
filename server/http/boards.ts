/**
 * Creating a board, the one way both the HTTP API and the admin CLI do it: build the first state
 * with the model (empty, or the sample plan) and store it; the CLI also mints an owner link.
 */
import * as Y from 'yjs';
import { customAlphabet } from 'nanoid';
import { boardTitle, migrate, seedSampleBoard, setBoardTitle } from '../../src/lib/model/index.ts';
import type { Access } from '../auth/access.ts';
import type { Directory, LinkRecord } from '../storage/types.ts';

/** Board ids: 21 characters of a 62-letter alphabet (~125 bits), unguessable and URL-safe. */
export const newBoardId = customAlphabet(
	'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
	21
);
export const BOARD_ID = /^[A-Za-z0-9_-]{1,64}$/;

export type BoardTemplate = 'empty' | 'sample';

export function createBoardDoc(template: BoardTemplate, title: string | undefined): Y.Doc {
	const doc = new Y.Doc();
	if (template === 'sample') {
		seedSampleBoard(doc, { title: title || undefined });
	} else {
		migrate(doc);
		setBoardTitle(doc, { title: title || 'Untitled board', origin: 'seed' });
	}
	return doc;
}

/** Builds and stores a new board (from a template, or an imported `doc`); returns its id and title. */
export async function storeNewBoard(opts: {
	store: Directory;
	template: BoardTemplate;
	title?: string;
	doc?: Y.Doc;
}): Promise<{ id: string; title: string }> {
	const doc = opts.doc ?? createBoardDoc(opts.template, opts.title);
	const title = boardTitle(doc);
	const id = newBoardId();
	await opts.store.create({ id, title }, Y.encodeStateAsUpdate(doc));
	doc.destroy();
	return { id, title };
}

/** A new board plus its creator's owner link. */
export async function createBoard(opts: {
	store: Directory;
	access: Access;
	template: BoardTemplate;
	title?: string;
	doc?: Y.Doc;
}): Promise<{ id: string; title: string; ownerLink: LinkRecord; ownerToken: string }> {
	const { id, title } = await storeNewBoard(opts);
	const { link, token } = await opts.access.mint({ boardId: id, role: 'owner', label: 'Creator' });
	return { id, title, ownerLink: link, ownerToken: token };
}
