/**
 * A room's facilitation channel (message type 7, src/lib/protocol/facilitation.ts): who has
 * joined it, the shared timer, and lock commands. Only peers that said `hello` are sent its
 * frames, so stock y-websocket clients never see a message type they do not know.
 *
 * The timer lives here, in memory, on the relay's clock: it is a workshop's, not the plan's, and
 * ends with the room. Locks are the board's (room-locks.ts keeps them in the doc).
 *
 * A participant's command is refused with an `error` frame back to that peer alone (and counted);
 * a malformed message too. Nothing here closes a socket.
 */
import type { Logger } from '../log.ts';
import type { RelayMetrics } from '../metrics.ts';
import type { Peer } from './peer.ts';
import { encodeFacilitation } from './protocol.ts';
import type { RoomLocks } from './room-locks.ts';
import {
	addToTimer,
	ClientMessage,
	parseMessage,
	pauseTimer,
	resumeTimer,
	startTimer,
	type Refusal,
	type ServerMessage,
	type TimerState
} from '../../src/lib/protocol/facilitation.ts';
import { canFacilitate } from '../../src/lib/protocol/roles.ts';

export interface FacilitationOptions {
	locks: RoomLocks;
	/** The relay's clock. */
	now: () => number;
	metrics: RelayMetrics;
	logger: Logger;
	/** Builds the doc if the room was cold-loaded: lock commands need it. */
	ensureBuilt: () => void;
}

export class RoomFacilitation {
	readonly #opts: FacilitationOptions;
	/** Peers that joined the channel, with the name they gave. */
	readonly #members = new Map<Peer, string>();
	#timer: TimerState | null = null;

	constructor(opts: FacilitationOptions) {
		this.#opts = opts;
	}

	get timer(): TimerState | null {
		return this.#timer;
	}

	/** May `peer` run the workshop? (A peer without a link, a test's, is an editor.) */
	static facilitates(peer: Peer): boolean {
		return peer.grant !== undefined && canFacilitate(peer.grant.role);
	}

	receive(peer: Peer, json: string): void {
		const message = parseMessage(ClientMessage, json);
		if (!message) return this.refuse(peer, 'bad-message', 'not a facilitation message');
		const now = this.#opts.now();
		if (message.type === 'hello') {
			this.#members.set(peer, message.name);
			return this.#send(peer, {
				type: 'welcome',
				clientNow: message.clientNow,
				serverNow: now,
				canFacilitate: RoomFacilitation.facilitates(peer),
				timer: this.#timer
			});
		}
		if (message.type === 'time') {
			return this.#send(peer, { type: 'time', clientNow: message.clientNow, serverNow: now });
		}
		if (!RoomFacilitation.facilitates(peer)) {
			return this.refuse(
				peer,
				'not-facilitator',
				message.type === 'lock'
					? 'Only a facilitator can lock or unlock the board'
					: 'Only a facilitator can start, pause or stop the timer'
			);
		}
		const by = this.#members.get(peer) ?? '';
		if (message.type === 'lock') {
			this.#opts.ensureBuilt();
			this.#opts.locks.set(message.target, message.locked ? { by, at: now } : null);
			this.#opts.logger.info(
				{ conn: peer.id, target: message.target, locked: message.locked },
				'lock set'
			);
			return;
		}
		if (message.type === 'timer-start') {
			return this.#setTimer(
				startTimer({ label: message.label, durationMs: message.durationMs, by, serverNow: now })
			);
		}
		const timer = this.#timer;
		if (!timer) return this.refuse(peer, 'no-timer', 'No timer is running');
		switch (message.type) {
			case 'timer-pause':
				return this.#setTimer(pauseTimer(timer, now));
			case 'timer-resume':
				return this.#setTimer(resumeTimer(timer, now));
			case 'timer-add':
				return this.#setTimer(addToTimer(timer, message.ms, now));
			case 'timer-stop':
				return this.#setTimer(null);
		}
	}

	/** Tells `peer` (when it joined the channel) why something it did was refused; counts it. */
	refuse(peer: Peer, code: Refusal, message: string): void {
		this.#opts.metrics.facilitationRefused.inc({ reason: code });
		this.#opts.logger.debug({ conn: peer.id, code, detail: message }, 'facilitation refused');
		this.#send(peer, { type: 'error', code, message });
	}

	leave(peer: Peer): void {
		this.#members.delete(peer);
	}

	#setTimer(timer: TimerState | null): void {
		this.#timer = timer;
		const frame = this.#frame({ type: 'timer', serverNow: this.#opts.now(), timer });
		for (const member of this.#members.keys()) member.send(frame);
	}

	#send(peer: Peer, message: ServerMessage): void {
		if (this.#members.has(peer)) peer.send(this.#frame(message));
	}

	#frame(message: ServerMessage): Uint8Array {
		return encodeFacilitation(JSON.stringify(message));
	}
}
