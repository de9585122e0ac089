export * from '../../src/lib/model/index.ts';
import type * as Y from 'yjs';
import { updateLane } from '../../src/lib/model/index.ts';

export function renameSafe(doc: Y.Doc, laneId: string, name: string): void {
	updateLane(doc, { id: laneId, name });
}
