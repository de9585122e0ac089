/**
 * The browser's end of the vote channel (y-websocket message type 8, src/lib/protocol/votes.ts)
 * on the board's own socket. It says hello on every (re)connect, with this browser's id, and
 * hands every vote message from the relay to its listeners; state/votes.svelte.ts does the rest.
 */
import * as decoding from 'lib0/decoding';
import { nanoid } from 'nanoid';
import type { WebsocketProvider } from 'y-websocket';
import {
	encodeVoteFrame,
	MESSAGE_VOTE,
	parseServerVoteMessage,
	type ClientVoteMessage,
	type ServerVoteMessage
} from '$lib/protocol/votes.ts';

/**
 * Where this browser's id lives. With the link id it is who votes: every tab of this browser is
 * one voter, and another browser with the same link is another voter.
 */
export const BROWSER_ID_KEY = 'railyard:browser-id';

export interface VoteChannel {
	/** Sends `message` if the socket is open; false when it is not (nothing is queued). */
	send(message: ClientVoteMessage): boolean;
	/** Calls `listener` with every vote message from the relay, and `null` when the socket drops. */
	subscribe(listener: (message: ServerVoteMessage | null) => void): () => void;
}

/** This browser's voter id, made once and kept (in memory only, where storage is refused). */
export function browserId(storage: Pick<Storage, 'getItem' | 'setItem'> | null): string {
	try {
		const held = storage?.getItem(BROWSER_ID_KEY);
		if (held && /^[A-Za-z0-9_-]{8,64}$/.test(held)) return held;
		const made = nanoid();
		storage?.setItem(BROWSER_ID_KEY, made);
		return made;
	} catch {
		return nanoid();
	}
}

function localStorageOrNull(): Storage | null {
	try {
		return typeof localStorage === 'undefined' ? null : localStorage;
	} catch {
		return null;
	}
}

export function attachVoteChannel(
	provider: WebsocketProvider,
	opts: { browser?: string } = {}
): VoteChannel & { destroy(): void } {
	const browser = opts.browser ?? browserId(localStorageOrNull());
	const listeners = new Set<(message: ServerVoteMessage | null) => void>();
	const emit = (message: ServerVoteMessage | null) => {
		for (const listener of listeners) listener(message);
	};
	const send = (message: ClientVoteMessage): boolean => {
		const ws = provider.ws;
		if (!provider.wsconnected || !ws || ws.readyState !== ws.OPEN) return false;
		ws.send(encodeVoteFrame(message));
		return true;
	};
	provider.messageHandlers[MESSAGE_VOTE] = (_encoder, decoder) => {
		const parsed = parseServerVoteMessage(decoding.readVarString(decoder));
		// A relay newer than this page may say things it does not know: ignore them.
		if (parsed.ok) emit(parsed.message);
	};
	const onStatus = ({ status }: { status: string }) => {
		if (status === 'connected') send({ t: 'hello', voter: browser });
		else emit(null);
	};
	provider.on('status', onStatus);
	if (provider.wsconnected) send({ t: 'hello', voter: browser });
	return {
		send,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		destroy() {
			listeners.clear();
			provider.off('status', onStatus);
		}
	};
}
