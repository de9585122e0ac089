/**
 * The client's only network IO for a board: one Y.Doc kept in sync with the relay over the
 * stock y-websocket protocol. Everything above this file sees a doc, a status and destroy().
 */
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { migrate, type MigrationResult } from '$lib/model/index.ts';

export type ConnectionStatus =
	| 'connecting'
	| 'connected'
	| 'disconnected'
	/** The relay refused us for good (a 44xx close code); y-websocket stops retrying. */
	| 'closed';

export interface ConnectionState {
	status: ConnectionStatus;
	/** True once the first full sync with the relay has completed; it stays true after that. */
	loaded: boolean;
	/** What `migrate` did after the first sync; `newer` means another Railyard wrote this board. */
	migration: MigrationResult | null;
}

export interface BoardConnection {
	readonly doc: Y.Doc;
	readonly state: ConnectionState;
	/** Calls `listener` on every state change. Returns the unsubscribe function. */
	subscribe(listener: (state: ConnectionState) => void): () => void;
	destroy(): void;
}

export interface ConnectOptions {
	boardId: string;
	/** ws:// or wss:// base of the relay; defaults to the page's own host. */
	url?: string;
}

function sameHostUrl(): string {
	const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
	return `${scheme}//${location.host}`;
}

export function connectBoard(opts: ConnectOptions): BoardConnection {
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(
		`${opts.url ?? sameHostUrl()}/sync`,
		encodeURIComponent(opts.boardId),
		doc,
		// Tabs of one browser already share the doc through the relay; a second channel only
		// doubles the traffic and hides relay bugs from the e2e tests.
		{ disableBc: true }
	);
	const listeners = new Set<(state: ConnectionState) => void>();
	let state: ConnectionState = { status: 'connecting', loaded: false, migration: null };

	const update = (patch: Partial<ConnectionState>) => {
		state = { ...state, ...patch };
		for (const listener of listeners) listener(state);
	};

	provider.on('status', ({ status }) => {
		if (state.status !== 'closed' || status === 'connected') update({ status });
	});
	provider.on('closed', () => update({ status: 'closed' }));
	provider.on('sync', (synced) => {
		// Migrate only against the relay's state: migrating an empty, unsynced doc would
		// race every other peer's copy of the same migration for nothing.
		if (!synced || state.loaded) return;
		update({ loaded: true, migration: migrate(doc) });
	});

	return {
		doc,
		get state() {
			return state;
		},
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		destroy() {
			listeners.clear();
			provider.destroy();
			doc.destroy();
		}
	};
}
