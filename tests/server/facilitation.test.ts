/**
 * Facilitation, enforced by the relay, with hand-crafted clients over real sockets: the timer
 * only a facilitator can run, and locks that take back a participant's change so that every
 * client and the stored board end identical and unchanged. Participants here are stock
 * y-websocket clients, with or without the app's facilitation channel attached; their edits go
 * through the model's operations (what the app does) or straight into the Y.Doc (what a
 * hand-crafted client can do), and the relay must hold either way.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openSqliteStore } from '../../server/storage/sqlite.ts';
import * as Y from 'yjs';
import { COLLECTIONS } from '../../src/lib/model/doc.ts';
import {
	deleteProgram,
	moveLane,
	readBoard,
	updateCard,
	updateLane,
	updateProgram
} from '../../src/lib/model/index.ts';
import { locksMap, readLocks, setLockExemption } from '../../src/lib/model/locks.ts';
import * as encoding from 'lib0/encoding';
import { MESSAGE_FACILITATION, remainingMs } from '../../src/lib/protocol/facilitation.ts';
import type { SharedRole } from '../../src/lib/protocol/roles.ts';
import {
	attachFacilitation,
	type FacilitationChannel
} from '../../src/lib/sync/facilitation-channel.ts';
import { connectClient, type TestClient } from '../helpers/clients.ts';
import { startRelay, type TestRelay } from '../helpers/relay.ts';
import { within } from '../helpers/slowdown.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
	for (const fn of cleanups.splice(0).reverse()) await fn();
	vi.restoreAllMocks();
});

async function relay(opts: Parameters<typeof startRelay>[0] = {}): Promise<TestRelay> {
	const r = await startRelay(opts);
	cleanups.push(() => r.close());
	return r;
}

interface Member extends TestClient {
	channel: FacilitationChannel;
}

/** A client with the app's facilitation channel, joined under `name`. */
async function member(
	r: TestRelay,
	board: string,
	opts: { role?: SharedRole | 'owner'; name: string; now?: () => number }
): Promise<Member> {
	const token =
		opts.role === undefined || opts.role === 'owner'
			? undefined
			: (await r.share(board, { role: opts.role })).token;
	const client = connectClient(r.syncUrl, board, new Y.Doc(), { token });
	const channel = attachFacilitation(client.provider, { name: opts.name, now: opts.now });
	cleanups.push(() => {
		channel.destroy();
		client.destroy();
	});
	await client.synced;
	await expect.poll(() => channel.state.joined, { timeout: within(5000) }).toBe(true);
	// The app's model refuses locked edits before sending them (guardEdit); these clients skip
	// that check, as a hand-crafted one would, so the relay is what must hold.
	setLockExemption(client.doc, true);
	return { ...client, channel };
}

/** A stock client that never joins the channel. */
async function stock(
	r: TestRelay,
	board: string,
	role: SharedRole = 'editor'
): Promise<TestClient> {
	const { token } = await r.share(board, { role });
	const client = connectClient(r.syncUrl, board, new Y.Doc(), { token });
	cleanups.push(() => client.destroy());
	await client.synced;
	return client;
}

/**
 * Everything a board holds, as plain data with sorted keys, to compare docs (a record the relay
 * restored holds the same values, written in another order).
 */
function contents(doc: Y.Doc): string {
	const out: Record<string, unknown> = { title: doc.getText('title').toString() };
	for (const name of COLLECTIONS) out[name] = doc.getMap(name).toJSON();
	return JSON.stringify(sorted(out));
}

function sorted(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sorted);
	if (!value || typeof value !== 'object') return value;
	const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return Object.fromEntries(entries.map(([k, v]) => [k, sorted(v)]));
}

async function storedContents(r: TestRelay, board: string): Promise<string> {
	const doc = new Y.Doc();
	for (const update of (await r.store.load(board))!.updates) Y.applyUpdate(doc, update);
	return contents(doc);
}

function firstProgram(doc: Y.Doc) {
	const program = readBoard(doc).programs[0]!;
	return { program, lane: program.lanes[0]!, second: program.lanes[1]! };
}

