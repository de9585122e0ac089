/**
 * The big board for `npm run bench:ui`, written through the model's own operations by a stock
 * y-websocket client, exactly as people would build it: no back door into the relay.
 */
import {
	createCard,
	createDependency,
	createLane,
	createPeriod,
	createProgram,
	HEALTH,
	readBoard,
	setLaneCapacity
} from '../../src/lib/model/index.ts';
import * as Y from 'yjs';
import { connectClient, type TestClient } from '../helpers/clients.ts';

export interface BoardShape {
	programs: number;
	lanesPerProgram: number;
	periods: number;
	cards: number;
	/** Dependencies between random cards; every card gets an estimate and every lane a capacity. */
	dependencies: number;
}

export const BIG: BoardShape = {
	programs: 20,
	lanesPerProgram: 15,
	periods: 12,
	cards: 5000,
	dependencies: 1500
};

/** Deterministic, so every run benchmarks the same board. */
function seeded(seed: number): () => number {
	return () => {
		seed = (seed * 1664525 + 1013904223) % 4294967296;
		return seed / 4294967296;
	};
}

function fill(doc: Y.Doc, shape: BoardShape): void {
	const rng = seeded(42);
	const periods = Array.from({ length: shape.periods }, (_, i) =>
		createPeriod(doc, { name: `Sprint ${i + 1}`, rng })
	);
	const lanes: string[] = [];
	for (let p = 0; p < shape.programs; p++) {
		const programId = createProgram(doc, {
			name: `Program ${p + 1}`,
			objective: `Objective of program ${p + 1}: grow the thing it is about by a measurable amount.`,
			manager: `Manager ${p + 1}`,
			rng
		});
		for (let l = 0; l < shape.lanesPerProgram; l++) {
			lanes.push(
				createLane(doc, {
					programId,
					name: `Project ${p + 1}.${l + 1}`,
					manager: `PM ${l + 1}`,
					health: HEALTH[Math.floor(rng() * HEALTH.length)],
					progress: Math.floor(rng() * 21) * 5,
					rng
				})
			);
		}
	}
	// Planning data draws from its own sequence, so the cards land where they did before it.
	const plan = seeded(7);
	const cards: string[] = [];
	for (let c = 0; c < shape.cards; c++) {
		cards.push(
			createCard(doc, {
				laneId: lanes[Math.floor(rng() * lanes.length)]!,
				periodId: periods[Math.floor(rng() * periods.length)]!,
				title: `Deliverable ${c + 1}`,
				kind: rng() < 0.15 ? 'milestone' : 'deliverable',
				done: rng() < 0.3,
				estimate: shape.dependencies ? 1 + Math.floor(plan() * 8) : null,
				rng
			})
		);
	}
	if (!shape.dependencies) return;
	for (const id of lanes) setLaneCapacity(doc, { id, capacity: 20 });
	const made = new Set<string>();
	while (made.size < shape.dependencies) {
		const from = cards[Math.floor(plan() * cards.length)]!;
		const to = cards[Math.floor(plan() * cards.length)]!;
		if (from !== to) made.add(createDependency(doc, { from, to }));
	}
}

/**
 * Fill a doc for `boardId` (one transaction), then connect it so the relay gets it all in one sync,
 * and wait until the relay has it. Filling takes seconds of synchronous work: done while
 * connected, it would starve the socket of its pongs and the relay would rightly drop it.
 */
export async function buildBoard(
	syncUrl: string,
	boardId: string,
	shape: BoardShape
): Promise<TestClient> {
	const doc = new Y.Doc();
	doc.transact(() => fill(doc, shape), 'seed');
	const client = connectClient(syncUrl, boardId, doc);
	await client.synced;
	// A second client reading the whole board back proves the relay stored and serves it (the
	// relay applies the first client's state a moment after that client counts itself synced).
	const expected = shape.programs * shape.lanesPerProgram;
	let lanes = 0;
	for (let attempt = 0; attempt < 20 && lanes !== expected; attempt++) {
		if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 500));
		const check = connectClient(syncUrl, boardId);
		await check.synced;
		lanes = readBoard(check.doc).programs.reduce((n, p) => n + p.lanes.length, 0);
		check.destroy();
	}
	if (lanes !== expected) throw new Error(`the relay has ${lanes} lanes, expected ${expected}`);
	return client;
}
