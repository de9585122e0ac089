/**
 * One seeded fuzz run: peers edit a board through the model while an unreliable network delivers
 * their updates out of order, twice, late or (until a resync) never, and peers drop offline and
 * come back. Then everything is delivered and the run reports every problem it can prove.
 */
import { isDeepStrictEqual } from 'node:util';
import type * as Y from 'yjs';
import {
	COLLECTIONS,
	migrate,
	RESTORE,
	ModelError,
	readBoard,
	type Collection
} from '../../src/lib/model/index.ts';
import { hasPending, Network, type Peer } from '../helpers/network.ts';
import { int, mulberry32, pick, weighted } from '../helpers/rng.ts';
import { actionOn, randomAction } from './actions.ts';
import type { FuzzContext, Planned } from './context.ts';
import { accountingViolations, boardViolations, docContent, sameContent } from './invariants.ts';
import { TextOracle } from './text-oracle.ts';

export interface FuzzOptions {
	peers: number;
	steps: number;
	/** Mix in a facilitator's locks (model/locks.ts). */
	locks?: boolean;
}

export const DEFAULTS: FuzzOptions = { peers: 5, steps: 250 };

export interface Race {
	collection: Collection;
	id: string;
	/** What each of the two peers attempted (null when it had nothing to do). */
	labels: [string | null, string | null];
}

export interface FuzzResult {
	seed: number;
	problems: string[];
	log: string[];
	races: Race[];
	peers: Peer[];
}

/**
 * Record ids each peer deleted itself (cascades included), as `collection/id`. A record a
 * restore brought back may legitimately be there again, even after a delete some other peer made
 * of its old copy at the same time (the two are different items under one key): once revived, a
 * record is no longer counted as deleted.
 */
function trackDeletes(
	doc: Y.Doc,
	deleted: Set<string>,
	revived: Set<string>,
	oracle: TextOracle
): void {
	for (const name of COLLECTIONS) {
		doc.getMap(name).observe((event) => {
			if (!event.transaction.local) return;
			const restore = event.transaction.origin === RESTORE;
			for (const [key, change] of event.changes.keys) {
				if (change.action === 'delete') deleted.add(`${name}/${key}`);
				else if (restore && change.action === 'add') {
					revived.add(`${name}/${key}`);
					oracle.revived.add(`${name}/${key}`);
				}
			}
		});
	}
}

export function runSeed(seed: number, opts: FuzzOptions = DEFAULTS): FuzzResult {
	const rng = mulberry32(seed);
	const network = new Network(rng, { peers: opts.peers });
	const ctx: FuzzContext = {
		rng,
		oracle: new TextOracle(),
		created: new Set(),
		problems: [],
		locks: opts.locks
	};
	const deleted = new Set<string>();
	const revived = new Set<string>();
	const log: string[] = [];
	const peers = network.peers;
	for (const peer of peers) {
		trackDeletes(peer.doc, deleted, revived, ctx.oracle);
		migrate(peer.doc);
	}

	const races: Race[] = [];
	const attempt = (step: number, peer: Peer, planned: Planned | null, tag = '') => {
		if (!planned) return;
		let line = `#${step}${tag} p${peer.index} ${planned.label}`;
		try {
			planned.run();
		} catch (error) {
			if (!(error instanceof ModelError)) {
				ctx.problems.push(`step ${step}: ${planned.label} threw ${String(error)}`);
			}
			line += ` -> refused: ${(error as Error).message}`;
		}
		log.push(line);
	};

	for (let step = 0; step < opts.steps; step++) {
		const kind = weighted(rng, { edit: 50, race: 15, deliver: 28, disconnect: 3, reconnect: 4 });
		if (kind === 'edit') {
			const peer = pick(rng, peers);
			attempt(step, peer, randomAction(peer.doc, ctx));
		} else if (kind === 'race') {
			// Two peers act on the same record before either hears of the other's edit.
			const a = pick(rng, peers);
			const others = peers.filter((p) => p !== a);
			const b = pick(rng, others);
			const shared = (name: Collection) =>
				[...a.doc.getMap(name).keys()].filter((id) => b.doc.getMap(name).has(id)).sort();
			const weights: Record<Collection, number> = {
				programs: 1,
				lanes: 3,
				periods: 1,
				cards: 3,
				dependencies: 4,
				objectives: 1,
				risks: 1
			};
			for (const name of COLLECTIONS) if (shared(name).length === 0) weights[name] = 0;
			if (COLLECTIONS.every((name) => weights[name] === 0)) continue;
			const name = weighted(rng, weights);
			const id = pick(rng, shared(name));
			const planned = [actionOn(a.doc, ctx, name, id), actionOn(b.doc, ctx, name, id)] as const;
			races.push({
				collection: name,
				id,
				labels: [planned[0]?.label ?? null, planned[1]?.label ?? null]
			});
			attempt(step, a, planned[0], ' race');
			attempt(step, b, planned[1], ' race');
		} else if (kind === 'deliver') {
			const delivered: string[] = [];
			for (let n = 1 + int(rng, 12); n > 0; n--) {
				const what = network.deliverOne();
				if (what) delivered.push(what);
			}
			if (delivered.length) log.push(`#${step} deliver ${delivered.join(', ')}`);
		} else if (kind === 'disconnect') {
			const online = peers.filter((p) => p.online);
			if (online.length <= 2) continue;
			const peer = pick(rng, online);
			network.disconnect(peer.index);
			log.push(`#${step} p${peer.index} goes offline`);
		} else {
			const offline = peers.filter((p) => !p.online);
			if (offline.length === 0) continue;
			const peer = pick(rng, offline);
			const resync = rng() < 0.5;
			network.reconnect(peer.index, resync);
			log.push(`#${step} p${peer.index} comes back${resync ? ' and resyncs' : ''}`);
		}
	}

	network.settle();
	log.push(`settled`);
	const problems = [...ctx.problems, ...finalProblems(network, ctx, deleted, revived)];
	return { seed, problems, log, races, peers };
}

function finalProblems(
	network: Network,
	ctx: FuzzContext,
	deleted: Set<string>,
	revived: Set<string>
): string[] {
	const out: string[] = [];
	const [first, ...rest] = network.peers as [Peer, ...Peer[]];
	const board = readBoard(first.doc);
	for (const peer of network.peers) {
		if (hasPending(peer.doc)) out.push(`p${peer.index} still has updates it could not apply`);
	}
	for (const peer of rest) {
		if (!isDeepStrictEqual(readBoard(peer.doc), board)) {
			out.push(`p${peer.index}'s board differs from p0's`);
		}
		if (!sameContent(peer.doc, first.doc)) {
			out.push(`p${peer.index}'s doc content differs from p0's`);
		}
	}
	out.push(...boardViolations(board));
	out.push(...accountingViolations(first.doc, ctx.created, deleted, revived));
	out.push(...ctx.oracle.problems(first.doc));
	return out;
}

/** The failure report: the seed, how to replay it, what broke, and the op log. */
export function report(result: FuzzResult): string {
	const docs = result.peers.map((p) => `p${p.index}: ${JSON.stringify(docContent(p.doc))}`);
	return [
		`fuzz seed ${result.seed} failed (replay: FUZZ_SEED=${result.seed} npx vitest run tests/fuzz)`,
		...result.problems.map((p) => `  - ${p}`),
		'op log:',
		...result.log,
		'final docs:',
		...docs
	].join('\n');
}