/** Waits until every doc and the stored board hold `expected`. */
async function allHold(r: TestRelay, board: string, docs: Y.Doc[], expected: string) {
	for (const doc of docs) {
		await expect.poll(() => contents(doc), { timeout: within(5000) }).toBe(expected);
	}
	await expect.poll(() => storedContents(r, board), { timeout: within(5000) }).toBe(expected);
}

describe('the shared timer', () => {
	it('runs only for a facilitator: participants and viewers are refused and told why', async () => {
		const r = await relay();
		const board = await r.createBoard('sample');
		const ana = await member(r, board, { name: 'Ana' });
		const ed = await member(r, board, { role: 'editor', name: 'Ed' });
		const vi_ = await member(r, board, { role: 'viewer', name: 'Vi' });
		expect([ana.channel.state.canFacilitate, ed.channel.state.canFacilitate]).toEqual([
			true,
			false
		]);

		for (const participant of [ed, vi_]) {
			participant.channel.send({ type: 'timer-start', label: 'Breakout', durationMs: 60_000 });
			await expect
				.poll(() => participant.channel.state.refusal?.code, { timeout: within(5000) })
				.toBe('not-facilitator');
			expect(participant.channel.state.refusal?.message).toMatch(/Only a facilitator/);
		}
		expect(
			await r.metric('railyard_facilitation_refused_total', { reason: 'not-facilitator' })
		).toBe(2);

		ana.channel.send({ type: 'timer-start', label: 'Team breakout', durationMs: 15 * 60_000 });
		for (const m of [ana, ed, vi_]) {
			await expect
				.poll(() => m.channel.state.timer?.label, { timeout: within(5000) })
				.toBe('Team breakout');
		}
		const before = ana.channel.state.timer;
		ed.channel.send({ type: 'timer-stop' });
		ed.channel.send({ type: 'timer-add', ms: 60_000 });
		vi_.channel.send({ type: 'timer-pause' });
		await expect
			.poll(() => r.metric('railyard_facilitation_refused_total', { reason: 'not-facilitator' }))
			.toBe(5);
		// A round trip through the relay after the refusals: nothing changed the timer.
		ana.channel.send({ type: 'timer-pause' });
		await expect.poll(() => ed.channel.state.timer?.running, { timeout: within(5000) }).toBe(false);
		expect(ed.channel.state.timer).toMatchObject({
			label: before!.label,
			durationMs: before!.durationMs
		});

		// A late joiner gets the timer with its hello.
		const late = await member(r, board, { role: 'editor', name: 'Late' });
		expect(late.channel.state.timer).toEqual(ed.channel.state.timer);
	});

	it('shows the same time left on a client whose clock is an hour wrong', async () => {
		const r = await relay();
		const board = await r.createBoard('sample');
		const ana = await member(r, board, { name: 'Ana' });
		const skewed = await member(r, board, {
			role: 'editor',
			name: 'Skewed',
			now: () => Date.now() + 3_600_000
		});
		ana.channel.send({ type: 'timer-start', label: 'Vote', durationMs: 120_000 });
		await expect
			.poll(() => skewed.channel.state.timer?.running, { timeout: within(5000) })
			.toBe(true);
		await expect.poll(() => ana.channel.state.timer?.running, { timeout: within(5000) }).toBe(true);
		const left = (m: Member) => remainingMs(m.channel.state.timer!, m.channel.serverNow());
		expect(Math.abs(left(skewed) - left(ana))).toBeLessThan(1000);
		expect(left(skewed)).toBeGreaterThan(100_000);
		expect(left(skewed)).toBeLessThanOrEqual(120_000);
	});

	it('answers a malformed channel message with an error and keeps the socket', async () => {
		const r = await relay();
		const board = await r.createBoard('sample');
		const ed = await member(r, board, { role: 'editor', name: 'Ed' });
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, MESSAGE_FACILITATION);
		encoding.writeVarString(encoder, '{"type":"timer-start","durationMs":-1}');
		ed.provider.ws!.send(encoding.toUint8Array(encoder));
		await expect
			.poll(() => ed.channel.state.refusal?.code, { timeout: within(5000) })
			.toBe('bad-message');
		expect(ed.provider.wsconnected).toBe(true);
	});
});

