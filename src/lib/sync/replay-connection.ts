/**
 * A board connection with no network behind it, for replay (src/lib/state/replay.svelte.ts): the
 * doc is a copy of the board at some past moment that only this screen holds, always "synced",
 * with presence and facilitation that reach nobody. Nothing written to it leaves the browser.
 */
import type * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import type { BoardConnection } from './connect-board.ts';
import { detachedFacilitation } from './facilitation-channel.ts';

export function detachedConnection(doc: Y.Doc): BoardConnection {
	const awareness = new Awareness(doc);
	return {
		doc,
		awareness,
		facilitation: detachedFacilitation(),
		state: {
			status: 'connected',
			loaded: true,
			synced: true,
			pending: 0,
			online: true,
			migration: null,
			closed: null
		},
		subscribe: () => () => {},
		destroy() {
			awareness.destroy();
			doc.destroy();
		}
	};
}
