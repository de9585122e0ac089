/**
 * The board's votes as this screen sees them: the open vote (counts only), this person's own
 * ballot, past votes with their results, and what this link may do. Fed by the vote channel
 * (src/lib/sync/votes.ts); components read getters and call the methods, never the network.
 *
 * A ballot change shows at once and is sent as the whole ballot; the relay's `mine` answer is
 * the truth, and a refusal puts back the last ballot it confirmed.
 */
import {
	CONFIDENCE_MAX,
	dotKey,
	dotsUsed,
	withDot,
	type Ballot,
	type ClientVoteMessage,
	type ClosedVote,
	type DotItem,
	type DotTarget,
	type OpenVote,
	type ServerVoteMessage,
	type Subject
} from '$lib/protocol/votes.ts';
import type { VoteChannel } from '$lib/sync/votes.ts';

export interface VoteStateOptions {
	/** Absent: no relay to vote through (an offline test connection). */
	channel?: VoteChannel;
	/** Said to screen readers (the board's polite live region). */
	announce?: (message: string) => void;
}

export class VoteState {
	#channel: VoteChannel | undefined;
	#announce: (message: string) => void;
	#unsubscribe: () => void;
	#joined = $state.raw(false);
	#open = $state.raw<OpenVote | null>(null);
	#past = $state.raw<ClosedVote[]>([]);
	#mine = $state.raw<Ballot | null>(null);
	/** The ballot the relay last confirmed, put back when it refuses a change. */
	#confirmed: Ballot | null = null;
	#facilitator = $state.raw(false);
	#voter = $state.raw(false);
	#error = $state.raw<string | null>(null);
	/** The latest result, shown on every screen until dismissed. */
	#result = $state.raw<ClosedVote | null>(null);

	constructor(opts: VoteStateOptions = {}) {
		this.#channel = opts.channel;
		this.#announce = opts.announce ?? (() => {});
		this.#unsubscribe = opts.channel?.subscribe((message) => this.#receive(message)) ?? (() => {});
	}

	/** True once the relay answered this connection's hello. */
	get joined(): boolean {
		return this.#joined;
	}
	get open(): OpenVote | null {
		return this.#open;
	}
	/** Closed votes, oldest first. */
	get past(): ClosedVote[] {
		return this.#past;
	}
	get mine(): Ballot | null {
		return this.#mine;
	}
	/** May open, close and cancel votes. */
	get canFacilitate(): boolean {
		return this.#facilitator;
	}
	/** May vote (viewers may not). */
	get canVote(): boolean {
		return this.#voter;
	}
	get error(): string | null {
		return this.#error;
	}
	get result(): ClosedVote | null {
		return this.#result;
	}

	/** The open dot vote, if that is what is open. */
	get dotVote(): (OpenVote & { spec: { kind: 'dots' } }) | null {
		const open = this.#open;
		return open?.spec.kind === 'dots' ? (open as OpenVote & { spec: { kind: 'dots' } }) : null;
	}

