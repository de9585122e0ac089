/**
 * Votes as the relay enforces them, over real sockets with hand-crafted clients (raw ws, sending
 * type 8 frames directly): who may open, close and vote, the dot limit, votes after close, and
 * secrecy — every frame every client receives during a vote is kept and checked, so no socket
 * ever carries another person's ballot, and the stored board document is unchanged by voting.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import {
	encodeVoteFrame,
	MESSAGE_VOTE,
	parseServerVoteMessage,
	type Ballot,
	type ClientVoteMessage,
	type ServerVoteMessage
} from '../../src/lib/protocol/votes.ts';
import { collect, connectClient, openRawSocket } from '../helpers/clients.ts';
import { createMemoryStore } from '../../server/storage/memory.ts';
import type { StoredVote } from '../../server/storage/types.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function relay(opts: Parameters<typeof startRelay>[0] = {}): Promise<TestRelay> {
	const r = await startRelay(opts);
	cleanups.push(() => r.close());
	return r;
}

/** A frame's y-websocket message type and, for type 8, its vote message. */
function readFrame(frame: Buffer): { type: number; vote?: ServerVoteMessage; raw?: unknown } {
	const decoder = decoding.createDecoder(new Uint8Array(frame));
	const type = decoding.readVarUint(decoder);
	if (type !== MESSAGE_VOTE) return { type };
	const text = decoding.readVarString(decoder);
	const parsed = parseServerVoteMessage(text);
	if (!parsed.ok) throw new Error(`the relay sent a bad vote frame: ${parsed.error}`);
	// The raw JSON too: validation would strip a field the relay should not have sent.
	return { type, vote: parsed.message, raw: JSON.parse(text) };
}

interface Voter {
	name: string;
	ws: WebSocket;
	/** Every frame this socket received, of every type. */
	frames: Buffer[];
	/** The ballots this voter sent, in order: the only ballots it may ever be shown. */
	sent: Ballot[];
	send(message: ClientVoteMessage): void;
	votes(): ServerVoteMessage[];
	/** Waits for a vote message matching `match` that arrived after `after` messages. */
	next<T extends ServerVoteMessage['t']>(
		t: T,
		match?: (m: Extract<ServerVoteMessage, { t: T }>) => boolean,
		after?: number
	): Promise<Extract<ServerVoteMessage, { t: T }>>;
}

async function voter(
	r: TestRelay,
	boardId: string,
	name: string,
	opts: { token?: string; browser?: string; hello?: boolean } = {}
): Promise<Voter> {
	const ws = await openRawSocket(r.syncUrl, boardId, { token: opts.token });
	cleanups.push(() => ws.terminate());
	const frames = collect(ws);
	const sent: Ballot[] = [];
	const votes = () => frames.flatMap((f) => readFrame(f).vote ?? []);
	const v: Voter = {
		name,
		ws,
		frames,
		sent,
		send(message) {
			if (message.t === 'ballot') sent.push(message.ballot);
			ws.send(encodeVoteFrame(message));
		},
		votes,
		async next(t, match = () => true, after = 0) {
			type M = Extract<ServerVoteMessage, { t: typeof t }>;
			let found: M | undefined;
			await expect
				.poll(() => {
					found = votes()
						.slice(after)
						.find((m): m is M => m.t === t && match(m as M));
					return found;
				})
				.toBeDefined();
			return found!;
		}
	};
	if (opts.hello !== false) {
		v.send({ t: 'hello', voter: opts.browser ?? `browser-${name}` });
		await v.next('welcome');
	}
	return v;
}

/**
 * The secrecy check over everything `v` received: only sync (0), awareness (1) and vote (8)
 * frames; a ballot appears only in `mine` / `welcome` and is always one this voter sent itself;
 * an open vote is shown only as counts; no result before `closedAfter` messages.
 */
