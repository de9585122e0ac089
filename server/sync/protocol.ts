/**
 * The stock y-websocket wire protocol, one message per frame:
 *   varUint messageType, then
 *   sync (0):            varUint syncType (0 step 1 | 1 step 2 | 2 update), varUint8Array payload
 *   awareness (1):       varUint8Array awareness update
 *   query-awareness (3): nothing
 *   facilitation (7):    varString JSON (Railyard's own; src/lib/protocol/facilitation.ts)
 *   vote (8):            varString JSON (Railyard's vote channel, src/lib/protocol/votes.ts)
 * `decodeMessage` turns a frame into a typed message or throws a ProtocolError; it never
 * touches a document, so a bad frame cannot change anything.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MESSAGE_FACILITATION } from '../../src/lib/protocol/facilitation.ts';
import { MESSAGE_VOTE, readVotePayload } from '../../src/lib/protocol/votes.ts';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;

export type Incoming =
	| { type: 'sync-step1'; stateVector: Uint8Array }
	| { type: 'sync-step2'; update: Uint8Array }
	| { type: 'update'; update: Uint8Array }
	| { type: 'awareness'; update: Uint8Array }
	| { type: 'query-awareness' }
	| { type: 'facilitation'; json: string }
	| { type: 'vote'; payload: string };

export class ProtocolError extends Error {
	override name = 'ProtocolError';
}

export function decodeMessage(frame: Uint8Array): Incoming {
	const decoder = decoding.createDecoder(frame);
	let message: Incoming;
	try {
		const type = decoding.readVarUint(decoder);
		if (type === MESSAGE_SYNC) {
			const syncType = decoding.readVarUint(decoder);
			const payload = decoding.readVarUint8Array(decoder);
			if (syncType === SYNC_STEP1) message = { type: 'sync-step1', stateVector: payload };
			else if (syncType === SYNC_STEP2) message = { type: 'sync-step2', update: payload };
			else if (syncType === SYNC_UPDATE) message = { type: 'update', update: payload };
			else throw new ProtocolError(`unknown sync message type ${syncType}`);
		} else if (type === MESSAGE_AWARENESS) {
			message = { type: 'awareness', update: decoding.readVarUint8Array(decoder) };
		} else if (type === MESSAGE_QUERY_AWARENESS) {
			message = { type: 'query-awareness' };
		} else if (type === MESSAGE_FACILITATION) {
			message = { type: 'facilitation', json: decoding.readVarString(decoder) };
		} else if (type === MESSAGE_VOTE) {
			message = { type: 'vote', payload: readVotePayload(decoder) };
		} else {
			throw new ProtocolError(`unknown message type ${type}`);
		}
	} catch (err) {
		if (err instanceof ProtocolError) throw err;
		throw new ProtocolError(`truncated or malformed frame: ${(err as Error).message}`);
	}
	if (decoding.hasContent(decoder)) {
		throw new ProtocolError(`${frame.length - decoder.pos} unexpected bytes after the message`);
	}
	return message;
}

function syncFrame(syncType: number, payload: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	encoding.writeVarUint(encoder, syncType);
	encoding.writeVarUint8Array(encoder, payload);
	return encoding.toUint8Array(encoder);
}

export const encodeSyncStep1 = (stateVector: Uint8Array) => syncFrame(SYNC_STEP1, stateVector);
export const encodeSyncStep2 = (update: Uint8Array) => syncFrame(SYNC_STEP2, update);
export const encodeUpdate = (update: Uint8Array) => syncFrame(SYNC_UPDATE, update);

export function encodeAwareness(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}

export function encodeFacilitation(json: string): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_FACILITATION);
	encoding.writeVarString(encoder, json);
	return encoding.toUint8Array(encoder);
}