describe('locks the relay enforces', () => {
	it('takes back a participant moving a lane under a structure lock, everywhere', async () => {
		const r = await relay();
		const board = await r.createBoard('sample');
		const ana = await member(r, board, { name: 'Ana' });
		const ed = await member(r, board, { role: 'editor', name: 'Ed' });
		const raw = await stock(r, board);
		ana.channel.send({ type: 'lock', target: { kind: 'structure' }, locked: true });
		await expect
			.poll(() => readLocks(raw.doc).structure?.by, { timeout: within(5000) })
			.toBe('Ana');
		const docs = [ana.doc, ed.doc, raw.doc];
		const before = contents(ana.doc);
		await allHold(r, board, docs, before);

		const { program, lane } = firstProgram(ed.doc);
		moveLane(ed.doc, { id: lane.id, programId: program.id, index: program.lanes.length });
		expect(contents(ed.doc)).not.toBe(before);
		await expect
			.poll(() => ed.channel.state.refusal?.code, { timeout: within(5000) })
			.toBe('locked');
		expect(ed.channel.state.refusal?.message).toMatch(/^Structure locked by Ana/);
		await allHold(r, board, docs, before);

		// A stock client, which never hears why, writes the lane's position itself.
		const rawLane = raw.doc.getMap('lanes').get(lane.id) as Y.Map<unknown>;
		rawLane.set('pos', { program: program.id, rank: 'zz' });
		await allHold(r, board, docs, before);
		expect(await r.metric('railyard_facilitation_refused_total', { reason: 'locked' })).toBe(2);

		// The lane's name is structure too; its health is not.
		updateLane(ed.doc, { id: lane.id, name: 'Renamed' });
		await allHold(r, board, docs, before);
		updateLane(ed.doc, { id: lane.id, health: 'at-risk' });
		await expect
			.poll(() => firstProgram(ana.doc).lane.health, { timeout: within(5000) })
			.toBe('at-risk');

		// A facilitator is not stopped by the lock.
		const after = contents(ana.doc);
		moveLane(ana.doc, { id: lane.id, programId: program.id, index: program.lanes.length });
		await expect.poll(() => contents(raw.doc), { timeout: within(5000) }).not.toBe(after);
		await allHold(r, board, docs, contents(ana.doc));
	});

	it('takes back only the locked part of an update; the rest of it stands', async () => {
		const r = await relay();
		const board = await r.createBoard('sample');
		const ana = await member(r, board, { name: 'Ana' });
		const raw = await stock(r, board);
		ana.channel.send({ type: 'lock', target: { kind: 'structure' }, locked: true });
		await expect
			.poll(() => readLocks(raw.doc).structure?.by, { timeout: within(5000) })
			.toBe('Ana');
		const { program, lane } = firstProgram(raw.doc);
		const cardId = [...raw.doc.getMap('cards').keys()][0]!;
		// One transaction, as an offline batch arrives: a locked lane move and an open card edit.
		raw.doc.transact(() => {
			(raw.doc.getMap('lanes').get(lane.id) as Y.Map<unknown>).set('pos', {
				program: program.id,
				rank: 'zz'
			});
			(raw.doc.getMap('cards').get(cardId) as Y.Map<unknown>).set('owner', 'Ed');
		});
		const owner = (doc: Y.Doc) => (doc.getMap('cards').get(cardId) as Y.Map<unknown>).get('owner');
		await expect.poll(() => owner(ana.doc), { timeout: within(5000) }).toBe('Ed');
		await expect.poll(() => firstProgram(raw.doc).lane.id, { timeout: within(5000) }).toBe(lane.id);
		await allHold(r, board, [ana.doc, raw.doc], contents(ana.doc));
		expect(firstProgram(ana.doc).lane.id).toBe(lane.id);
	});

	it('takes back a rename of a locked program and card edits in it; other programs stay open', async () => {
		const r = await relay();
		const board = await r.createBoard('sample');
		const ana = await member(r, board, { name: 'Ana' });
		const ed = await member(r, board, { role: 'editor', name: 'Ed' });
		const docs = [ana.doc, ed.doc];
		const [locked, open] = readBoard(ana.doc).programs;
		ana.channel.send({ type: 'lock', target: { kind: 'program', id: locked!.id }, locked: true });
		await expect
			.poll(() => Object.keys(readLocks(ed.doc).programs), { timeout: within(5000) })
			.toEqual([locked!.id]);
		const before = contents(ana.doc);

		updateProgram(ed.doc, { id: locked!.id, name: 'Hijacked' });
		await expect
			.poll(() => ed.channel.state.refusal?.message, { timeout: within(5000) })
			.toMatch(/^Program “.+” locked by Ana/);
		await allHold(r, board, docs, before);

		const lanes = new Set(locked!.lanes.map((l) => l.id));
		const card = [...ed.doc.getMap('cards').entries()].find(([, c]) =>
			lanes.has(((c as Y.Map<unknown>).get('pos') as { lane: string }).lane)
		)!;
		updateCard(ed.doc, { id: card[0], title: 'Changed' });
		await allHold(r, board, docs, before);
		// A lane moved out of the locked program is refused too.
		moveLane(ed.doc, { id: locked!.lanes[0]!.id, programId: open!.id, index: 0 });
		await allHold(r, board, docs, before);

		updateProgram(ed.doc, { id: open!.id, name: 'Still open' });
		await expect
			.poll(() => readBoard(ana.doc).programs[1]!.name, { timeout: within(5000) })
			.toBe('Still open');
	});

	it('restores a program deleted under a freeze, lanes and cards included, and lets facilitators edit', async () => {
		const r = await relay();
		const board = await r.createBoard('sample');
		const ana = await member(r, board, { name: 'Ana' });
		const ed = await member(r, board, { role: 'editor', name: 'Ed' });
		const raw = await stock(r, board);
		const docs = [ana.doc, ed.doc, raw.doc];
		ana.channel.send({ type: 'lock', target: { kind: 'freeze' }, locked: true });
		await expect.poll(() => readLocks(raw.doc).freeze?.by, { timeout: within(5000) }).toBe('Ana');
		const before = contents(ana.doc);

		deleteProgram(ed.doc, { id: firstProgram(ed.doc).program.id });
		await expect
			.poll(() => ed.channel.state.refusal?.message, { timeout: within(5000) })
			.toMatch(/^Board frozen by Ana/);
		await allHold(r, board, docs, before);
		raw.doc.getText('title').insert(0, 'Mine: ');
		await allHold(r, board, docs, before);

		updateProgram(ana.doc, { id: firstProgram(ana.doc).program.id, name: 'Final' });
		await expect
			.poll(() => firstProgram(raw.doc).program.name, { timeout: within(5000) })
			.toBe('Final');
	});

	it('keeps a lock across a relay restart (stored with the board) and enforces it from a cold load', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'railyard-locks-'));
		const first = await startRelay({ store: openSqliteStore({ dir }) });
		const board = await first.createBoard('sample');
		const ana = await member(first, board, { name: 'Ana' });
		ana.channel.send({ type: 'lock', target: { kind: 'structure' }, locked: true });
		const seen = await stock(first, board);
		await expect
			.poll(() => readLocks(seen.doc).structure?.by, { timeout: within(5000) })
			.toBe('Ana');
		const before = contents(seen.doc);
		ana.channel.destroy();
		ana.destroy();
		seen.destroy();
		await first.close();

		const second = await relay({ store: openSqliteStore({ dir }) });
		const ed = await member(second, board, { role: 'editor', name: 'Ed' });
		expect(readLocks(ed.doc).structure?.by).toBe('Ana');
		const { program, lane } = firstProgram(ed.doc);
		moveLane(ed.doc, { id: lane.id, programId: program.id, index: program.lanes.length });
		await expect
			.poll(() => ed.channel.state.refusal?.message, { timeout: within(5000) })
			.toMatch(/^Structure locked by Ana/);
		await allHold(second, board, [ed.doc], before);
	});

	it('refuses a CSV import that runs into a lock, whole, and lets a facilitator import', async () => {
		const r = await relay();
		const board = await r.createBoard('sample');
		const ana = await member(r, board, { name: 'Ana' });
		ana.channel.send({ type: 'lock', target: { kind: 'structure' }, locked: true });
		await expect
			.poll(() => readLocks(ana.doc).structure?.by, { timeout: within(5000) })
			.toBe('Ana');
		const before = contents(ana.doc);
		const program = firstProgram(ana.doc).program.name;
		const body = ['Program,Lane,Period,Card', `${program},New lane,Q1 2027,A card`].join('\r\n');
		const post = (token: string) =>
			r.api(`/api/boards/${board}/import`, {
				method: 'POST',
				token,
				body,
				headers: { 'content-type': 'text/csv' }
			});
		const { token } = await r.share(board, { role: 'editor' });
		const refused = await post(token);
		expect(refused.status).toBe(409);
		expect(await refused.json()).toEqual({
			error: 'nothing was imported: Structure locked by Ana'
		});
		expect(await storedContents(r, board)).toBe(before);

		expect((await post(r.ownerToken(board))).status).toBe(200);
		await expect
			.poll(() => firstProgram(ana.doc).program.lanes.some((l) => l.name === 'New lane'), {
				timeout: within(5000)
			})
			.toBe(true);
	});

	it('rewrites the locks map when anyone but the relay writes it', async () => {
		const r = await relay();
		const board = await r.createBoard('sample');
		const ana = await member(r, board, { name: 'Ana' });
		const raw = await stock(r, board);
		const docs = [ana.doc, raw.doc];
		const before = JSON.stringify(locksMap(ana.doc).toJSON());
		// A participant trying to freeze the board for everyone else, or to lift a lock.
		locksMap(raw.doc).set('freeze', { by: 'Mallory', at: 1 });
		for (const doc of docs) {
			await expect
				.poll(() => JSON.stringify(locksMap(doc).toJSON()), { timeout: within(5000) })
				.toBe(before);
		}
		ana.channel.send({ type: 'lock', target: { kind: 'structure' }, locked: true });
		await expect
			.poll(() => readLocks(raw.doc).structure?.by, { timeout: within(5000) })
			.toBe('Ana');
		locksMap(raw.doc).delete('structure');
		await expect
			.poll(() => readLocks(raw.doc).structure?.by, { timeout: within(5000) })
			.toBe('Ana');
		expect(readLocks(ana.doc).freeze).toBeNull();
	});

	it('never sends a channel frame to a stock client, and refuses a viewer’s lock', async () => {
		const r = await relay();
		const board = await r.createBoard('sample');
		const ana = await member(r, board, { name: 'Ana' });
		const viewer = await member(r, board, { role: 'viewer', name: 'Vi' });
		const errors = vi.spyOn(console, 'error');
		const raw = await stock(r, board);
		viewer.channel.send({ type: 'lock', target: { kind: 'freeze' }, locked: true });
		await expect
			.poll(() => viewer.channel.state.refusal?.code, { timeout: within(5000) })
			.toBe('not-facilitator');
		ana.channel.send({ type: 'timer-start', label: 'x', durationMs: 60_000 });
		ana.channel.send({ type: 'lock', target: { kind: 'structure' }, locked: true });
		await expect
			.poll(() => readLocks(raw.doc).structure?.by, { timeout: within(5000) })
			.toBe('Ana');
		expect(readLocks(raw.doc).freeze).toBeNull();
		// y-websocket logs every message type it does not know.
		expect(errors).not.toHaveBeenCalled();
	});
});
