/**
 * The client's only network IO for a board: one Y.Doc kept in sync with the relay over the
 * stock y-websocket protocol. Everything above this file sees a doc, a status and destroy().
 */
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { IndexeddbPersistence } from 'y-indexeddb';
import { messageAwareness, messageSync, WebsocketProvider } from 'y-websocket';
import { encodeAwarenessUpdate, type Awareness } from 'y-protocols/awareness';
import { messageYjsSyncStep1 } from 'y-protocols/sync';
import { migrate, type MigrationResult } from '$lib/model/index.ts';
import { Acknowledgements, changedTypes } from './acknowledgements.ts';
import { cacheName } from './board-cache.ts';
import { attachVoteChannel, type VoteChannel } from './votes.ts';
import { attachFacilitation, type FacilitationChannel } from './facilitation-channel.ts';
import type { ConnectionStatus } from '$lib/protocol/connection.ts';

export type { ConnectionStatus };

export interface ConnectionState {
	status: ConnectionStatus;
	/**
	 * True once there is a board to show: the first full sync with the relay, or this browser's
	 * cached copy of it (offline). It stays true after that.
	 */
	loaded: boolean;
	/** True once this tab has completed a full sync with the relay. */
	synced: boolean;
	/** Changes made in this tab that the relay has not yet shown it holds. */
	pending: number;
	/** What the browser says about the network: false means no connection can be tried at all. */
	online: boolean;
	/** What `migrate` did after the first sync; `newer` means another Railyard wrote this board. */
	migration: MigrationResult | null;
	/** Why the relay ended this connection for good (status `closed`): revoked, expired… */
	closed: { code: number; reason: string } | null;
}

export interface BoardConnection {
	readonly doc: Y.Doc;
	/** Presence (who is here, what they point at): read and written only by state/presence. */
	readonly awareness: Awareness;
	/** The facilitation channel (timer, lock commands): read and written only by state/facilitation. */
	readonly facilitation: FacilitationChannel;
	readonly state: ConnectionState;
	/** The vote channel (message type 8 on the same socket); absent in offline test connections. */
	readonly votes?: VoteChannel;
	/** Calls `listener` on every state change. Returns the unsubscribe function. */
	subscribe(listener: (state: ConnectionState) => void): () => void;
	destroy(): void;
}

export interface ConnectOptions {
	boardId: string;
	/** ws:// or wss:// base of the relay; defaults to the page's own host. */
	url?: string;
	/** The share-link token the relay checks at the upgrade. */
	token?: string;
	/** Keep a copy in IndexedDB (default: whenever the browser has it). */
	cache?: boolean;
	/**
	 * Asked when the relay keeps refusing the connection: a browser sees a refused upgrade only
	 * as a failed socket, never its status. Resolves to why the link no longer opens the board
	 * (we then stop dialling), or null to keep trying (the server is just down).
	 */
	verify?: () => Promise<{ code: number; reason: string } | null>;
}

/** Failed dials in a row before asking `verify`, and the least time between two asks. */
const REFUSALS_BEFORE_VERIFY = 2;
const VERIFY_EVERY_MS = 10_000;

/**
 * What the browser says about the network. Node (tests, scripts) has a `navigator` without
 * `onLine`: that counts as online.
 */
function browserOnline(): boolean {
	return typeof navigator === 'undefined' || navigator.onLine !== false;
}

function sameHostUrl(): string {
	const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
	return `${scheme}//${location.host}`;
}

/**
 * How long the browser's copy may take to load before the socket is dialled anyway (an
 * IndexedDB that never answers must not keep the board offline).
 */
const CACHE_WAIT_MS = 3000;

/** A user-timing mark (DevTools' timeline, `bench:ui`): when the cached copy and the relay's arrived. */
function mark(name: string): void {
	if (typeof performance !== 'undefined' && performance.mark) performance.mark(`railyard:${name}`);
}

