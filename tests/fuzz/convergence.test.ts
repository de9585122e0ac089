/**
 * Seeded convergence fuzz (issue 2): five peers edit one board through the model over an
 * unreliable network; once everything is delivered every peer must hold the same board, every
 * invariant must hold, and no typed text may be lost.
 *
 * FUZZ_SEEDS=n runs seeds 1..n (default 200); FUZZ_SEED=s replays one seed.
 */
import { describe, expect, it } from 'vitest';
import { readBoard } from '../../src/lib/model/index.ts';
import { docContent } from './invariants.ts';
import { DEFAULTS, report, runSeed } from './run.ts';

function seeds(): number[] {
	if (process.env.FUZZ_SEED) return [Number(process.env.FUZZ_SEED)];
	const count = Number(process.env.FUZZ_SEEDS ?? 200);
	return Array.from({ length: count }, (_, i) => i + 1);
}

function expectConverged(seed: number, opts?: Parameters<typeof runSeed>[1]): void {
	const result = runSeed(seed, opts);
	const message = report(result);
	const [first, ...rest] = result.peers.map((peer) => readBoard(peer.doc));
	for (const board of rest) expect(board, message).toEqual(first);
	expect(result.problems, message).toEqual([]);
}

describe('convergence fuzz', () => {
	it.each(seeds())('seed %i', (seed) => expectConverged(seed));
});

// Locks refuse edits, so the same seeds explore less: a quarter of them, with locks on.
describe('convergence fuzz with facilitator locks', () => {
	it.each(seeds().slice(0, Math.max(1, Math.ceil(seeds().length / 4))))('seed %i', (seed) =>
		expectConverged(seed, { ...DEFAULTS, locks: true })
	);

	it('locks and unlocks, and the model refuses locked edits', () => {
		const log = [1, 2, 3, 4, 5, 6, 7, 8]
			.flatMap((seed) => runSeed(seed, { ...DEFAULTS, locks: true }).log)
			.join('\n');
		expect(log).toMatch(/ lock \{"target":\{"kind":"structure"\},"on":true\}/);
		expect(log).toMatch(/ lock \{"target":\{"kind":"program","id":"[^"]+"\},"on":false\}/);
		expect(log).toMatch(/-> refused: Structure locked by Fuzz/);
		expect(log).toMatch(/-> refused: Program “[^”]*” locked by Fuzz/);
	});
});

describe('the fuzz itself', () => {
	it('reproduces a run exactly from its seed', () => {
		const [first, second] = [runSeed(7), runSeed(7)];
		expect(second.log).toEqual(first.log);
		expect(docContent(second.peers[0]!.doc)).toEqual(docContent(first.peers[0]!.doc));
	});

	it('races the edits the issue asks for', () => {
		const runs = Array.from({ length: 12 }, (_, i) => runSeed(i + 1));
		const races = runs.flatMap((run) => run.races);
		const both = (pattern: (id: string) => RegExp, other = pattern) =>
			races.some((race) => {
				const [a, b] = race.labels;
				const [p, q] = [pattern(race.id), other(race.id)];
				return (p.test(a ?? '') && q.test(b ?? '')) || (q.test(a ?? '') && p.test(b ?? ''));
			});
		const on = (op: string) => (id: string) => new RegExp(`^${op} \\{"id":"${id}"`);
		const typing = (id: string) => new RegExp(`^(type|splice)\\(\\w+\\) \\{"place":"\\w+/${id}/`);
		expect(both(on('moveLane')), 'the same lane moved by two peers').toBe(true);
		expect(both(on('moveCard')), 'the same card moved by two peers').toBe(true);
		expect(both(on('delete lanes'), on('moveLane')), 'a lane deleted while moved').toBe(true);
		expect(both(on('delete cards'), on('moveCard')), 'a card deleted while moved').toBe(true);
		expect(both(typing), 'two peers typing into one record').toBe(true);
		// Concurrent creates of one pair are pinned in operations.planning.test.ts; here the fuzz
		// must at least race dependencies, risks and objectives at all.
		const raced = (name: string) =>
			races.some((race) => race.collection === name && race.labels.every(Boolean));
		expect(raced('dependencies'), 'one dependency edited by two peers').toBe(true);
		expect(raced('objectives'), 'one objective edited by two peers').toBe(true);
		expect(both(on('moveRisk')), 'the same risk moved by two peers').toBe(true);
		const restored = runs
			.flatMap((run) => run.log)
			.filter((line) => /restoreCheckpoint/.test(line));
		expect(
			restored.some((line) => !line.includes('refused')),
			'a checkpoint restored while others edit'
		).toBe(true);
		expect(races.some((race) => race.labels.some((l) => l?.startsWith('splice(')))).toBe(true);
		const log = runs.flatMap((run) => run.log).join('\n');
		expect(log).toMatch(/goes offline/);
		expect(log).toMatch(/comes back and resyncs/);
		expect(log).toMatch(/comes back\n/);
		expect(log).toMatch(/kept for a duplicate/);
	});
});

describe('convergence fuzz regressions', () => {
	// Seeds that found a bug, run even when FUZZ_SEEDS is small. A seed reproduces its run only
	// while actions.ts, run.ts and the network stay as they are: after changing those, re-find
	// the seeds (each bug also has a unit test next to the code).
	it.each([
		// replaceText cut through emoji surrogate pairs: each half became U+FFFD, differently on
		// the editing peer and the others, so boards diverged (see doc.test.ts).
		[11, 'surrogate pair split by a text edit'],
		[71, 'surrogate pair split by a text edit'],
		// A restore by a peer that had not yet received all the checkpoint held wrote that text
		// again (a marker twice), or re-created a record the checkpoint held without its position
		// (caught mid-move); see restore.test.ts.
		[13, 'restore behind its checkpoint'],
		[43, 'restore behind its checkpoint'],
		[175, 'restore behind its checkpoint'],
		[206, 'restore of a record without its position']
	])('seed %i (%s)', (seed) => expectConverged(seed));
});
