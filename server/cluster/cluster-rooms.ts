/**
 * Cluster mode's RoomSource: every relay accepts every client, and each board has one owner at a
 * time. Opening a board here either finds this relay its owner (it holds the board's lease), takes
 * the board over (nobody holds the lease: acquire it, bump the board's epoch in PostgreSQL, load
 * it from there), or forwards to the relay that owns it (forwarded-room.ts). The owner serves its
 * own clients through the ordinary Room and the other relays' clients through the board's streams
 * (owned-board.ts).
 *
 * Ownership ends in one place, when the room closes, whatever the reason: unloaded when idle,
 * deleted, its lease lost, or a write refused for a stale epoch ('superseded'). The owner then
 * tells the other relays (an `end` entry: their clients reconnect and resync) and releases the
 * lease, if it is still its own.
 *
 * Timers, every third of a lease: renew the owned boards' leases and this relay's heartbeat; check
 * that every forwarded board still has the owner it was opened with (else its clients reconnect);
 * drop the remote peers of relays whose heartbeat lapsed, so no dead relay's presence lingers.
 */
import { CloseCode } from '../../src/lib/protocol/close-codes.ts';
import type { Logger } from '../log.ts';
import type { RelayMetrics } from '../metrics.ts';
import type { Peer } from '../sync/peer.ts';
import { Room, type RoomCloseReason } from '../sync/room.ts';
import type { RoomHandle, RoomSource } from '../sync/room-handle.ts';
import type { StoredBoard } from '../storage/types.ts';
import * as Y from 'yjs';
import type { Rooms } from '../sync/rooms.ts';
import { ForwardedRoom } from './forwarded-room.ts';
import type { ClusterKeys } from './messages.ts';
import { OwnedBoard } from './owned-board.ts';
import type { Leases } from './ownership.ts';
import type { StreamBus } from './stream-bus.ts';

const MOVED = 'the board moved to another relay; reconnect';

export interface ClusterRoomsOptions {
	rooms: Rooms;
	leases: Leases;
	bus: StreamBus;
	keys: ClusterKeys;
	/** This relay's token: in its lease values, and how other relays address its clients. */
	token: string;
	leaseMs: number;
	/** Takes the board over in the store (bumps its epoch); rejects for an unknown board. */
	claim: (id: string) => Promise<number>;
	/** Reads a board as durable (a gap the stream can no longer fill, forwarded-room.ts). */
	load: (id: string) => Promise<StoredBoard | null>;
	seams?: ClusterSeams;
	logger: Logger;
	metrics: RelayMetrics;
}

/**
 * Test seams (RAILYARD_TEST_* in open.ts, never set in production): lose outbox entries on
 * purpose, so the tests can see a gap repaired.
 */
export interface ClusterSeams {
	/** A forwarding relay's reader skips every nth outbox entry (it stays in the stream). */
	dropDelivered?: number;
	/** An owner numbers every nth outbox entry but never appends it (as if XADD had failed). */
	loseAppended?: number;
}

export class ClusterRooms implements RoomSource {
	readonly #rooms: Rooms;
	readonly #leases: Leases;
	readonly #bus: StreamBus;
	readonly #keys: ClusterKeys;
	readonly #token: string;
	readonly #leaseMs: number;
	readonly #claim: (id: string) => Promise<number>;
	readonly #load: (id: string) => Promise<StoredBoard | null>;
	readonly #seams: ClusterSeams;
	#dropped = 0;
	#lost = 0;
	readonly #log: Logger;
	readonly #metrics: RelayMetrics;
	readonly #owned = new Map<
		string,
		{ board: OwnedBoard; lease: string; closed: Promise<void>; done: () => void }
	>();
	readonly #forwarded = new Map<string, ForwardedRoom>();
	readonly #opening = new Map<string, Promise<RoomHandle | null>>();
	readonly #timer: NodeJS.Timeout;
	#lastRenewed = Date.now();
	#ticking = false;
	#closed = false;

	constructor(opts: ClusterRoomsOptions) {
		this.#rooms = opts.rooms;
		this.#leases = opts.leases;
		this.#bus = opts.bus;
		this.#keys = opts.keys;
		this.#token = opts.token;
		this.#leaseMs = opts.leaseMs;
		this.#claim = opts.claim;
		this.#load = opts.load;
		this.#seams = opts.seams ?? {};
		this.#log = opts.logger.child({ node: opts.token });
		this.#metrics = opts.metrics;
		this.#timer = setInterval(() => void this.#tick(), Math.max(50, Math.floor(opts.leaseMs / 3)));
		this.#timer.unref();
	}

