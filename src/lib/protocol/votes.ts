/**
 * The vote channel's wire contract, imported by the relay (server/sync/votes.ts) and the browser
 * (src/lib/sync/votes.ts). Pure: valibot and lib0 only, no IO.
 *
 * Votes travel as y-websocket message type 8 on the board's socket: varUint 8, then one JSON
 * string. A stock client never sends a `hello`, so the relay never sends it a vote frame.
 *
 * Secrecy: a ballot goes from its voter to the relay and nowhere else. The relay answers the
 * voter (`mine`: their own ballot, to their own connections only) and tells everyone only how
 * many have voted, until the vote closes; then it sends the tally (`result`), never who voted what.
 */
import * as v from 'valibot';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export const MESSAGE_VOTE = 8;

/** What dot voting can be on. */
export const DOT_TARGETS = ['card', 'lane', 'objective', 'risk'] as const;
export type DotTarget = (typeof DOT_TARGETS)[number];

/** Fist of five: 1 (no confidence) to 5 (full confidence). */
export const CONFIDENCE_MIN = 1;
export const CONFIDENCE_MAX = 5;
export const CONFIDENCE_LABELS: Record<number, string> = {
	1: 'No confidence',
	2: 'Low',
	3: 'Some concerns',
	4: 'Good',
	5: 'Full confidence'
};
export const MAX_DOT_LIMIT = 20;
export const MAX_TITLE_LENGTH = 120;
/** A vote message is small; anything longer is refused before it is parsed. */
export const MAX_VOTE_MESSAGE_CHARS = 8192;

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
/** The browser's own random id (src/lib/sync/votes.ts keeps it in localStorage). */
const VoterId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/));
const Count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1e6));
const Time = v.pipe(v.number(), v.finite(), v.minValue(0));
const Title = v.pipe(v.string(), v.trim(), v.maxLength(MAX_TITLE_LENGTH));

export const Subject = v.variant('type', [
	v.object({ type: v.literal('plan') }),
	v.object({ type: v.literal('program'), id: Id })
]);
export type Subject = v.InferOutput<typeof Subject>;

/** What the facilitator opens. */
export const VoteSpec = v.variant('kind', [
	v.object({ kind: v.literal('confidence'), title: Title, subject: Subject }),
	v.object({
		kind: v.literal('dots'),
		title: Title,
		targets: v.pipe(
			v.array(v.picklist(DOT_TARGETS)),
			v.minLength(1),
			v.check((t) => new Set(t).size === t.length, 'each target kind once')
		),
		limit: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_DOT_LIMIT))
	})
]);
export type VoteSpec = v.InferOutput<typeof VoteSpec>;

const DotItem = v.object({ kind: v.picklist(DOT_TARGETS), id: Id });
export type DotItem = v.InferOutput<typeof DotItem>;

export const Ballot = v.variant('kind', [
	v.object({
		kind: v.literal('confidence'),
		value: v.pipe(v.number(), v.integer(), v.minValue(CONFIDENCE_MIN), v.maxValue(CONFIDENCE_MAX))
	}),
	v.object({
		kind: v.literal('dots'),
		dots: v.pipe(
			v.array(
				v.object({
					...DotItem.entries,
					count: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_DOT_LIMIT))
				})
			),
			v.maxLength(MAX_DOT_LIMIT)
		)
	})
]);
export type Ballot = v.InferOutput<typeof Ballot>;
export type DotBallot = Extract<Ballot, { kind: 'dots' }>;

export const ConfidenceResult = v.object({
	kind: v.literal('confidence'),
	/** Null when nobody voted. */
	average: v.nullable(v.number()),
	/** How many chose 1, 2, 3, 4 and 5. */
	distribution: v.pipe(v.array(Count), v.length(CONFIDENCE_MAX - CONFIDENCE_MIN + 1))
});
export const DotsResult = v.object({
	kind: v.literal('dots'),
	/** Most dots first; items nobody dotted are not listed. */
	tallies: v.array(v.object({ ...DotItem.entries, dots: Count, voters: Count }))
});
export const VoteResult = v.variant('kind', [ConfidenceResult, DotsResult]);
export type VoteResult = v.InferOutput<typeof VoteResult>;