function assertSecret(v: Voter): void {
	for (const frame of v.frames) {
		const { type, vote, raw } = readFrame(frame);
		expect([0, 1, MESSAGE_VOTE]).toContain(type);
		if (type !== MESSAGE_VOTE) {
			expect(frame.toString('latin1')).not.toMatch(/ballot|"value"/);
			continue;
		}
		const message = raw as Record<string, unknown>;
		switch (vote!.t) {
			case 'mine':
				expect(Object.keys(message).sort()).toEqual(['ballot', 'id', 't']);
				if (vote!.ballot) expect(v.sent).toContainEqual(message.ballot);
				break;
			case 'welcome': {
				if (message.mine) expect(v.sent).toContainEqual(message.mine);
				const { mine: _mine, ...rest } = message;
				expect(JSON.stringify(rest)).not.toMatch(/ballot|"value"/);
				if (message.open) expect(Object.keys(message.open).sort()).toEqual(OPEN_VOTE_KEYS);
				break;
			}
			case 'current':
				if (message.open) expect(Object.keys(message.open).sort()).toEqual(OPEN_VOTE_KEYS);
				expect(JSON.stringify(message)).not.toMatch(/ballot|"value"/);
				break;
			default:
				expect(JSON.stringify(message)).not.toMatch(/ballot|"value"|mine/);
		}
	}
}
const OPEN_VOTE_KEYS = ['eligible', 'id', 'openedAt', 'spec', 'voted'];

async function board(r: TestRelay) {
	const boardId = await r.createBoard('sample');
	const editor = () => r.share(boardId, { role: 'editor' }).then((s) => s.token);
	return {
		boardId,
		tokens: {
			// The three editors share one link: each browser still votes once.
			editor: await editor(),
			viewer: (await r.share(boardId, { role: 'viewer' })).token
		}
	};
}

