/**
 * A room's votes: the relay's half of the vote channel (y-websocket message type 8; the contract
 * is src/lib/protocol/votes.ts). The relay is the only party that ever holds a ballot.
 *
 * - Only connections that said `hello` get vote frames (a stock client would not understand
 *   them). A voter is their link id plus the browser's own id from the hello: one person in two
 *   tabs is one voter; one link shared by a room of browsers gives each browser one vote.
 * - While a vote is open everyone is told only how many have voted, out of how many may (people
 *   connected through an owner, facilitator or editor link, plus voters who have left). A ballot
 *   is echoed (`mine`) only to its voter's own connections. When the facilitator closes the
 *   vote, the relay tallies it and sends the result to everyone; ballots are never sent.
 * - Refused, with an error frame to the sender and a metric, never closing its socket: votes
 *   from viewers, over the dot limit, on no open vote (after close), and open / close / cancel
 *   from anyone who may not facilitate.
 * - The open vote with its ballots, and every closed vote with its result, are stored with the
 *   board (storage VoteLog), never in its document; each change is stored before it is told.
 *
 * Messages are handled in arrival order, each after the previous one's write; ballots that arrive
 * together share one write and one count broadcast (#drain).
 */
import { customAlphabet } from 'nanoid';
import * as v from 'valibot';
import { canEdit, canFacilitate, type Role } from '../../src/lib/protocol/roles.ts';
import {
	Ballot,
	checkBallot,
	ClosedVote,
	encodeVoteFrame,
	parseClientVoteMessage,
	tally,
	VoteSpec,
	type ClientVoteMessage,
	type DotTarget,
	type OpenVote,
	type ServerVoteMessage,
	type VoteRefusal
} from '../../src/lib/protocol/votes.ts';
import type { Collection } from '../../src/lib/model/doc.ts';
import type { Logger } from '../log.ts';
import type { RelayMetrics } from '../metrics.ts';
import type { Peer } from './peer.ts';
import type { VoteLog } from '../storage/types.ts';

/** Ballots written together at most; more wait for the next write. */
const MAX_BATCH = 500;

const newVoteId = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 12);

/** Where each dot target lives in the board's document. */
const TARGET_COLLECTION: Record<DotTarget, Collection> = {
	card: 'cards',
	lane: 'lanes',
	objective: 'objectives',
	risk: 'risks'
};

/** How an open vote is stored: its ballots by voter, so a relay restart keeps them. */
const StoredOpenVote = v.object({
	spec: VoteSpec,
	openedAt: v.number(),
	ballots: v.array(v.tuple([v.string(), Ballot]))
});

export interface RoomVotesOptions {
	boardId: string;
	store: VoteLog;
	logger: Logger;
	metrics: RelayMetrics;
	/** Whether the board's document holds record `id` in `collection`. */
	has: (collection: Collection, id: string) => boolean;
	now?: () => number;
}

interface Member {
	/** Link id + browser id: who this connection votes as. */
	voter: string;
	role: Role;
}

interface Open {
	id: string;
	spec: VoteSpec;
	openedAt: number;
	ballots: Map<string, Ballot>;
}

/** Ballots checked and waiting for one write of the open vote. */
interface BallotBatch {
	ballots: Map<string, Ballot>;
	/** Whose ballot changed: each is told theirs once the write is done. */
	voters: Set<string>;
	senders: Peer[];
}

class Refusal extends Error {
	readonly reason: VoteRefusal;
	constructor(reason: VoteRefusal, message: string) {
		super(message);
		this.reason = reason;
	}
}

export class RoomVotes {
	readonly #opts: RoomVotesOptions;
	readonly #now: () => number;
	readonly #members = new Map<Peer, Member>();
	#open: Open | null = null;
	#past: ClosedVote[] = [];
	/** Every message waits for the one before it. */
	#queue: Promise<void> = Promise.resolve();
	/** Messages received and not yet handled: each drain takes all of them. */
	#inbox: { peer: Peer; text: string }[] = [];
	/**
	 * Whether the stored votes have been read: at the first vote message, so a room whose clients
	 * never speak votes (stock clients) costs no read. A failed read is tried again next message.
	 */
	#loaded = false;
	#closed = false;