/** A vote while it is open, as everyone sees it: how many voted, never what. */
export const OpenVote = v.object({
	id: Id,
	spec: VoteSpec,
	openedAt: Time,
	/** Distinct people with a ballot in. */
	voted: Count,
	/**
	 * Distinct people who may vote: everyone connected through an owner, facilitator or editor
	 * link (viewers cannot vote), plus anyone whose ballot is in and who has left since.
	 */
	eligible: Count
});
export type OpenVote = v.InferOutput<typeof OpenVote>;

/** A closed vote and its result: what is stored with the board and listed as a past vote. */
export const ClosedVote = v.object({
	id: Id,
	spec: VoteSpec,
	openedAt: Time,
	closedAt: Time,
	voted: Count,
	eligible: Count,
	result: VoteResult
});
export type ClosedVote = v.InferOutput<typeof ClosedVote>;

/** Messages a client sends. */
export const ClientVoteMessage = v.variant('t', [
	/** "I speak votes": the relay sends vote frames to this connection from now on. */
	v.object({ t: v.literal('hello'), voter: VoterId }),
	v.object({ t: v.literal('open'), spec: VoteSpec }),
	v.object({ t: v.literal('close'), id: Id }),
	v.object({ t: v.literal('cancel'), id: Id }),
	/** The voter's whole ballot for vote `id`; it replaces any earlier one. */
	v.object({ t: v.literal('ballot'), id: Id, ballot: Ballot }),
	/** Takes the voter's ballot back (while open). */
	v.object({ t: v.literal('withdraw'), id: Id })
]);
export type ClientVoteMessage = v.InferOutput<typeof ClientVoteMessage>;

/** Why the relay refused a vote message. */
export const VOTE_REFUSALS = [
	'invalid',
	'not-hello',
	'viewer',
	'not-facilitator',
	'already-open',
	'not-open',
	'wrong-kind',
	'over-limit',
	'unknown-item',
	'storage'
] as const;
export type VoteRefusal = (typeof VOTE_REFUSALS)[number];

/** Messages the relay sends. */
export const ServerVoteMessage = v.variant('t', [
	/** The answer to hello: the open vote (if any), past votes, and this person's own ballot. */
	v.object({
		t: v.literal('welcome'),
		open: v.nullable(OpenVote),
		past: v.array(ClosedVote),
		mine: v.nullable(Ballot),
		/** Whether this connection may open, close and cancel votes. */
		facilitator: v.boolean(),
		/** Whether this connection may vote (false for viewers). */
		voter: v.boolean()
	}),
	/** The open vote changed (opened, someone voted, someone joined or left), or none is open. */
	v.object({ t: v.literal('current'), open: v.nullable(OpenVote) }),
	/** Sent only to the voter's own connections: their ballot as the relay holds it. */
	v.object({ t: v.literal('mine'), id: Id, ballot: v.nullable(Ballot) }),
	/** A vote closed: its result, for everyone. */
	v.object({ t: v.literal('result'), vote: ClosedVote }),
	/** A vote was cancelled: no result. */
	v.object({ t: v.literal('cancelled'), id: Id }),
	/** Sent to whoever sent a message the relay refused. */
	v.object({ t: v.literal('error'), reason: v.picklist(VOTE_REFUSALS), message: v.string() })
]);
export type ServerVoteMessage = v.InferOutput<typeof ServerVoteMessage>;

/** A type 8 frame carrying `message`. */
export function encodeVoteFrame(
	message: ClientVoteMessage | ServerVoteMessage
): Uint8Array<ArrayBuffer> {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_VOTE);
	encoding.writeVarString(encoder, JSON.stringify(message));
	return encoding.toUint8Array(encoder);
}

/** Reads the JSON string that follows the message type. Throws on a malformed frame. */
export function readVotePayload(decoder: decoding.Decoder): string {
	return decoding.readVarString(decoder);
}

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string };

function parse<T>(schema: v.GenericSchema<unknown, T>, text: string): Parsed<T> {
	if (text.length > MAX_VOTE_MESSAGE_CHARS) {
		return { ok: false, error: `vote message over ${MAX_VOTE_MESSAGE_CHARS} characters` };
	}
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		return { ok: false, error: 'vote message is not JSON' };
	}
	const parsed = v.safeParse(schema, json);
	if (parsed.success) return { ok: true, message: parsed.output };
	const issue = parsed.issues[0];
	const path = issue.path?.map((p) => String(p.key)).join('.');
	return { ok: false, error: path ? `${path}: ${issue.message}` : issue.message };
}

