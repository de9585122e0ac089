/**
 * A board connection without a network, for state-class unit tests: the doc is the whole board,
 * always synced; the test sets any other connection state with `set`.
 */
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { migrate } from '../../src/lib/model/index.ts';
import type { BoardConnection, ConnectionState } from '../../src/lib/sync/connect-board.ts';
import { detachedFacilitation } from '../../src/lib/sync/facilitation-channel.ts';

export function localConnection(doc = new Y.Doc(), awareness = new Awareness(doc)) {
	const listeners = new Set<(state: ConnectionState) => void>();
	let state: ConnectionState = {
		status: 'connected',
		loaded: true,
		synced: true,
		pending: 0,
		online: true,
		migration: migrate(doc),
		closed: null
	};
	let destroyed = false;
	const connection: BoardConnection = {
		doc,
		awareness,
		facilitation: detachedFacilitation(),
		get state() {
			return state;
		},
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		destroy() {
			destroyed = true;
		}
	};
	return {
		connection,
		set(patch: Partial<ConnectionState>) {
			state = { ...state, ...patch };
			for (const listener of listeners) listener(state);
		},
		get destroyed() {
			return destroyed;
		}
	};
}
