/**
 * The large board every heavy workload uses: 5,000 cards (by default) in 50 lanes and 10 periods,
 * written with the model's own operations by 100 simulated editors, as one Yjs update. Building it
 * card by card in one doc is quadratic (each insert ranks against its siblings), so each editor
 * writes its 50 cards into its own copy and the copies are merged, the way a real board grows.
 *
 * Built once and cached in the OS temp dir, keyed by card count.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import {
	createCard,
	createLane,
	createPeriod,
	createProgram,
	migrate,
	setBoardTitle
} from '../../src/lib/model/index.ts';

const LANES = 50;
const PERIODS = 10;
const CARDS_PER_EDITOR = 50;

export function buildBoard(opts: { cards: number }): Uint8Array {
	const doc = new Y.Doc();
	migrate(doc);
	setBoardTitle(doc, { title: `Benchmark board (${opts.cards} cards)`, origin: 'seed' });
	const programId = createProgram(doc, { name: 'Platform', origin: 'seed' });
	const lanes = Array.from({ length: LANES }, (_, i) =>
		createLane(doc, { programId, name: `Project ${i + 1}`, origin: 'seed' })
	);
	const periods = Array.from({ length: PERIODS }, (_, i) =>
		createPeriod(doc, { name: `Sprint ${i + 1}`, origin: 'seed' })
	);
	const base = Y.encodeStateAsUpdate(doc);
	const parts = [base];
	for (let written = 0, editor = 0; written < opts.cards; editor++) {
		const copy = new Y.Doc();
		Y.applyUpdate(copy, base);
		const before = Y.encodeStateVector(copy);
		const count = Math.min(CARDS_PER_EDITOR, opts.cards - written);
		copy.transact(() => {
			for (let k = 0; k < count; k++, written++) {
				createCard(copy, {
					laneId: lanes[editor % LANES]!,
					periodId: periods[(written * 7) % PERIODS]!,
					title: `Card ${written + 1}: ship the ${['API', 'UI', 'docs', 'migration'][k % 4]} milestone`,
					origin: 'seed'
				});
			}
		}, 'seed');
		parts.push(Y.encodeStateAsUpdate(copy, before));
	}
	return Y.mergeUpdates(parts);
}

/** The cached board for `cards`, built on first use. */
export function loadBoard(opts: { cards: number }): { update: Uint8Array; file: string } {
	const file = path.join(os.tmpdir(), `railyard-bench-board-${opts.cards}.bin`);
	if (!fs.existsSync(file)) {
		const update = buildBoard(opts);
		fs.writeFileSync(`${file}.tmp`, update);
		fs.renameSync(`${file}.tmp`, file);
	}
	return { update: new Uint8Array(fs.readFileSync(file)), file };
}

/** How many cards a doc holds: the size of the cards collection. */
export function cardCount(doc: Y.Doc): number {
	return doc.getMap('cards').size;
}