	/** Dots this person has left in the open dot vote. */
	get dotsLeft(): number {
		const vote = this.dotVote;
		if (!vote) return 0;
		return vote.spec.limit - dotsUsed(this.#mine?.kind === 'dots' ? this.#mine : null);
	}

	/** Whether the open vote takes dots on `kind` from this person. */
	dotsOpenOn(kind: DotTarget): boolean {
		return this.#voter && !!this.dotVote?.spec.targets.includes(kind);
	}

	/** This person's dots on `item` in the open vote. */
	dotsOn(item: DotItem): number {
		const mine = this.#mine;
		if (mine?.kind !== 'dots') return 0;
		return mine.dots.find((d) => dotKey(d) === dotKey(item))?.count ?? 0;
	}

	openConfidence(opts: { subject: Subject; title?: string }): void {
		this.#send({
			t: 'open',
			spec: { kind: 'confidence', title: opts.title ?? '', subject: opts.subject }
		});
	}

	openDots(opts: { targets: DotTarget[]; limit: number; title?: string }): void {
		this.#send({
			t: 'open',
			spec: { kind: 'dots', title: opts.title ?? '', targets: opts.targets, limit: opts.limit }
		});
	}

	close(): void {
		if (this.#open) this.#send({ t: 'close', id: this.#open.id });
	}

	cancel(): void {
		if (this.#open) this.#send({ t: 'cancel', id: this.#open.id });
	}

	/** A confidence vote: 1 to 5. Voting again replaces it. */
	vote(value: number): void {
		const open = this.#open;
		if (open?.spec.kind !== 'confidence' || value < 1 || value > CONFIDENCE_MAX) return;
		this.#ballot(open.id, { kind: 'confidence', value });
	}

	addDot(item: DotItem): void {
		const vote = this.dotVote;
		if (!vote || this.dotsLeft <= 0) return;
		this.#ballot(vote.id, withDot(this.#mine?.kind === 'dots' ? this.#mine : null, item, 1));
	}

	removeDot(item: DotItem): void {
		const vote = this.dotVote;
		if (!vote || this.dotsOn(item) === 0 || this.#mine?.kind !== 'dots') return;
		this.#ballot(vote.id, withDot(this.#mine, item, -1));
	}

	/** Takes this person's ballot back while the vote is open. */
	withdraw(): void {
		if (!this.#open || !this.#mine) return;
		this.#mine = null;
		this.#send({ t: 'withdraw', id: this.#open.id });
	}

	dismissResult(): void {
		this.#result = null;
	}

	dismissError(): void {
		this.#error = null;
	}

	destroy(): void {
		this.#unsubscribe();
	}

	#ballot(id: string, ballot: Ballot): void {
		this.#mine = ballot;
		this.#send({ t: 'ballot', id, ballot });
	}

	#send(message: ClientVoteMessage): void {
		this.#error = null;
		if (this.#channel?.send(message)) return;
		this.#mine = this.#confirmed;
		this.#error = 'Not connected: try again when the board is live.';
	}

	#receive(message: ServerVoteMessage | null): void {
		if (message === null) {
			// The socket dropped: what we knew may be stale until the relay welcomes us again.
			this.#joined = false;
			return;
		}
		switch (message.t) {
			case 'welcome':
				this.#joined = true;
				this.#facilitator = message.facilitator;
				this.#voter = message.voter;
				this.#past = message.past;
				this.#setOpen(message.open);
				this.#mine = this.#confirmed = message.mine;
				return;
			case 'current':
				this.#setOpen(message.open);
				return;
			case 'mine':
				if (message.id !== this.#open?.id) return;
				this.#mine = this.#confirmed = message.ballot;
				return;
			case 'result':
				this.#past = [...this.#past.filter((p) => p.id !== message.vote.id), message.vote];
				this.#result = message.vote;
				this.#announce(resultSentence(message.vote));
				return;
			case 'cancelled':
				this.#announce('The vote was cancelled.');
				return;
			case 'error':
				this.#mine = this.#confirmed;
				this.#error = message.message;
				return;
		}
	}

	#setOpen(open: OpenVote | null): void {
		const before = this.#open;
		if (open?.id !== before?.id) {
			this.#mine = this.#confirmed = null;
			if (open) {
				this.#result = null;
				this.#announce(
					open.spec.kind === 'confidence'
						? 'A confidence vote is open: choose 1 to 5.'
						: `A dot vote is open: you have ${open.spec.limit} dots.`
				);
			}
		}
		this.#open = open;
	}
}

/** "Vote closed: average 3.8 from 4 people." */
export function resultSentence(vote: ClosedVote): string {
	const people = `${vote.voted} ${vote.voted === 1 ? 'person' : 'people'}`;
	if (vote.result.kind === 'confidence') {
		return vote.result.average === null
			? 'Vote closed: nobody voted.'
			: `Vote closed: average ${formatAverage(vote.result.average)} from ${people}.`;
	}
	const dots = vote.result.tallies.reduce((sum, t) => sum + t.dots, 0);
	return `Vote closed: ${dots} dots from ${people}.`;
}

/** One decimal: 3.75 → "3.8". */
export function formatAverage(average: number): string {
	return average.toFixed(1);
}