	/** Starts the heartbeat before the relay takes any client. */
	async start(): Promise<void> {
		await this.#leases.beat();
	}

	get size(): number {
		return this.#rooms.size + this.#forwarded.size;
	}

	/** Boards this relay owns now (for tests and logs). */
	get owned(): string[] {
		return [...this.#owned.keys()];
	}

	/** For /metrics. */
	get counts(): { owned: number; forwarded: number } {
		return { owned: this.#owned.size, forwarded: this.#forwarded.size };
	}

	get(id: string): RoomHandle | undefined {
		return this.#rooms.get(id) ?? this.#forwarded.get(id);
	}

	open(id: string): Promise<RoomHandle | null> {
		const room = this.#rooms.get(id);
		if (room && this.#owned.get(id)?.board.room === room) return Promise.resolve(room);
		const forwarded = this.#forwarded.get(id);
		if (forwarded && !forwarded.ended) return Promise.resolve(forwarded);
		let opening = this.#opening.get(id);
		if (!opening) {
			opening = this.#route(id).finally(() => this.#opening.delete(id));
			this.#opening.set(id, opening);
		}
		return opening;
	}

	async #route(id: string): Promise<RoomHandle | null> {
		// A room of ours still closing (unloading, stepping down) finishes first.
		await this.#owned.get(id)?.closed;
		for (let attempt = 0; attempt < 5; attempt++) {
			const owner = await this.#leases.owner(id);
			if (owner && this.#leases.mine(owner)) {
				// Our lease outlived our room (a release that failed): give it up and race again.
				await this.#leases.release(id, owner);
				continue;
			}
			if (owner) return this.#forward(id, owner);
			// Read from here on: any client told we own the board writes after we take the lease.
			const from = await this.#bus.lastId(this.#keys.inbox(id));
			const lease = await this.#leases.acquire(id);
			if (lease) return this.#own(id, lease, from);
		}
		throw new Error(`board ${id}: could not find or become its owner`);
	}

	async #own(id: string, lease: string, from: string): Promise<Room | null> {
		let room: Room | null;
		try {
			// The epoch first, then the load: the board as it is once no former owner can write.
			const epoch = await this.#claim(id);
			room = await this.#rooms.open(id);
			this.#log.info({ board: id, epoch }, 'took ownership');
			this.#metrics.ownership.inc({ event: 'taken' });
		} catch (err) {
			await this.#leases.release(id, lease).catch(() => {});
			if (err instanceof Error && err.message.startsWith('unknown board')) return null;
			throw err;
		}
		if (!room) {
			await this.#leases.release(id, lease).catch(() => {});
			return null;
		}
		const board = new OwnedBoard({
			room,
			rooms: this.#rooms,
			owner: lease,
			append: (entry) => {
				const every = this.#seams.loseAppended;
				if (every && ++this.#lost % every === 0) return Promise.resolve();
				return this.#bus.append(this.#keys.outbox(id), entry);
			},
			logger: this.#log,
			metrics: this.#metrics
		});
		let done = () => {};
		const closed = new Promise<void>((resolve) => (done = resolve));
		this.#owned.set(id, { board, lease, closed, done });
		this.#bus.follow(this.#keys.inbox(id), from, (entry) => board.handle(entry));
		return room;
	}

	async #forward(id: string, owner: string): Promise<ForwardedRoom> {
		// Where the owner's numbering stands: the first entry this relay reads must follow it.
		const last = await this.#bus.last(this.#keys.outbox(id));
		const from = last.id;
		const existing = this.#forwarded.get(id);
		if (existing && !existing.ended && existing.owner === owner) return existing;
		existing?.end(CloseCode.BOARD_MOVED, MOVED);
		const room = new ForwardedRoom({
			id,
			owner,
			token: this.#token,
			append: (entry) => this.#bus.append(this.#keys.inbox(id), entry),
			onEnded: (ended) => {
				if (this.#forwarded.get(id) !== ended) return;
				this.#forwarded.delete(id);
				this.#bus.unfollow(this.#keys.outbox(id));
			},
			after: last,
			repair: {
				range: (after, before) => this.#bus.range(this.#keys.outbox(id), after, before),
				durable: async () => {
					const board = await this.#load(id);
					return board ? Y.mergeUpdates(board.updates) : null;
				}
			},
			logger: this.#log
		});
		this.#forwarded.set(id, room);
		this.#bus.follow(this.#keys.outbox(id), from, (entry, entryId) => {
			const every = this.#seams.dropDelivered;
			if (every && ++this.#dropped % every === 0) return;
			room.deliver(entry, entryId);
		});
		return room;
	}

	/** The room's broadcast, to its peers on other relays (Rooms' `fanout`). */
	fanout(id: string, frame: Uint8Array): void {
		this.#owned.get(id)?.board.broadcast(frame);
	}

	/** Every owned room ends here (Rooms' `onRoomClosed`): the board is given up. */
	roomClosed(room: Room, reason: RoomCloseReason): void {
		const owned = this.#owned.get(room.id);
		if (!owned || owned.board.room !== room) return;
		this.#owned.delete(room.id);
		this.#bus.unfollow(this.#keys.inbox(room.id));
		this.#log.info({ board: room.id, reason }, 'gave up ownership');
		this.#metrics.ownership.inc({ event: 'given_up' });
		// The end reaches the other relays before the lease is free for one of them to take.
		void owned.board
			.end(CloseCode.BOARD_MOVED, MOVED)
			.then(() => this.#leases.release(room.id, owned.lease))
			.catch((err: unknown) => this.#log.warn({ err, board: room.id }, 'could not release'))
			.finally(owned.done);
	}

	join(room: RoomHandle, peer: Peer): void {
		if (room instanceof Room) this.#rooms.join(room, peer);
		else room.join(peer);
	}

	leave(room: RoomHandle, peer: Peer): void {
		if (room instanceof Room) this.#rooms.leave(room, peer);
		else room.leave(peer);
	}

	discard(id: string, code: number, reason: string): void {
		this.#rooms.discard(id, code, reason);
		this.#forwarded.get(id)?.end(code, reason);
	}

	async closeAll(code: number, reason: string): Promise<void> {
		for (const room of [...this.#forwarded.values()]) room.end(code, reason);
		// No compaction on the way out: the next owner can take the board the moment it is durable.
		await this.#rooms.closeAll(code, reason, { compact: false });
		await Promise.all([...this.#owned.values()].map((o) => o.closed));
	}

	/** Stops the timers and the heartbeat. Call after closeAll. */
	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		clearInterval(this.#timer);
		await this.#leases.stopBeating().catch(() => {});
	}

	async #tick(): Promise<void> {
		if (this.#ticking || this.#closed) return;
		this.#ticking = true;
		try {
			await Promise.all([this.#renew(), this.#checkForwarded(), this.#checkRelays()]);
		} catch (err) {
			this.#log.warn({ err }, 'cluster check failed');
		} finally {
			this.#ticking = false;
		}
	}

	async #renew(): Promise<void> {
		const leases = [...this.#owned].map(([board, { lease }]) => ({ board, value: lease }));
		const boards = leases.map((l) => l.board);
		let lost: string[];
		try {
			await this.#leases.beat();
			lost = await this.#leases.renew(leases);
			this.#lastRenewed = Date.now();
		} catch (err) {
			// Without Redis we cannot show we still own anything: before our leases can have expired,
			// stop serving as owner (the epoch fence would refuse our writes after a takeover anyway).
			if (Date.now() - this.#lastRenewed < this.#leaseMs * 0.8) throw err;
			this.#log.error({ err }, 'could not renew leases in time; stepping down');
			lost = boards;
		}
		for (const id of lost) {
			const owned = this.#owned.get(id);
			if (!owned) continue;
			this.#log.warn({ board: id }, 'lease lost; stepping down');
			owned.board.room.close('superseded', { code: CloseCode.BOARD_MOVED, message: MOVED });
		}
	}

	async #checkForwarded(): Promise<void> {
		const rooms = [...this.#forwarded.values()];
		const owners = await this.#leases.owners(rooms.map((r) => r.id));
		rooms.forEach((room, i) => {
			// Nobody joined (an upgrade that failed), or the owner changed or died: end it here.
			const unused = room.peerCount === 0 && Date.now() - room.openedAt > this.#leaseMs;
			if (unused || owners[i] !== room.owner) room.end(CloseCode.BOARD_MOVED, MOVED);
		});
	}

	async #checkRelays(): Promise<void> {
		const relays = new Set<string>();
		for (const { board } of this.#owned.values()) for (const r of board.relays()) relays.add(r);
		const dead = await this.#leases.dead([...relays]);
		for (const relay of dead) {
			this.#log.warn({ relay }, 'a relay stopped beating; dropping its clients');
			for (const { board } of this.#owned.values()) board.dropRelay(relay);
		}
	}
}