export function connectBoard(opts: ConnectOptions): BoardConnection {
	const doc = new Y.Doc();
	const caching = opts.cache !== false && typeof indexedDB !== 'undefined';
	const provider = new WebsocketProvider(
		`${opts.url ?? sameHostUrl()}/sync`,
		encodeURIComponent(opts.boardId),
		doc,
		// Tabs of one browser already share the doc through the relay; a second channel only
		// doubles the traffic and hides relay bugs from the e2e tests. With a cached copy the
		// socket waits for it (below).
		{ disableBc: true, connect: !caching, params: opts.token ? { token: opts.token } : {} }
	);
	// The stock provider sends every presence change it hears, everyone else's included, back to
	// the relay. The relay ignores those echoes, but in a room of a hundred they would be most of
	// the traffic: send only this tab's own presence.
	const { awareness } = provider;
	awareness.off('update', provider._awarenessUpdateHandler);
	const sendOwnPresence = (
		{ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
		origin: unknown
	) => {
		if (origin === provider) return;
		const own = doc.clientID;
		if (!added.includes(own) && !updated.includes(own) && !removed.includes(own)) return;
		const ws = provider.ws;
		if (!provider.wsconnected || !ws || ws.readyState !== ws.OPEN) return;
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, messageAwareness);
		encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [own]));
		ws.send(encoding.toUint8Array(encoder));
	};
	awareness.on('update', sendOwnPresence);
	// The name is given once presence knows it (state/facilitation.svelte.ts renames it).
	const facilitation = attachFacilitation(provider, { name: '' });
	const listeners = new Set<(state: ConnectionState) => void>();
	let state: ConnectionState = {
		status: 'connecting',
		loaded: false,
		synced: false,
		pending: 0,
		online: browserOnline(),
		migration: null,
		closed: null
	};

	const update = (patch: Partial<ConnectionState>) => {
		state = { ...state, ...patch };
		for (const listener of listeners) listener(state);
	};

	// The first read of `navigator.onLine` can come before the browser knows (seen right after a
	// reload with no network), and the `offline` event that would correct it may never fire. So
	// every dial, failed or not, looks again. Only the flag is corrected here: dialling goes on,
	// so coming back never depends on an event either.
	const recheckOnline = () => {
		if (browserOnline() !== state.online) update({ online: browserOnline() });
	};
	provider.on('status', ({ status }) => {
		if (state.status !== 'closed' || status === 'connected') update({ status });
		recheckOnline();
	});
	// A 44xx close (revoked, expired): y-websocket stops dialling and so do we.
	provider.on('closed', (close) => update({ status: 'closed', closed: close }));
	let refusals = 0;
	let lastVerify = -Infinity;
	let destroyed = false;
	provider.on('connection-close', (event) => {
		recheckOnline();
		// Emitted before the provider marks itself disconnected: an open socket that closes later
		// (network, restart) is not a refusal.
		if (provider.wsconnected || !event) {
			refusals = 0;
			return;
		}
		refusals++;
		if (!opts.verify || refusals < REFUSALS_BEFORE_VERIFY) return;
		if (Date.now() - lastVerify < VERIFY_EVERY_MS) return;
		lastVerify = Date.now();
		opts.verify().then(
			(closed) => {
				if (!closed || destroyed) return;
				provider.disconnect();
				update({ status: 'closed', closed });
			},
			() => {}
		);
	});
	// The relay's first full sync: migrate against its state (migrating an empty, unsynced doc
	// would race every other peer's copy of the same migration for nothing). Run once the
	// relay's message is applied (below), when the doc's listeners hear local writes again.
	let firstSync = false;
	provider.on('sync', (synced) => {
		if (synced && !state.synced) firstSync = true;
	});
	const afterSync = () => {
		if (!firstSync) return;
		firstSync = false;
		mark('synced');
		update({ loaded: true, synced: true, migration: migrate(doc) });
	};

	// The browser's copy: edits made offline survive a reload and are sent on reconnect, and a
	// board opened offline shows what this browser last saw of it. The socket is dialled once the
	// copy is in the doc: the first screen comes from the copy without waiting for the network,
	// and the sync step 1 then carries the copy's state vector, so the relay sends only what
	// changed since (not the whole board again, decoded twice).
	const cache = caching ? new IndexeddbPersistence(cacheName(opts.boardId), doc) : null;

	const votes = attachVoteChannel(provider);

	const acks = new Acknowledgements();
	const acknowledge = (change: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => {
		if (origin === provider || origin === cache) return;
		acks.local(change, doc.clientID, changedTypes(tr));
		if (acks.pending !== state.pending) update({ pending: acks.pending });
	};
	doc.on('update', acknowledge);

	// The doc's 'update' listeners: the provider's (sends our changes), the copy's (stores every
	// change) and acknowledge. Yjs encodes each transaction for them, and for the relay's first
	// sync or the cached copy that is the whole board encoded again (a tenth of a second on 5,000
	// cards) for listeners that ignore it, or could take the bytes as they came. So they are off
	// while the copy loads, and while a change from the relay is applied (the copy then stores
	// the relay's own bytes).
	const updateListeners = [
		provider._updateHandler,
		...(cache ? [cache._storeUpdate] : []),
		acknowledge
	];
	let listening = true;
	const listen = (on: boolean) => {
		if (on === listening) return;
		listening = on;
		for (const listener of updateListeners) {
			if (on) doc.on('update', listener);
			else doc.off('update', listener);
		}
	};

	let dialled = !caching;
	const dial = () => {
		if (dialled || destroyed) return;
		dialled = true;
		clearTimeout(cacheWait);
		listen(true);
		if (state.status !== 'closed') provider.connect();
	};
	// An IndexedDB that never answers must not keep the board offline.
	const cacheWait = caching ? setTimeout(dial, CACHE_WAIT_MS) : undefined;
	if (cache) {
		listen(false);
		cache.on('synced', () => {
			if (state.loaded || doc.store.clients.size === 0) {
				dial();
				return;
			}
			mark('cache-loaded');
			// Only the copy's own loading needed them off: an edit made on the board shown from it,
			// before the relay is dialled, must be stored in the copy and counted as waiting.
			listen(true);
			update({ loaded: true });
			// The copy is being shown: the relay's answer (and its sync's work) waits until the
			// first screen is built, so the network never delays it; a second at most.
			if (typeof requestIdleCallback === 'function') requestIdleCallback(dial, { timeout: 1000 });
			else setTimeout(dial);
		});
		// No IndexedDB after all (refused, private mode): go to the network at once.
		cache._db.catch(dial);
	}

	// Look at each sync message from the relay before the stock handler consumes it: its state
	// vector and updates are how we learn which of our changes it holds (acknowledgements.ts).
	const handleSync = provider.messageHandlers[messageSync]!;
	provider.messageHandlers[messageSync] = (encoder, decoder, p, emitSynced, type) => {
		const peek = decoding.createDecoder(decoder.arr.subarray(decoder.pos));
		const kind = decoding.readVarUint(peek);
		const payload = decoding.readVarUint8Array(peek);
		if (kind === messageYjsSyncStep1) acks.serverStateVector(payload);
		// Decoding an update only to learn clocks costs as much as applying it (the whole board at
		// the first sync): with no change of ours waiting there is nothing it could acknowledge.
		else if (acks.pending > 0) acks.serverUpdate(payload);
		if (kind === messageYjsSyncStep1 || !listening) {
			handleSync(encoder, decoder, p, emitSynced, type);
		} else {
			listen(false);
			try {
				handleSync(encoder, decoder, p, emitSynced, type);
			} finally {
				listen(true);
			}
			cache?._storeUpdate(payload, null);
		}
		afterSync();
		if (acks.pending !== state.pending) update({ pending: acks.pending });
	};

	// With no network the socket is dead even if the OS has not closed it yet: drop it now, so
	// edits are plainly offline (and counted as waiting), and dial again the moment it returns.
	const network = () => {
		update({ online: browserOnline() });
		if (!browserOnline()) provider.disconnect();
		else if (state.status !== 'closed' && dialled) provider.connect();
	};
	if (typeof window !== 'undefined') {
		window.addEventListener('online', network);
		window.addEventListener('offline', network);
	}

	return {
		doc,
		awareness: provider.awareness,
		votes,
		facilitation,
		get state() {
			return state;
		},
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		destroy() {
			destroyed = true;
			clearTimeout(cacheWait);
			listeners.clear();
			if (typeof window !== 'undefined') {
				window.removeEventListener('online', network);
				window.removeEventListener('offline', network);
			}
			void cache?.destroy();
			awareness.off('update', sendOwnPresence);
			votes.destroy();
			facilitation.destroy();
			provider.destroy();
			doc.destroy();
		}
	};
}