	constructor(opts: RoomVotesOptions) {
		this.#opts = opts;
		this.#now = opts.now ?? Date.now;
	}

	/** Handles one vote message (the JSON of a type 8 frame) from `peer`. */
	receive(peer: Peer, text: string): void {
		this.#inbox.push({ peer, text });
		if (this.#inbox.length === 1) this.#enqueue(() => this.#drain());
	}

	/**
	 * Handles every message received so far, in order. Ballots in a row are written together, as
	 * one write of the open vote (group commit): before writing, the drain yields one event-loop
	 * turn so ballots sent at the same moment (a room voting at once) join the same write, even
	 * with a store that writes synchronously (SQLite). Any other message first writes the ballots
	 * before it.
	 */
	async #drain(): Promise<void> {
		let batch: BallotBatch | null = null;
		while (this.#inbox.length > 0) {
			for (const { peer, text } of this.#inbox.splice(0)) {
				if (this.#closed) return;
				try {
					const parsed = parseClientVoteMessage(text);
					if (!parsed.ok) throw new Refusal('invalid', parsed.error);
					const message = parsed.message;
					await this.#load();
					if (message.t === 'ballot' || message.t === 'withdraw') {
						const ballot = message.t === 'ballot' ? message.ballot : null;
						batch = this.#stageBallot(batch, peer, message.id, ballot);
					} else {
						await this.#commitBallots(batch);
						batch = null;
						await this.#handle(peer, message);
					}
				} catch (err) {
					// A bug fails its own message, not the others of this drain.
					if (err instanceof Refusal) this.#refuse(peer, err);
					else this.#failed(err);
				}
			}
			if (!batch || batch.senders.length >= MAX_BATCH) break;
			await new Promise((resolve) => setImmediate(resolve));
		}
		await this.#commitBallots(batch);
	}

	#refuse(peer: Peer, err: Refusal): void {
		this.#opts.metrics.votesRefused.inc({ reason: err.reason });
		this.#opts.logger.debug({ conn: peer.id, reason: err.reason }, 'vote message refused');
		peer.send(encodeVoteFrame({ t: 'error', reason: err.reason, message: err.message }));
	}