export const parseClientVoteMessage = (text: string) => parse(ClientVoteMessage, text);
export const parseServerVoteMessage = (text: string) => parse(ServerVoteMessage, text);

/** The ballot's dots on one item, keyed for maps. */
export const dotKey = (item: DotItem): string => `${item.kind}:${item.id}`;

export function dotsUsed(ballot: DotBallot | null): number {
	return ballot ? ballot.dots.reduce((sum, d) => sum + d.count, 0) : 0;
}

/**
 * Why `ballot` is not a valid ballot for `spec`, or null when it is. Pure, so the relay refuses
 * exactly what the ballot UI would never send.
 */
export function checkBallot(
	spec: VoteSpec,
	ballot: Ballot
): { reason: VoteRefusal; message: string } | null {
	if (ballot.kind !== spec.kind) {
		return { reason: 'wrong-kind', message: `this is a ${spec.kind} vote` };
	}
	if (ballot.kind === 'confidence' || spec.kind === 'confidence') return null;
	const seen = new Set<string>();
	for (const dot of ballot.dots) {
		if (!spec.targets.includes(dot.kind)) {
			return { reason: 'invalid', message: `this vote is not on ${dot.kind}s` };
		}
		if (seen.has(dotKey(dot))) {
			return { reason: 'invalid', message: `${dot.kind} ${dot.id} is listed twice` };
		}
		seen.add(dotKey(dot));
	}
	const used = dotsUsed(ballot);
	if (used > spec.limit) {
		return {
			reason: 'over-limit',
			message: `${used} dots is over this vote's limit of ${spec.limit} per person`
		};
	}
	return null;
}

/** The ballot with `delta` (+1 or -1) dots on `item`; items left with none are dropped. */
export function withDot(ballot: DotBallot | null, item: DotItem, delta: 1 | -1): DotBallot {
	const dots = (ballot?.dots ?? []).map((d) => ({ ...d }));
	const found = dots.find((d) => dotKey(d) === dotKey(item));
	if (found) found.count += delta;
	else if (delta > 0) dots.push({ kind: item.kind, id: item.id, count: 1 });
	return { kind: 'dots', dots: dots.filter((d) => d.count > 0) };
}

/** Average (null with no ballots) and the count of each value, 1 to 5. */
export function tallyConfidence(values: readonly number[]): v.InferOutput<typeof ConfidenceResult> {
	const distribution = Array.from({ length: CONFIDENCE_MAX - CONFIDENCE_MIN + 1 }, () => 0);
	for (const value of values) distribution[value - CONFIDENCE_MIN]! += 1;
	const average = values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
	return { kind: 'confidence', average, distribution };
}

/** Dots and distinct voters per item, most dots first (ties: more voters, then by kind and id). */
export function tallyDots(ballots: readonly DotBallot[]): v.InferOutput<typeof DotsResult> {
	const byItem = new Map<string, { kind: DotTarget; id: string; dots: number; voters: number }>();
	for (const ballot of ballots) {
		for (const dot of ballot.dots) {
			const key = dotKey(dot);
			const entry = byItem.get(key) ?? { kind: dot.kind, id: dot.id, dots: 0, voters: 0 };
			entry.dots += dot.count;
			entry.voters += 1;
			byItem.set(key, entry);
		}
	}
	const tallies = [...byItem.values()].sort(
		(a, b) =>
			b.dots - a.dots ||
			b.voters - a.voters ||
			(dotKey(a) < dotKey(b) ? -1 : dotKey(a) > dotKey(b) ? 1 : 0)
	);
	return { kind: 'dots', tallies };
}

/** The result of a vote from its ballots. */
export function tally(spec: VoteSpec, ballots: readonly Ballot[]): VoteResult {
	if (spec.kind === 'confidence') {
		return tallyConfidence(ballots.flatMap((b) => (b.kind === 'confidence' ? [b.value] : [])));
	}
	return tallyDots(ballots.filter((b): b is DotBallot => b.kind === 'dots'));
}
