/**
 * Boards as an earlier Railyard saved them, for migration tests. Each was built and encoded by
 * the shipped model of its time (the commit is in the file name's comment below), never by
 * today's code, so a test that opens one proves what a real old board does.
 */
import { readFileSync } from 'node:fs';
import * as Y from 'yjs';

const dir = new URL('../fixtures/', import.meta.url);

/**
 * Schema 1, the sample board plus one card with an emoji title, as model 6ee9e5a saved it:
 * the doc's update bytes and the snapshot that model read from it.
 */
export function boardSchema1(clientID = 3): { doc: Y.Doc; snapshot: unknown } {
	const doc = new Y.Doc();
	doc.clientID = clientID;
	Y.applyUpdate(doc, new Uint8Array(readFileSync(new URL('board-schema-1.bin', dir))));
	const snapshot: unknown = JSON.parse(readFileSync(new URL('board-schema-1.json', dir), 'utf8'));
	return { doc, snapshot };
}
