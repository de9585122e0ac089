/**
 * What the relay's lock guard (server/sync/room-locks.ts) costs per update, in one process, on
 * the sample board: the same participant updates applied plainly, through the guard with no lock,
 * through it with a structure lock they do not touch (judged and accepted), and through it when
 * each one moves a locked lane (judged, undone, the undo encoded as a new update). Ratios to the
 * plain apply, so a busy machine moves the figures but hardly the ratios.
 */
import * as Y from 'yjs';
import { moveLane, readBoard, seedSampleBoard, updateCard } from '../../src/lib/model/index.ts';
import { setLockExemption } from '../../src/lib/model/locks.ts';
import { RoomLocks } from '../../server/sync/room-locks.ts';
import { median } from './stats.ts';

const UPDATES = 2000;

/** `count` updates from one participant: card edits (`kind: 'open'`) or lane moves (`'locked'`). */
function participantUpdates(
	base: Uint8Array,
	kind: 'open' | 'locked',
	count: number
): Uint8Array[] {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, base);
	setLockExemption(doc, true);
	const board = readBoard(doc);
	const program = board.programs[0]!;
	const cards = Object.values(program.lanes[0]!.cells).flat();
	const out: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => out.push(update));
	for (let i = 0; i < count; i++) {
		if (kind === 'open') updateCard(doc, { id: cards[i % cards.length]!.id, owner: `Owner ${i}` });
		else {
			const lane = program.lanes[i % program.lanes.length]!;
			moveLane(doc, { id: lane.id, programId: program.id, index: (i * 7) % program.lanes.length });
		}
	}
	return out;
}

type Mode = 'plain' | 'guard, no lock' | 'guard, lock untouched' | 'guard, lock hit (undone)';

function run(base: Uint8Array, mode: Mode, updates: Uint8Array[]): number {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, base);
	const locks = new RoomLocks(doc);
	locks.load();
	if (mode !== 'plain' && mode !== 'guard, no lock') {
		locks.set({ kind: 'structure' }, { by: 'Bench', at: 0 });
	}
	// What the room does with every accepted change: encode it for the store and the peers.
	let bytes = 0;
	doc.on('update', (update: Uint8Array) => (bytes += update.length));
	const peer = {};
	let refused = 0;
	const started = performance.now();
	for (const update of updates) {
		if (mode === 'plain') Y.applyUpdate(doc, update, peer);
		else if (locks.guard(peer, false, () => Y.applyUpdate(doc, update, peer))) refused += 1;
	}
	const ms = performance.now() - started;
	// The figures mean something only if the guard did what the mode says.
	const expected = mode === 'guard, lock hit (undone)' ? updates.length : 0;
	if (refused !== expected) throw new Error(`${mode}: ${refused} refused, expected ${expected}`);
	doc.destroy();
	return bytes > 0 ? (1000 * ms) / updates.length : NaN;
}

/** Microseconds per update for each mode (median of `runs`), and each one's ratio to plain. */
export function lockGuardCost(runs = 7): string[] {
	const seed = new Y.Doc();
	seedSampleBoard(seed, {});
	const base = Y.encodeStateAsUpdate(seed);
	const open = participantUpdates(base, 'open', UPDATES);
	const moves = participantUpdates(base, 'locked', UPDATES);
	const modes: [Mode, Uint8Array[]][] = [
		['plain', open],
		['guard, no lock', open],
		['guard, lock untouched', open],
		['guard, lock hit (undone)', moves]
	];
	const plainMoves: number[] = [];
	const results = new Map<Mode, number[]>(modes.map(([m]) => [m, []]));
	// One pass to warm the JIT, not counted; then the modes take turns, so drift hits them alike.
	for (const [mode, updates] of modes) run(base, mode, updates);
	for (let i = 0; i < runs; i++) {
		for (const [mode, updates] of modes) results.get(mode)!.push(run(base, mode, updates));
		plainMoves.push(run(base, 'plain', moves));
	}
	const plain = median(results.get('plain')!);
	const lines = [
		'',
		`Lock guard, in process, ${UPDATES} participant updates on the sample board (median of ${runs}):`,
		'',
		'| Update path | µs per update | ÷ plain apply |',
		'| --- | ---: | ---: |'
	];
	for (const [mode] of modes) {
		const value = median(results.get(mode)!);
		// A reverted move is compared with applying the same moves plainly.
		const against = mode === 'guard, lock hit (undone)' ? median(plainMoves) : plain;
		lines.push(`| ${mode} | ${value.toFixed(1)} | ${(value / against).toFixed(2)}× |`);
	}
	return lines;
}
