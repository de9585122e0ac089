/**
 * The loaded rooms. A room is loaded on first use (concurrent joiners share one load) and
 * unloaded `roomIdleMs` after its last peer leaves, so memory follows the boards in use, not the
 * boards ever opened.
 */
import { AuthorLog } from './author-log.ts';
import { CommitQueue } from './commit-queue.ts';
import type { RelayLimits } from '../config.ts';
import type { Logger } from '../log.ts';
import type { RelayMetrics } from '../metrics.ts';
import type { Peer } from './peer.ts';
import { Room, type RoomCloseReason } from './room.ts';
import type { RoomSource } from './room-handle.ts';
import type { BoardHistory, DocumentLog, VoteLog } from '../storage/types.ts';

export class Rooms implements RoomSource {
	readonly #rooms = new Map<string, Room>();
	readonly #loading = new Map<string, Promise<Room | null>>();
	readonly #idle = new Map<string, NodeJS.Timeout>();
	/** Rooms writing their last updates and snapshot: a new load of the board waits for them. */
	readonly #unloading = new Map<string, Promise<void>>();
	readonly #store: DocumentLog & VoteLog & BoardHistory;
	readonly #log: Logger;
	readonly #limits: RelayLimits;
	readonly #metrics: RelayMetrics;
	readonly #commits: CommitQueue;
	readonly #onRoomClosed: ((room: Room, reason: RoomCloseReason) => void) | undefined;
	readonly #fanout: ((id: string) => (frame: Uint8Array) => void) | undefined;
	readonly #authors: AuthorLog;

	readonly #now: (() => number) | undefined;
	constructor(opts: {
		store: DocumentLog & VoteLog & BoardHistory;
		logger: Logger;
		limits: RelayLimits;
		metrics: RelayMetrics;
		/** Told once each room has closed, whatever the reason (cluster mode gives up the board). */
		onRoomClosed?: (room: Room, reason: RoomCloseReason) => void;
		/** Cluster mode: each room's way to its peers on other relays (room.ts `fanout`). */
		fanout?: (id: string) => (frame: Uint8Array) => void;
		/** The relay's clock, for the rooms' facilitation timers. */
		now?: () => number;
	}) {
		this.#onRoomClosed = opts.onRoomClosed;
		this.#fanout = opts.fanout;
		this.#now = opts.now;
		this.#store = opts.store;
		this.#log = opts.logger;
		this.#limits = opts.limits;
		this.#metrics = opts.metrics;
		this.#commits = new CommitQueue({
			store: opts.store,
			metrics: opts.metrics,
			logger: opts.logger
		});
		this.#authors = new AuthorLog({ store: opts.store, logger: opts.logger });
	}

	get size(): number {
		return this.#rooms.size;
	}

	get(id: string): Room | undefined {
		return this.#rooms.get(id);
	}

	/** The loaded room for `id`, loading it if needed. Null when no such board is stored. */
	open(id: string): Promise<Room | null> {
		const loaded = this.#rooms.get(id);
		if (loaded) return Promise.resolve(loaded);
		let loading = this.#loading.get(id);
		if (!loading) {
			loading = Promise.resolve(this.#unloading.get(id))
				.then(() =>
					Room.load({
						id,
						store: this.#store,
						logger: this.#log,
						limits: this.#limits,
						metrics: this.#metrics,
						commits: this.#commits,
						authors: this.#authors,
						fanout: this.#fanout?.(id),
						now: this.#now,
						onClosed: (room, reason) => {
							this.#drop(room);
							this.#onRoomClosed?.(room, reason);
						}
					})
				)
				.then((room) => {
					if (room) {
						this.#rooms.set(id, room);
						// Unload it again if nobody ends up joining (e.g. the upgrade failed).
						this.#scheduleIdle(room);
					}
					return room;
				})
				.finally(() => this.#loading.delete(id));
			this.#loading.set(id, loading);
		}
		return loading;
	}

	join(room: Room, peer: Peer): void {
		clearTimeout(this.#idle.get(room.id));
		this.#idle.delete(room.id);
		room.join(peer);
	}

	leave(room: Room, peer: Peer): void {
		room.leave(peer);
		if (room.peerCount === 0 && this.#rooms.get(room.id) === room) this.#scheduleIdle(room);
	}

	#scheduleIdle(room: Room): void {
		clearTimeout(this.#idle.get(room.id));
		const timer = setTimeout(() => {
			this.#idle.delete(room.id);
			if (room.peerCount === 0) void this.unload(room.id);
		}, this.#limits.roomIdleMs);
		timer.unref();
		this.#idle.set(room.id, timer);
	}

	#drop(room: Room): void {
		if (this.#rooms.get(room.id) === room) this.#rooms.delete(room.id);
		clearTimeout(this.#idle.get(room.id));
		this.#idle.delete(room.id);
	}

	/** Persists and frees one room (its peers must be gone or about to be closed). */
	unload(id: string): Promise<void> {
		const room = this.#rooms.get(id);
		if (!room) return this.#unloading.get(id) ?? Promise.resolve();
		this.#drop(room);
		const unloading = room
			.unload()
			.then(
				() => this.#log.debug({ board: id }, 'room unloaded'),
				(err: unknown) => this.#log.error({ board: id, err }, 'failed to compact while unloading')
			)
			.finally(() => {
				if (this.#unloading.get(id) === unloading) this.#unloading.delete(id);
			});
		this.#unloading.set(id, unloading);
		return unloading;
	}

	/** A deleted board: closes its peers with `code` and frees its room without writing a thing. */
	discard(id: string, code: number, reason: string): void {
		const room = this.#rooms.get(id);
		if (!room) return;
		this.#drop(room);
		room.close('deleted', { code, message: reason });
		this.#log.debug({ board: id }, 'room discarded');
	}

	/**
	 * Writes every room's updates, closes its peers with `code`, and unloads it. `compact: false`
	 * skips the final compaction (cluster mode hands the board to another relay at once; the log
	 * it leaves is durable, and the next owner compacts it in its turn).
	 */
	/** Writes who edited, as far as this relay has seen it (a reader of the authors must not wait). */
	flushAuthors(): Promise<void> {
		return this.#authors.flush();
	}

	async closeAll(code: number, reason: string, opts: { compact?: boolean } = {}): Promise<void> {
		// Written and echoed first, so every client leaves holding exactly what is stored.
		await Promise.allSettled([...this.#rooms.values()].map((room) => room.flush()));
		const unloads = [...this.#rooms.values()].map((room) => {
			room.closeAll(code, reason);
			if (opts.compact !== false) return this.unload(room.id);
			room.close('unloaded');
			return Promise.resolve();
		});
		await Promise.all([...unloads, ...this.#unloading.values()]);
		await this.#authors.flush();
	}
}