	leave(peer: Peer): void {
		this.#enqueue(async () => {
			if (this.#members.delete(peer) && this.#open) this.#broadcastCurrent();
		});
	}

	close(): void {
		this.#closed = true;
		this.#members.clear();
	}

	#enqueue(task: () => Promise<void>): void {
		this.#queue = this.#queue.then(task).catch((err: unknown) => this.#failed(err));
	}

	#failed(err: unknown): void {
		this.#opts.logger.error({ err }, 'a vote message failed');
		this.#opts.metrics.errors.inc({ kind: 'internal' });
	}

	async #load(): Promise<void> {
		if (this.#loaded) return;
		let rows;
		try {
			rows = await this.#opts.store.votes(this.#opts.boardId);
		} catch (err) {
			this.#opts.logger.error({ err }, 'could not read the board’s votes');
			this.#opts.metrics.errors.inc({ kind: 'storage' });
			throw new Refusal('storage', 'the board’s votes could not be read; try again');
		}
		this.#loaded = true;
		for (const row of rows) {
			let data: unknown;
			try {
				data = JSON.parse(row.data);
			} catch {
				data = null;
			}
			if (row.state === 'closed') {
				const vote = v.safeParse(ClosedVote, data);
				if (vote.success) this.#past.push(vote.output);
				else this.#opts.logger.warn({ vote: row.id }, 'a stored vote does not read; skipped');
			} else {
				const open = v.safeParse(StoredOpenVote, data);
				if (open.success) {
					const { spec, openedAt, ballots } = open.output;
					this.#open = { id: row.id, spec, openedAt, ballots: new Map(ballots) };
				} else this.#opts.logger.warn({ vote: row.id }, 'a stored open vote does not read');
			}
		}
	}

	async #handle(peer: Peer, message: ClientVoteMessage): Promise<void> {
		if (message.t === 'hello') return this.#hello(peer, message.voter);
		const member = this.#members.get(peer);
		if (!member) throw new Refusal('not-hello', 'say hello on the vote channel first');
		switch (message.t) {
			case 'open':
				return this.#openVote(member, message.spec);
			case 'close':
				return this.#closeVote(member, message.id);
			case 'cancel':
				return this.#cancelVote(member, message.id);
			case 'ballot':
			case 'withdraw':
				// Staged and committed together by #drain.
				return;
		}
	}

	#hello(peer: Peer, browser: string): void {
		const role: Role = peer.grant?.role ?? (peer.readOnly ? 'viewer' : 'editor');
		const member = { voter: `${peer.grant?.linkId ?? peer.id}:${browser}`, role };
		this.#members.set(peer, member);
		peer.send(
			encodeVoteFrame({
				t: 'welcome',
				open: this.#view(),
				past: this.#past,
				mine: this.#open?.ballots.get(member.voter) ?? null,
				facilitator: canFacilitate(role),
				voter: canEdit(role)
			})
		);
		if (this.#open) this.#broadcastCurrent();
	}

	async #openVote(member: Member, spec: VoteSpec): Promise<void> {
		this.#mustFacilitate(member, 'open a vote');
		if (this.#open) {
			throw new Refusal('already-open', 'a vote is already open: close or cancel it first');
		}
		if (spec.kind === 'confidence' && spec.subject.type === 'program') {
			if (!this.#opts.has('programs', spec.subject.id)) {
				throw new Refusal('unknown-item', 'that program is not on the board');
			}
		}
		const open: Open = { id: newVoteId(), spec, openedAt: this.#now(), ballots: new Map() };
		await this.#storeOpen(open);
		this.#open = open;
		this.#broadcastCurrent();
	}

	/** Checks a ballot and adds it to `batch` (a new one if null); throws a Refusal, staging nothing. */
	#stageBallot(
		batch: BallotBatch | null,
		peer: Peer,
		id: string,
		ballot: Ballot | null
	): BallotBatch {
		const member = this.#members.get(peer);
		if (!member) throw new Refusal('not-hello', 'say hello on the vote channel first');
		if (!canEdit(member.role)) throw new Refusal('viewer', 'a view-only link cannot vote');
		const open = this.#mustBeOpen(id);
		if (ballot) {
			const wrong = checkBallot(open.spec, ballot);
			if (wrong) throw new Refusal(wrong.reason, wrong.message);
			if (ballot.kind === 'dots') {
				for (const dot of ballot.dots) {
					if (!this.#opts.has(TARGET_COLLECTION[dot.kind], dot.id)) {
						throw new Refusal('unknown-item', `${dot.kind} ${dot.id} is not on the board`);
					}
				}
			}
		}
		const staged = batch ?? { ballots: new Map(open.ballots), voters: new Set(), senders: [] };
		// A second ballot from the same person replaces the first.
		if (ballot && !(ballot.kind === 'dots' && ballot.dots.length === 0)) {
			staged.ballots.set(member.voter, ballot);
		} else staged.ballots.delete(member.voter);
		staged.voters.add(member.voter);
		staged.senders.push(peer);
		return staged;
	}

	/**
	 * Writes the staged ballots of the open vote, then tells each voter their own ballot and
	 * everyone the count. A failed write refuses every ballot in it, and none counts.
	 */
	async #commitBallots(batch: BallotBatch | null): Promise<void> {
		const open = this.#open;
		if (!batch || !open) return;
		try {
			await this.#storeOpen({ ...open, ballots: batch.ballots });
		} catch (err) {
			if (!(err instanceof Refusal)) throw err;
			for (const peer of batch.senders) this.#refuse(peer, err);
			return;
		}
		open.ballots = batch.ballots;
		for (const voter of batch.voters) {
			const mine = encodeVoteFrame({
				t: 'mine',
				id: open.id,
				ballot: open.ballots.get(voter) ?? null
			});
			for (const [peer, m] of this.#members) if (m.voter === voter) peer.send(mine);
		}
		this.#broadcastCurrent();
	}

	async #closeVote(member: Member, id: string): Promise<void> {
		this.#mustFacilitate(member, 'close a vote');
		const open = this.#mustBeOpen(id);
		const counts = this.#counts();
		const vote: ClosedVote = {
			id: open.id,
			spec: open.spec,
			openedAt: open.openedAt,
			closedAt: this.#now(),
			voted: counts.voted,
			eligible: counts.eligible,
			result: tally(open.spec, [...open.ballots.values()])
		};
		await this.#store(vote.id, 'closed', vote.openedAt, vote);
		this.#open = null;
		this.#past.push(vote);
		this.#broadcast({ t: 'result', vote });
		this.#broadcast({ t: 'current', open: null });
	}

	async #cancelVote(member: Member, id: string): Promise<void> {
		this.#mustFacilitate(member, 'cancel a vote');
		this.#mustBeOpen(id);
		await this.#persist(() => this.#opts.store.deleteVote(this.#opts.boardId, id));
		this.#open = null;
		this.#broadcast({ t: 'cancelled', id });
		this.#broadcast({ t: 'current', open: null });
	}

	#mustFacilitate(member: Member, what: string): void {
		if (!canFacilitate(member.role)) {
			throw new Refusal('not-facilitator', `only a facilitator can ${what}`);
		}
	}

	#mustBeOpen(id: string): Open {
		const open = this.#open;
		if (!open || open.id !== id) throw new Refusal('not-open', 'this vote is not open');
		return open;
	}

	#storeOpen(open: Open): Promise<void> {
		const data = { spec: open.spec, openedAt: open.openedAt, ballots: [...open.ballots] };
		return this.#store(open.id, 'open', open.openedAt, data);
	}

	#store(id: string, state: 'open' | 'closed', openedAt: number, data: unknown): Promise<void> {
		const boardId = this.#opts.boardId;
		return this.#persist(() =>
			this.#opts.store.putVote({ boardId, id, state, openedAt, data: JSON.stringify(data) })
		);
	}

	/** A failed write refuses the message: nothing changes, and the sender is told. */
	async #persist(write: () => Promise<void>): Promise<void> {
		try {
			await write();
		} catch (err) {
			this.#opts.logger.error({ err }, 'could not store a vote');
			this.#opts.metrics.errors.inc({ kind: 'storage' });
			throw new Refusal('storage', 'the vote could not be saved; try again');
		}
	}

	#counts(): { voted: number; eligible: number } {
		const ballots = this.#open?.ballots ?? new Map<string, Ballot>();
		const eligible = new Set(ballots.keys());
		for (const m of this.#members.values()) if (canEdit(m.role)) eligible.add(m.voter);
		return { voted: ballots.size, eligible: eligible.size };
	}

	#view(): OpenVote | null {
		const open = this.#open;
		if (!open) return null;
		return { id: open.id, spec: open.spec, openedAt: open.openedAt, ...this.#counts() };
	}

	#broadcastCurrent(): void {
		this.#broadcast({ t: 'current', open: this.#view() });
	}

	#broadcast(message: ServerVoteMessage): void {
		if (this.#closed) return;
		const frame = encodeVoteFrame(message);
		for (const peer of this.#members.keys()) peer.send(frame);
	}
}
