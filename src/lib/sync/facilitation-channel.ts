/**
 * The app's end of the facilitation channel (message type 7 on the board's socket;
 * src/lib/protocol/facilitation.ts): says hello on every connect, keeps the timer the relay
 * broadcasts, estimates this clock's offset from the relay's, and sends a facilitator's commands.
 * The state class (state/facilitation.svelte.ts) reads it; components never touch it.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { WebsocketProvider } from 'y-websocket';
import {
	clockOffset,
	MESSAGE_FACILITATION,
	parseMessage,
	ServerMessage,
	type ClientMessage,
	type Refusal,
	type TimerState
} from '../protocol/facilitation.ts';

export interface ChannelState {
	/** The relay answered this connection's hello. */
	joined: boolean;
	canFacilitate: boolean;
	timer: TimerState | null;
	/** Relay clock minus this clock, in ms (best estimate: the round trip with the least delay). */
	offset: number;
	/** The last refusal the relay sent this connection, newest last. */
	refusal: { code: Refusal; message: string; seq: number } | null;
}

export interface FacilitationChannel {
	readonly state: ChannelState;
	subscribe(listener: (state: ChannelState) => void): () => void;
	/** A command (timer, lock); refused by the relay unless this link facilitates. */
	send(message: Exclude<ClientMessage, { type: 'hello' | 'time' }>): boolean;
	/** Says hello again under a new display name. */
	rename(name: string): void;
	/** The relay's clock now, as best this client can tell. */
	serverNow(): number;
	destroy(): void;
}

/** How often the clock offset is measured again while connected. */
const RESYNC_MS = 30_000;
/**
 * Extra measurements soon after joining: the hello's answer often lands while the page is still
 * busy loading, which inflates its round trip and skews that first estimate by half the delay.
 * The sample with the shortest round trip wins.
 */
const EARLY_PROBES_MS = [300, 1000, 2500, 5000];
/** An offset sample this much older than the best one replaces it even if its round trip was slower. */
const SAMPLE_TTL_MS = 5 * 60_000;

export function attachFacilitation(
	provider: WebsocketProvider,
	opts: { name: string; now?: () => number }
): FacilitationChannel {
	const now = opts.now ?? Date.now;
	let name = opts.name;
	let state: ChannelState = {
		joined: false,
		canFacilitate: false,
		timer: null,
		offset: 0,
		refusal: null
	};
	let best: { rtt: number; at: number } | null = null;
	let seq = 0;
	const listeners = new Set<(state: ChannelState) => void>();
	const update = (patch: Partial<ChannelState>) => {
		state = { ...state, ...patch };
		for (const listener of listeners) listener(state);
	};

	const sendRaw = (message: ClientMessage): boolean => {
		const ws = provider.ws;
		if (!provider.wsconnected || !ws || ws.readyState !== ws.OPEN) return false;
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_FACILITATION);
		encoding.writeVarString(encoder, JSON.stringify(message));
		ws.send(encoding.toUint8Array(encoder));
		return true;
	};

	const sample = (clientNow: number, serverNow: number) => {
		const { offset, rtt } = clockOffset({ sentAt: clientNow, receivedAt: now(), serverNow });
		const at = now();
		if (best && rtt > best.rtt && at - best.at < SAMPLE_TTL_MS) return;
		best = { rtt, at };
		update({ offset });
	};

	provider.messageHandlers[MESSAGE_FACILITATION] = (_encoder, decoder) => {
		const message = parseMessage(ServerMessage, decoding.readVarString(decoder));
		if (!message) return;
		switch (message.type) {
			case 'welcome':
				sample(message.clientNow, message.serverNow);
				update({ joined: true, canFacilitate: message.canFacilitate, timer: message.timer });
				probeSoon();
				return;
			case 'time':
				sample(message.clientNow, message.serverNow);
				return;
			case 'timer':
				update({ timer: message.timer });
				return;
			case 'error':
				update({ refusal: { code: message.code, message: message.message, seq: ++seq } });
				return;
		}
	};

	const hello = () => sendRaw({ type: 'hello', name, clientNow: now() });
	const probe = () => {
		if (state.joined) sendRaw({ type: 'time', clientNow: now() });
	};
	let probes: ReturnType<typeof setTimeout>[] = [];
	const probeSoon = () => {
		for (const timer of probes) clearTimeout(timer);
		probes = EARLY_PROBES_MS.map((ms) => setTimeout(probe, ms));
	};
	const onStatus = ({ status }: { status: string }) => {
		if (status === 'connected') {
			// A new connection may reach another relay, or the same one after a restart.
			best = null;
			hello();
		} else update({ joined: false });
	};
	provider.on('status', onStatus);
	if (provider.wsconnected) hello();
	const resync = setInterval(probe, RESYNC_MS);

	return {
		get state() {
			return state;
		},
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		send: (message) => sendRaw(message),
		rename(next) {
			if (next === name) return;
			name = next;
			if (state.joined) hello();
		},
		serverNow: () => now() + state.offset,
		destroy() {
			clearInterval(resync);
			for (const timer of probes) clearTimeout(timer);
			listeners.clear();
			provider.off('status', onStatus);
			delete provider.messageHandlers[MESSAGE_FACILITATION];
		}
	};
}

/** A channel that never connects: boards opened without a relay (tests, a stand-in). */
export function detachedFacilitation(): FacilitationChannel {
	const state: ChannelState = {
		joined: false,
		canFacilitate: false,
		timer: null,
		offset: 0,
		refusal: null
	};
	return {
		state,
		subscribe: () => () => {},
		send: () => false,
		rename: () => {},
		serverNow: () => Date.now(),
		destroy: () => {}
	};
}