describe('votes over the relay', () => {
	it('a confidence vote: refusals, a revote that replaces, counts only until closed, then the result; nothing secret leaks and the board is unchanged', async () => {
		const r = await relay();
		const { boardId, tokens } = await board(r);
		const owner = await voter(r, boardId, 'owner');
		const ana = await voter(r, boardId, 'ana', { token: tokens.editor });
		const bo = await voter(r, boardId, 'bo', { token: tokens.editor });
		const cy = await voter(r, boardId, 'cy', { token: tokens.editor });
		const viewer = await voter(r, boardId, 'viewer', { token: tokens.viewer });
		const everyone = [owner, ana, bo, cy, viewer];
		const storedBefore = await r.stored(boardId);

		// Only a facilitator opens.
		ana.send({ t: 'open', spec: { kind: 'confidence', title: '', subject: { type: 'plan' } } });
		expect((await ana.next('error')).reason).toBe('not-facilitator');
		owner.send({
			t: 'open',
			spec: { kind: 'confidence', title: 'Q3 plan', subject: { type: 'plan' } }
		});
		const opened = await cy.next('current', (m) => m.open !== null);
		const id = opened.open!.id;
		// Four may vote (the viewer may not): "0 of 4".
		expect(opened.open).toMatchObject({ voted: 0, eligible: 4 });

		owner.send({ t: 'ballot', id, ballot: { kind: 'confidence', value: 4 } });
		ana.send({ t: 'ballot', id, ballot: { kind: 'confidence', value: 2 } });
		bo.send({ t: 'ballot', id, ballot: { kind: 'confidence', value: 5 } });
		await cy.next('current', (m) => m.open?.voted === 3);
		expect((await ana.next('mine')).ballot).toEqual({ kind: 'confidence', value: 2 });

		// Refused: a viewer's vote, a second open, an editor closing, a ballot of the wrong kind.
		viewer.send({ t: 'ballot', id, ballot: { kind: 'confidence', value: 1 } });
		expect((await viewer.next('error')).reason).toBe('viewer');
		owner.send({ t: 'open', spec: { kind: 'confidence', title: '', subject: { type: 'plan' } } });
		expect((await owner.next('error')).reason).toBe('already-open');
		bo.send({ t: 'close', id });
		expect((await bo.next('error')).reason).toBe('not-facilitator');
		const seen = bo.votes().length;
		bo.send({ t: 'cancel', id });
		expect((await bo.next('error', undefined, seen)).reason).toBe('not-facilitator');
		cy.send({ t: 'ballot', id, ballot: { kind: 'dots', dots: [] } });
		expect((await cy.next('error')).reason).toBe('wrong-kind');

		// Ana votes again: it replaces her first vote; still 3 of 4.
		const before = ana.votes().length;
		ana.send({ t: 'ballot', id, ballot: { kind: 'confidence', value: 3 } });
		expect((await ana.next('mine', undefined, before)).ballot).toEqual({
			kind: 'confidence',
			value: 3
		});
		expect((await owner.next('current', undefined, owner.votes().length - 1)).open).toMatchObject({
			voted: 3,
			eligible: 4
		});
		// Nobody has a result while it is open.
		for (const v of everyone) expect(v.votes().some((m) => m.t === 'result')).toBe(false);

		owner.send({ t: 'close', id });
		for (const v of everyone) {
			const { vote } = await v.next('result');
			expect(vote).toMatchObject({ id, voted: 3, eligible: 4 });
			expect(vote.result).toEqual({
				kind: 'confidence',
				average: 4,
				distribution: [0, 0, 1, 1, 1]
			});
		}
		// After close: refused.
		cy.send({ t: 'ballot', id, ballot: { kind: 'confidence', value: 1 } });
		expect((await cy.next('error', (m) => m.reason === 'not-open')).message).toMatch(/not open/);

		expect(await r.metric('railyard_votes_refused_total', { reason: 'viewer' })).toBe(1);
		expect(await r.metric('railyard_votes_refused_total', { reason: 'not-open' })).toBe(1);
		expect(
			await r.metric('railyard_votes_refused_total', { reason: 'not-facilitator' })
		).toBeGreaterThanOrEqual(3);

		for (const v of everyone) assertSecret(v);
		// The board's document is untouched by voting; the result is stored beside it.
		await r.relay.rooms.get(boardId)!.flush();
		expect(Buffer.compare(await r.stored(boardId), storedBefore)).toBe(0);
		const stored = await r.store.votes(boardId);
		expect(stored.map((s) => s.state)).toEqual(['closed']);
		expect(stored[0]!.data).not.toMatch(/ballot/);

		// A later joiner sees the past vote with its result, and no ballot of anyone.
		const late = await voter(r, boardId, 'late', { token: tokens.editor });
		const welcome = await late.next('welcome');
		expect(welcome.past.map((p) => p.id)).toEqual([id]);
		expect(welcome.mine).toBeNull();
	});

	it('a stock client that never says hello gets no vote frame', async () => {
		const r = await relay();
		const { boardId } = await board(r);
		const silent = await voter(r, boardId, 'silent', { hello: false });
		const owner = await voter(r, boardId, 'owner');
		owner.send({ t: 'open', spec: { kind: 'confidence', title: '', subject: { type: 'plan' } } });
		const { open } = await owner.next('current', (m) => m.open !== null);
		owner.send({ t: 'ballot', id: open!.id, ballot: { kind: 'confidence', value: 5 } });
		owner.send({ t: 'close', id: open!.id });
		await owner.next('result');
		// Its sync and awareness arrived, nothing else.
		await expect.poll(() => silent.frames.length).toBeGreaterThan(0);
		expect(silent.frames.map((f) => readFrame(f).type)).not.toContain(MESSAGE_VOTE);
	});

	it('dot voting: the limit per person, several dots on one item, taking one back, unknown items; tallies per item', async () => {
		const r = await relay();
		const { boardId, tokens } = await board(r);
		const owner = await voter(r, boardId, 'owner');
		const ana = await voter(r, boardId, 'ana', { token: tokens.editor });
		const bo = await voter(r, boardId, 'bo', { token: tokens.editor });
		const reader = connectClient(r.syncUrl, boardId);
		cleanups.push(() => reader.destroy());
		await reader.synced;
		const cards = [...reader.doc.getMap('cards').keys()].sort();
		const [c1, c2] = cards as [string, string];

		owner.send({
			t: 'open',
			spec: { kind: 'dots', title: 'What matters most', targets: ['card'], limit: 3 }
		});
		const id = (await ana.next('current', (m) => m.open !== null)).open!.id;
		const dot = (cardId: string, count: number) => ({ kind: 'card' as const, id: cardId, count });

		ana.send({ t: 'ballot', id, ballot: { kind: 'dots', dots: [dot(c1, 3), dot(c2, 1)] } });
		const over = await ana.next('error');
		expect(over.reason).toBe('over-limit');
		expect(over.message).toMatch(/4 dots .* limit of 3/);
		ana.send({ t: 'ballot', id, ballot: { kind: 'dots', dots: [dot('no-such-card', 1)] } });
		expect((await ana.next('error', (m) => m.reason === 'unknown-item')).message).toMatch(
			/no-such-card/
		);
		ana.send({
			t: 'ballot',
			id,
			ballot: { kind: 'dots', dots: [{ kind: 'lane', id: c1, count: 1 }] }
		});
		expect((await ana.next('error', (m) => m.reason === 'invalid')).message).toMatch(/lanes/);

		// A ballot for a vote that is not the open one.
		ana.send({ t: 'ballot', id: 'not-this-one', ballot: { kind: 'dots', dots: [dot(c1, 1)] } });
		expect((await ana.next('error', (m) => m.reason === 'not-open')).message).toMatch(/not open/);

		ana.send({ t: 'ballot', id, ballot: { kind: 'dots', dots: [dot(c1, 2), dot(c2, 1)] } });
		await ana.next('mine', (m) => m.ballot !== null);
		// Taking a dot back.
		ana.send({ t: 'ballot', id, ballot: { kind: 'dots', dots: [dot(c1, 2)] } });
		await ana.next('mine', (m) => m.ballot?.kind === 'dots' && m.ballot.dots.length === 1);
		bo.send({ t: 'ballot', id, ballot: { kind: 'dots', dots: [dot(c2, 3)] } });
		owner.send({ t: 'ballot', id, ballot: { kind: 'dots', dots: [dot(c1, 1)] } });
		await owner.next('current', (m) => m.open?.voted === 3);
		// The owner withdraws entirely: 2 of 3.
		owner.send({ t: 'withdraw', id });
		await bo.next('current', (m) => m.open?.voted === 2);

		owner.send({ t: 'close', id });
		const { vote } = await bo.next('result');
		expect(vote.result).toEqual({
			kind: 'dots',
			tallies: [
				{ kind: 'card', id: c2, dots: 3, voters: 1 },
				{ kind: 'card', id: c1, dots: 2, voters: 1 }
			]
		});
		for (const v of [owner, ana, bo]) assertSecret(v);
	});

	it('one browser in two tabs is one voter; one link in two browsers is two', async () => {
		const r = await relay();
		const { boardId, tokens } = await board(r);
		const owner = await voter(r, boardId, 'owner');
		const tab1 = await voter(r, boardId, 'tab1', { token: tokens.editor, browser: 'browser-x1' });
		const tab2 = await voter(r, boardId, 'tab2', { token: tokens.editor, browser: 'browser-x1' });
		const other = await voter(r, boardId, 'other', { token: tokens.editor, browser: 'browser-y1' });
		owner.send({ t: 'open', spec: { kind: 'confidence', title: '', subject: { type: 'plan' } } });
		const { open } = await other.next('current', (m) => m.open !== null);
		expect(open!.eligible).toBe(3);
		tab1.send({ t: 'ballot', id: open!.id, ballot: { kind: 'confidence', value: 2 } });
		// The other tab of the same browser is told its own ballot; the other browser is not.
		expect((await tab2.next('mine')).ballot).toEqual({ kind: 'confidence', value: 2 });
		tab2.sent.push({ kind: 'confidence', value: 2 });
		tab2.send({ t: 'ballot', id: open!.id, ballot: { kind: 'confidence', value: 4 } });
		await other.next('current', (m) => m.open?.voted === 1 && m.open.eligible === 3);
		await tab1.next('mine', (m) => m.ballot?.kind === 'confidence' && m.ballot.value === 4);
		tab1.sent.push({ kind: 'confidence', value: 4 });
		expect(other.votes().some((m) => m.t === 'mine')).toBe(false);
		for (const v of [owner, tab1, tab2, other]) assertSecret(v);
	});

	it('an open vote and its ballots outlive a relay restart; a cancelled vote leaves nothing; votes go with the board', async () => {
		const first = await startRelay({ keepStore: true });
		const { boardId, tokens } = await board(first);
		const owner = await voter(first, boardId, 'owner');
		const ana = await voter(first, boardId, 'ana', { token: tokens.editor });
		owner.send({ t: 'open', spec: { kind: 'confidence', title: '', subject: { type: 'plan' } } });
		const id = (await ana.next('current', (m) => m.open !== null)).open!.id;
		ana.send({ t: 'ballot', id, ballot: { kind: 'confidence', value: 5 } });
		await ana.next('mine');
		await first.close();

		const second = await relay({ store: first.store });
		const owner2 = await voter(second, boardId, 'owner');
		const ana2 = await voter(second, boardId, 'ana', { token: tokens.editor });
		const welcome = await ana2.next('welcome');
		expect(welcome.open).toMatchObject({ id, voted: 1 });
		expect(welcome.mine).toEqual({ kind: 'confidence', value: 5 });
		ana2.sent.push({ kind: 'confidence', value: 5 });
		owner2.send({ t: 'close', id });
		expect((await ana2.next('result')).vote.result).toMatchObject({ average: 5 });

		const seen = ana2.votes().length;
		owner2.send({ t: 'open', spec: { kind: 'confidence', title: '', subject: { type: 'plan' } } });
		const id2 = (await ana2.next('current', (m) => m.open !== null, seen)).open!.id;
		expect(id2).not.toBe(id);
		owner2.send({ t: 'cancel', id: id2 });
		await ana2.next('cancelled');
		expect((await second.store.votes(boardId)).map((v) => v.id)).toEqual([id]);

		const res = await second.api(`/api/boards/${boardId}`, {
			method: 'DELETE',
			token: second.ownerToken(boardId)
		});
		expect(res.status).toBeLessThan(300);
		expect(await second.store.votes(boardId)).toEqual([]);
	});

	it('a facilitator link runs votes like the owner; an editor link cannot', async () => {
		const r = await relay();
		const { boardId, tokens } = await board(r);
		// Minted through the access API: the in-memory store takes any role the tokens know.
		const { token } = await r.relay.access.mint({ boardId, role: 'facilitator' });
		const facilitator = await voter(r, boardId, 'fac', { token });
		const ana = await voter(r, boardId, 'ana', { token: tokens.editor });
		expect((await facilitator.next('welcome')).facilitator).toBe(true);
		expect((await ana.next('welcome')).facilitator).toBe(false);
		facilitator.send({
			t: 'open',
			spec: { kind: 'confidence', title: '', subject: { type: 'plan' } }
		});
		const id = (await ana.next('current', (m) => m.open !== null)).open!.id;
		ana.send({ t: 'ballot', id, ballot: { kind: 'confidence', value: 3 } });
		facilitator.send({ t: 'close', id });
		expect((await ana.next('result')).vote.result).toMatchObject({ average: 3 });
	});

	it('a store that fails refuses the message and changes nothing; the next message tries again', async () => {
		const store = createMemoryStore();
		const failing = { votes: 1, putVote: 1 };
		const flaky = {
			...store,
			votes: (boardId: string) =>
				failing.votes-- > 0 ? Promise.reject(new Error('disk on fire')) : store.votes(boardId),
			putVote: (vote: StoredVote) =>
				failing.putVote-- > 0 ? Promise.reject(new Error('disk on fire')) : store.putVote(vote)
		};
		const r = await relay({ store: flaky });
		const { boardId } = await board(r);
		const owner = await voter(r, boardId, 'owner', { hello: false });
		owner.send({ t: 'hello', voter: 'browser-owner' });
		expect((await owner.next('error')).reason).toBe('storage');
		owner.send({ t: 'hello', voter: 'browser-owner' });
		await owner.next('welcome');
		const spec = { kind: 'confidence' as const, title: '', subject: { type: 'plan' as const } };
		const seen = owner.votes().length;
		owner.send({ t: 'open', spec });
		expect((await owner.next('error', undefined, seen)).message).toMatch(/could not be saved/);
		expect(owner.votes().some((m) => m.t === 'current')).toBe(false);
		owner.send({ t: 'open', spec });
		await owner.next('current', (m) => m.open !== null);
		expect(await r.metric('railyard_errors_total', { kind: 'storage' })).toBe(2);
	});

	it('ballots arriving together are written together; a failed write refuses each of them and counts none', async () => {
		const store = createMemoryStore();
		let writes = 0;
		let fail = false;
		const slow = {
			...store,
			// A store that takes a while, like a disk sync: ballots pile up behind the first write.
			putVote: async (vote: StoredVote) => {
				writes++;
				await new Promise((resolve) => setTimeout(resolve, 100));
				if (fail) throw new Error('disk on fire');
				return store.putVote(vote);
			}
		};
		const r = await relay({ store: slow });
		const { boardId, tokens } = await board(r);
		const owner = await voter(r, boardId, 'owner');
		const people = await Promise.all(
			Array.from({ length: 10 }, (_, i) => voter(r, boardId, `p${i}`, { token: tokens.editor }))
		);
		owner.send({ t: 'open', spec: { kind: 'confidence', title: '', subject: { type: 'plan' } } });
		const { open } = await owner.next('current', (m) => m.open?.eligible === 11);
		const id = open!.id;
		writes = 0;
		people.forEach((p, i) =>
			p.send({ t: 'ballot', id, ballot: { kind: 'confidence', value: (i % 5) + 1 } })
		);
		await owner.next('current', (m) => m.open?.voted === 10);
		expect(writes).toBeLessThan(10);
		for (const [i, p] of people.entries()) {
			expect((await p.next('mine')).ballot).toEqual({ kind: 'confidence', value: (i % 5) + 1 });
		}

		fail = true;
		const seen = people.map((p) => p.votes().length);
		people.slice(0, 3).forEach((p) => p.send({ t: 'withdraw', id }));
		for (const [i, p] of people.slice(0, 3).entries()) {
			expect((await p.next('error', undefined, seen[i])).reason).toBe('storage');
		}
		fail = false;
		owner.send({ t: 'close', id });
		const { vote } = await owner.next('result');
		expect(vote.voted).toBe(10);
		expect(vote.result).toMatchObject({ average: 3, distribution: [2, 2, 2, 2, 2] });
		for (const p of people) assertSecret(p);
	});

	it('a malformed vote message is refused with an error, and the socket stays open', async () => {
		const r = await relay();
		const { boardId } = await board(r);
		const owner = await voter(r, boardId, 'owner');
		owner.ws.send(encodeVoteFrame({ t: 'open', spec: { kind: 'dots' } } as never));
		expect((await owner.next('error')).reason).toBe('invalid');
		owner.send({
			t: 'open',
			spec: { kind: 'confidence', title: '', subject: { type: 'program', id: 'nope' } }
		});
		expect((await owner.next('error', (m) => m.reason === 'unknown-item')).message).toMatch(
			/program/
		);
		expect(owner.ws.readyState).toBe(owner.ws.OPEN);
		// A program that is on the board is a subject.
		const reader = connectClient(r.syncUrl, boardId);
		cleanups.push(() => reader.destroy());
		await reader.synced;
		const programId = [...reader.doc.getMap('programs').keys()][0]!;
		const subject = { type: 'program' as const, id: programId };
		owner.send({ t: 'open', spec: { kind: 'confidence', title: '', subject } });
		const { open } = await owner.next('current', (m) => m.open !== null);
		expect(open!.spec).toEqual({ kind: 'confidence', title: '', subject });
	});
});
