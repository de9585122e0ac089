/**
 * What a connection talks to, and where it gets it. On one relay that is always the loaded Room
 * (rooms.ts). In cluster mode a board's room lives on one relay only, its owner; on every other
 * relay the connection talks to a stand-in that forwards to the owner (server/cluster/), through
 * the same three methods, so connections, the registry and the upgrade never know which.
 */
import type { Role } from '../../src/lib/protocol/roles.ts';
import type { Peer } from './peer.ts';

export interface RoomHandle {
	readonly id: string;
	join(peer: Peer): void;
	leave(peer: Peer): void;
	/** Handles one frame from `peer`; throws for input it refuses (connection.ts maps the error). */
	receive(peer: Peer, frame: Uint8Array): void;
	/**
	 * Applies an update from the server itself (an import through the API), as a client's would
	 * be; resolves once it is durable. Rejects with BadUpdateError or BoardTooBigError (room.ts)
	 * when refused, and then the board is unchanged.
	 */
	apply(update: Uint8Array, role: Role): Promise<void>;
	/** Makes every accepted update durable (and sent); resolves once written. */
	flush(): Promise<void>;
	/** Closes every peer of this board held here with `code`. */
	closeAll(code: number, reason: string): void;
}

/** The rooms a relay serves: Rooms alone, or ClusterRooms in front of it. */
export interface RoomSource {
	/** Rooms (or stand-ins) held by this relay. */
	readonly size: number;
	/** The handle for `id`, opening it if needed. Null when no such board is stored. */
	open(id: string): Promise<RoomHandle | null>;
	/** The handle currently held for `id`, if any. */
	get(id: string): RoomHandle | undefined;
	join(room: RoomHandle, peer: Peer): void;
	leave(room: RoomHandle, peer: Peer): void;
	/** A deleted board: closes its peers with `code`, without writing anything. */
	discard(id: string, code: number, reason: string): void;
	/** Writes every room's updates, closes every peer with `code`, and unloads. */
	closeAll(code: number, reason: string): Promise<void>;
}
