/**
 * Random board edits for the convergence fuzz, made only through the model's operations, with
 * targets picked from what the acting peer sees. Each action is planned first (so the log shows
 * what was attempted) and run after; a ModelError is a legitimate refusal, anything else a bug.
 */
import * as Y from 'yjs';
import {
	CARD_KINDS,
	COLLECTIONS,
	COMMITMENTS,
	createCard,
	createDependency,
	createObjective,
	createRisk,
	deleteDependency,
	deleteObjective,
	deleteRisk,
	DEPENDENCY_KINDS,
	linkObjective,
	moveObjective,
	moveRisk,
	ROAM,
	setBoardUnit,
	setLaneCapacity,
	updateObjective,
	updateRisk,
	createLane,
	createPeriod,
	createProgram,
	deleteCard,
	deleteLane,
	deletePeriod,
	deleteProgram,
	HEALTH,
	moveCard,
	moveLane,
	movePeriod,
	moveProgram,
	PROGRAM_COLORS,
	readBoard,
	restoreCheckpoint,
	updateCard,
	updateDependency,
	updateLane,
	updatePeriod,
	updateProgram,
	type Collection
} from '../../src/lib/model/index.ts';
import { readLocks, writeLock, type LockTarget } from '../../src/lib/model/locks.ts';
import { chance, int, pick, weighted, type Rng } from '../helpers/rng.ts';
import { filler, plan, type FuzzContext, type Plan, type Planned } from './context.ts';
import { placeOf, planTyping, TEXT_FIELDS } from './typing.ts';

const DATES = [null, '2027-01-01', '2027-03-31', '2027-04-01', '2027-06-30', '2027-12-31'];

/** What a peer sees: the visible board plus every record id in its doc (orphans included). */
function viewOf(doc: Y.Doc) {
	const board = readBoard(doc);
	const raw = (name: Collection) =>
		[...doc.getMap(name).entries()]
			.filter(([, v]) => v instanceof Y.Map)
			.map(([id]) => id)
			.sort();
	return {
		board,
		programs: board.programs.map((p) => p.id),
		lanes: board.programs.flatMap((p) => p.lanes),
		periods: board.periods.map((p) => p.id),
		raw: Object.fromEntries(COLLECTIONS.map((name) => [name, raw(name)])) as Record<
			Collection,
			string[]
		>
	};
}

type View = ReturnType<typeof viewOf>;

function created(ctx: FuzzContext, name: Collection, id: string): void {
	ctx.created.add(`${name}/${id}`);
}

/** An index a UI could send, including a little past either end. */
function anyIndex(rng: Rng, length: number): number {
	return int(rng, length + 3) - 1;
}

// ---------------------------------------------------------------------------------------------
// Creates

function planCreateProgram(doc: Y.Doc, ctx: FuzzContext, view: View): Plan {
	const args = { name: filler(ctx.rng, 3, 8), index: anyIndex(ctx.rng, view.programs.length) };
	return plan('createProgram', args, () =>
		created(ctx, 'programs', createProgram(doc, { ...args, rng: ctx.rng }))
	);
}

function planCreateLane(doc: Y.Doc, ctx: FuzzContext, view: View, programId?: string): Plan {
	const program = programId ?? (view.programs.length ? pick(ctx.rng, view.programs) : null);
	if (program === null) return null;
	const args = { programId: program, name: filler(ctx.rng, 3, 8), index: anyIndex(ctx.rng, 4) };
	return plan('createLane', args, () =>
		created(ctx, 'lanes', createLane(doc, { ...args, rng: ctx.rng }))
	);
}

function planCreatePeriod(doc: Y.Doc, ctx: FuzzContext, view: View): Plan {
	const args = { name: filler(ctx.rng, 2, 5), index: anyIndex(ctx.rng, view.periods.length) };
	return plan('createPeriod', args, () =>
		created(ctx, 'periods', createPeriod(doc, { ...args, rng: ctx.rng }))
	);
}

function planCreateCard(
	doc: Y.Doc,
	ctx: FuzzContext,
	view: View,
	where: { laneId?: string; periodId?: string } = {}
): Plan {
	if (view.lanes.length === 0 || view.periods.length === 0) return null;
	const args = {
		laneId: where.laneId ?? pick(ctx.rng, view.lanes).id,
		periodId: where.periodId ?? pick(ctx.rng, view.periods),
		title: filler(ctx.rng, 2, 8),
		index: anyIndex(ctx.rng, 3)
	};
	return plan('createCard', args, () =>
		created(ctx, 'cards', createCard(doc, { ...args, rng: ctx.rng }))
	);
}

// ---------------------------------------------------------------------------------------------
// Scalar updates

function planUpdate(doc: Y.Doc, ctx: FuzzContext, name: Collection, id: string): Plan {
	if (name !== 'programs' && name !== 'lanes' && name !== 'periods' && name !== 'cards') {
		return planPlanning(doc, ctx, name, id);
	}
	const { rng } = ctx;
	switch (name) {
		case 'programs': {
			const args = chance(rng, 0.5)
				? { id, color: pick(rng, PROGRAM_COLORS) }
				: { id, manager: filler(rng, 0, 6) };
			return plan('updateProgram', args, () => updateProgram(doc, args));
		}
		case 'lanes': {
			const args = weighted(rng, { health: 1, progress: 1, manager: 1 });
			const patch =
				args === 'health'
					? { id, health: pick(rng, HEALTH) }
					: args === 'progress'
						? { id, progress: int(rng, 101) }
						: { id, manager: filler(rng, 0, 6) };
			return plan('updateLane', patch, () => updateLane(doc, patch));
		}
		case 'periods': {
			const args = chance(rng, 0.5)
				? { id, start: pick(rng, DATES) }
				: { id, start: pick(rng, DATES), end: pick(rng, DATES) };
			return plan('updatePeriod', args, () => updatePeriod(doc, args));
		}
		case 'cards': {
			const field = weighted(rng, { done: 1, kind: 1, estimate: 2, owner: 1 });
			const args =
				field === 'done'
					? { id, done: chance(rng, 0.5) }
					: field === 'kind'
						? { id, kind: pick(rng, CARD_KINDS) }
						: field === 'estimate'
							? { id, estimate: chance(rng, 0.2) ? null : int(rng, 14) / 2 }
							: { id, owner: pick(rng, OWNERS) };
			return plan('updateCard', args, () => updateCard(doc, args));
		}
	}
}

const OWNERS = ['', 'Ana', 'Kwame', 'Mei'];

/** Edits of the planning records: objectives, risks and dependencies. */
function planPlanning(
	doc: Y.Doc,
	ctx: FuzzContext,
	name: 'dependencies' | 'objectives' | 'risks',
	id: string
): Plan {
	const { rng } = ctx;
	const view = viewOf(doc);
	if (name === 'dependencies') {
		const args = { id, kind: pick(rng, DEPENDENCY_KINDS) };
		return plan('updateDependency', args, () => updateDependency(doc, args));
	}
	if (name === 'objectives') {
		const what = weighted(rng, { score: 3, move: 3, link: 3 });
		if (what === 'score') {
			const args = {
				id,
				commitment: pick(rng, COMMITMENTS),
				planned: chance(rng, 0.2) ? null : 1 + int(rng, 10),
				actual: chance(rng, 0.3) ? null : int(rng, 11)
			};
			return plan('updateObjective', args, () => updateObjective(doc, args));
		}
		if (what === 'move') {
			if (view.programs.length === 0) return null;
			const args = { id, programId: pick(rng, view.programs), index: anyIndex(rng, 3) };
			return plan('moveObjective', args, () => moveObjective(doc, { ...args, rng }));
		}
		const kind = chance(rng, 0.5) ? 'lane' : 'card';
		const targets = view.raw[kind === 'lane' ? 'lanes' : 'cards'];
		if (targets.length === 0) return null;
		const args = { id, kind, targetId: pick(rng, targets), linked: chance(rng, 0.7) } as const;
		return plan('linkObjective', args, () => linkObjective(doc, args));
	}
	if (chance(rng, 0.6)) {
		const roam = pick(rng, ROAM);
		const args = {
			id,
			roam,
			index: anyIndex(rng, 3),
			...(roam === 'owned' && chance(rng, 0.5) ? { owner: pick(rng, OWNERS) } : {})
		};
		return plan('moveRisk', args, () => moveRisk(doc, { ...args, rng }));
	}
	const args = { id, owner: pick(rng, OWNERS) };
	return plan('updateRisk', args, () => updateRisk(doc, args));
}

function planCreateDependency(doc: Y.Doc, ctx: FuzzContext, view: View): Plan {
	const { rng } = ctx;
	if (view.raw.cards.length < 2) return null;
	const args = {
		from: pick(rng, view.raw.cards),
		to: pick(rng, view.raw.cards),
		kind: pick(rng, DEPENDENCY_KINDS)
	};
	return plan('createDependency', args, () =>
		created(ctx, 'dependencies', createDependency(doc, args))
	);
}

function planCreateObjective(doc: Y.Doc, ctx: FuzzContext, view: View): Plan {
	if (view.programs.length === 0) return null;
	const args = {
		programId: pick(ctx.rng, view.programs),
		name: filler(ctx.rng, 2, 6),
		commitment: pick(ctx.rng, COMMITMENTS),
		planned: 1 + int(ctx.rng, 10),
		index: anyIndex(ctx.rng, 3)
	};
	return plan('createObjective', args, () =>
		created(ctx, 'objectives', createObjective(doc, { ...args, rng: ctx.rng }))
	);
}

function planCreateRisk(doc: Y.Doc, ctx: FuzzContext, view: View): Plan {
	const { rng } = ctx;
	const kind = pick(rng, ['program', 'lane', 'card'] as const);
	const pool =
		kind === 'program' ? view.raw.programs : kind === 'lane' ? view.raw.lanes : view.raw.cards;
	const args = {
		title: filler(rng, 2, 6),
		roam: pick(rng, ROAM),
		owner: pick(rng, OWNERS),
		threatens: pool.length && chance(rng, 0.7) ? { kind, id: pick(rng, pool) } : null,
		index: anyIndex(rng, 3)
	};
	return plan('createRisk', args, () => created(ctx, 'risks', createRisk(doc, { ...args, rng })));
}

function planCapacity(doc: Y.Doc, ctx: FuzzContext, view: View): Plan {
	const { rng } = ctx;
	if (view.raw.lanes.length === 0) return null;
	const args = {
		id: pick(rng, view.raw.lanes),
		capacity: chance(rng, 0.2) ? null : int(rng, 30),
		...(view.periods.length && chance(rng, 0.6) ? { periodId: pick(rng, view.periods) } : {})
	};
	return plan('setLaneCapacity', args, () => setLaneCapacity(doc, args));
}

function planTypingAnywhere(doc: Y.Doc, ctx: FuzzContext, view: View): Plan {
	const { rng } = ctx;
	if (chance(rng, 0.08)) return planTyping(doc, ctx, { key: 'title' });
	const name = weighted<Collection>(rng, {
		programs: 2,
		lanes: 4,
		periods: 1,
		cards: 4,
		dependencies: 0,
		objectives: 1,
		risks: 1
	});
	if (view.raw[name].length === 0) return null;
	const id = pick(rng, view.raw[name]);
	return planTyping(doc, ctx, placeOf(name, id, pick(rng, TEXT_FIELDS[name])));
}

// ---------------------------------------------------------------------------------------------
// Moves and deletes

function planMoveLane(
	doc: Y.Doc,
	ctx: FuzzContext,
	view: View,
	laneId: string,
	into?: string
): Plan {
	const { rng } = ctx;
	if (view.programs.length === 0) return null;
	const current = view.lanes.find((lane) => lane.id === laneId)?.pos.program;
	const programId =
		into ?? (current !== undefined && chance(rng, 0.5) ? current : pick(rng, view.programs));
	const args = { id: laneId, programId, index: anyIndex(rng, 4) };
	return plan('moveLane', args, () => moveLane(doc, { ...args, rng }));
}

function planMoveCard(
	doc: Y.Doc,
	ctx: FuzzContext,
	view: View,
	cardId: string,
	into: { periodId?: string } = {}
): Plan {
	const { rng } = ctx;
	if (view.lanes.length === 0 || view.periods.length === 0) return null;
	const args = {
		id: cardId,
		laneId: pick(rng, view.lanes).id,
		periodId: into.periodId ?? pick(rng, view.periods),
		index: anyIndex(rng, 3)
	};
	return plan('moveCard', args, () => moveCard(doc, { ...args, rng }));
}

function planMoveTop(doc: Y.Doc, ctx: FuzzContext, name: 'programs' | 'periods', id: string): Plan {
	const args = { id, index: anyIndex(ctx.rng, 4) };
	const move = name === 'programs' ? moveProgram : movePeriod;
	return plan(name === 'programs' ? 'moveProgram' : 'movePeriod', args, () =>
		move(doc, { ...args, rng: ctx.rng })
	);
}

function planDelete(doc: Y.Doc, name: Collection, id: string): Planned {
	const remove = {
		programs: deleteProgram,
		lanes: deleteLane,
		periods: deletePeriod,
		cards: deleteCard,
		dependencies: deleteDependency,
		objectives: deleteObjective,
		risks: deleteRisk
	}[name];
	return plan(`delete ${name}`, { id }, () => remove(doc, { id }));
}

// ---------------------------------------------------------------------------------------------
/**
 * Toggles a lock (structure, freeze or one program) as the relay does for a facilitator. The
 * peers are participants: from then on the model refuses their locked edits (a ModelError, a
 * legitimate refusal), and the locks map itself must converge like any other.
 */
function planLock(doc: Y.Doc, ctx: FuzzContext, view: ReturnType<typeof viewOf>): Plan {
	const locks = readLocks(doc);
	const set: LockTarget[] = [
		...(locks.structure ? [{ kind: 'structure' } as const] : []),
		...(locks.freeze ? [{ kind: 'freeze' } as const] : []),
		...Object.keys(locks.programs).map((id) => ({ kind: 'program', id }) as const)
	];
	const kind = weighted(ctx.rng, {
		structure: 2,
		freeze: 0.5,
		program: view.raw.programs.length ? 2 : 0
	});
	// Locks come off soon, as in a workshop, so edits race between them too.
	const target: LockTarget =
		set.length > 0 && chance(ctx.rng, 0.7)
			? pick(ctx.rng, set)
			: kind === 'program'
				? { kind, id: pick(ctx.rng, view.raw.programs) }
				: { kind };
	const on = target.kind === 'program' ? !locks.programs[target.id] : !locks[target.kind];
	const args = { target, on };
	return plan('lock', args, () =>
		writeLock(doc, { target, lock: on ? { by: 'Fuzz', at: 1 } : null, origin: 'relay' })
	);
}

// Checkpoints and restores

/**
 * The run's checkpoints, shared by every peer as the relay shares them: some peer's whole state at
 * an earlier step. Any peer may restore any of them, including one taken before it saw everything.
 */
const checkpoints = new WeakMap<FuzzContext, Uint8Array[]>();

/** Takes a checkpoint of `doc`, or restores the board, a program or a lane to an earlier one. */
function planCheckpointOrRestore(doc: Y.Doc, ctx: FuzzContext, view: View): Plan {
	const { rng } = ctx;
	const saved = checkpoints.get(ctx) ?? [];
	if (saved.length === 0 || chance(rng, 0.3)) {
		return plan('checkpoint', { at: saved.length }, () => {
			checkpoints.set(ctx, [...saved, Y.encodeStateAsUpdate(doc)]);
		});
	}
	const at = int(rng, saved.length);
	const from = new Y.Doc();
	Y.applyUpdate(from, saved[at]!);
	const ids = (name: 'programs' | 'lanes') => [
		...new Set([...from.getMap(name).keys(), ...view.raw[name]])
	];
	const kind = weighted(rng, { board: 1, program: 2, lane: 4 });
	const pool = kind === 'program' ? ids('programs') : ids('lanes');
	if (kind !== 'board' && pool.length === 0) return null;
	const scope = kind === 'board' ? { kind } : { kind, id: pick(rng, pool.sort()) };
	return plan('restoreCheckpoint', { at, scope }, () => {
		restoreCheckpoint(doc, { from, scope });
		ctx.oracle.restored(doc);
	});
}

// ---------------------------------------------------------------------------------------------
// Entry points

/** One random edit by `doc`'s peer, sized so boards stay small and collisions stay frequent. */
export function randomAction(doc: Y.Doc, ctx: FuzzContext): Plan {
	const { rng } = ctx;
	const view = viewOf(doc);
	const count = (name: Collection) => view.raw[name].length;
	const kind = weighted(rng, {
		createProgram: count('programs') < 3 ? 3 : 0.3,
		createLane: count('lanes') < 8 ? 5 : 0.5,
		createPeriod: count('periods') < 4 ? 3 : 0.3,
		createCard: count('cards') < 16 ? 6 : 0.6,
		update: 4,
		type: 14,
		moveProgram: 2,
		movePeriod: 2,
		moveLane: 6,
		moveCard: 7,
		delete: 2.5,
		createDependency: count('dependencies') < 12 ? 6 : 1,
		createObjective: count('objectives') < 4 ? 1.5 : 0.2,
		createRisk: count('risks') < 5 ? 1.5 : 0.2,
		capacity: 1.5,
		unit: 0.3,
		restore: 1,
		// A facilitator's lock, written as the relay writes it (only in the locks fuzz; last, so
		// the other seeds draw the same actions as before).
		lock: ctx.locks ? 3 : 0
	});
	switch (kind) {
		case 'createProgram':
			return planCreateProgram(doc, ctx, view);
		case 'createLane':
			return planCreateLane(doc, ctx, view);
		case 'createPeriod':
			return planCreatePeriod(doc, ctx, view);
		case 'createCard':
			return planCreateCard(doc, ctx, view);
		case 'createDependency':
			return planCreateDependency(doc, ctx, view);
		case 'createObjective':
			return planCreateObjective(doc, ctx, view);
		case 'createRisk':
			return planCreateRisk(doc, ctx, view);
		case 'capacity':
			return planCapacity(doc, ctx, view);
		case 'restore':
			return planCheckpointOrRestore(doc, ctx, view);
		case 'unit': {
			const args = { unit: pick(rng, ['points', 'days', 'weeks']) };
			return plan('setBoardUnit', args, () => setBoardUnit(doc, args));
		}
		case 'lock':
			return planLock(doc, ctx, view);
		case 'type':
			return planTypingAnywhere(doc, ctx, view);
		case 'moveProgram':
		case 'movePeriod': {
			const name = kind === 'moveProgram' ? 'programs' : 'periods';
			return count(name) ? planMoveTop(doc, ctx, name, pick(rng, view.raw[name])) : null;
		}
		case 'moveLane':
			return count('lanes') ? planMoveLane(doc, ctx, view, pick(rng, view.raw.lanes)) : null;
		case 'moveCard':
			return count('cards') ? planMoveCard(doc, ctx, view, pick(rng, view.raw.cards)) : null;
		case 'update':
		case 'delete': {
			const name =
				kind === 'update'
					? weighted<Collection>(rng, {
							programs: 1,
							lanes: 2,
							periods: 1,
							cards: 2,
							dependencies: 0.5,
							objectives: 2,
							risks: 2
						})
					: weighted<Collection>(rng, {
							programs: 0.5,
							lanes: 3,
							periods: 0.5,
							cards: 4,
							dependencies: 1,
							objectives: 0.5,
							risks: 0.5
						});
			if (!count(name)) return null;
			const id = pick(rng, view.raw[name]);
			return kind === 'update' ? planUpdate(doc, ctx, name, id) : planDelete(doc, name, id);
		}
	}
}

/**
 * An edit aimed at one record, for two peers to make at the same moment: moves of the same lane
 * or card, a delete racing a move or a create inside it, typing into the same field.
 */
export function actionOn(doc: Y.Doc, ctx: FuzzContext, name: Collection, id: string): Plan {
	const { rng } = ctx;
	const view = viewOf(doc);
	const typing = () => planTyping(doc, ctx, placeOf(name, id, pick(rng, TEXT_FIELDS[name])));
	switch (name) {
		case 'lanes':
			return pick(rng, [
				() => planMoveLane(doc, ctx, view, id),
				() => planMoveLane(doc, ctx, view, id),
				() => planDelete(doc, name, id),
				() => planCreateCard(doc, ctx, view, { laneId: id }),
				() =>
					view.raw.cards.length ? planMoveCard(doc, ctx, view, pick(rng, view.raw.cards)) : null,
				() => planUpdate(doc, ctx, name, id),
				typing,
				typing
			])();
		case 'cards':
			return pick(rng, [
				() => planMoveCard(doc, ctx, view, id),
				() => planMoveCard(doc, ctx, view, id),
				() => planDelete(doc, name, id),
				() => planUpdate(doc, ctx, name, id),
				typing,
				typing
			])();
		case 'programs':
			return pick(rng, [
				() => planMoveTop(doc, ctx, name, id),
				() => planDelete(doc, name, id),
				() => planCreateLane(doc, ctx, view, id),
				() =>
					view.raw.lanes.length
						? planMoveLane(doc, ctx, view, pick(rng, view.raw.lanes), id)
						: null,
				typing
			])();
		case 'periods':
			return pick(rng, [
				() => planMoveTop(doc, ctx, name, id),
				() => planDelete(doc, name, id),
				() =>
					view.raw.cards.length
						? planMoveCard(doc, ctx, view, pick(rng, view.raw.cards), { periodId: id })
						: null,
				() => planCreateCard(doc, ctx, view, { periodId: id }),
				() => planUpdate(doc, ctx, name, id),
				typing
			])();
		case 'dependencies':
			return pick(rng, [
				() => planDelete(doc, name, id),
				() => planUpdate(doc, ctx, name, id),
				() => {
					// Re-create the same pair: racing a delete or another create of it.
					const [from, to] = id.split('>') as [string, string];
					const args = { from, to, kind: pick(rng, DEPENDENCY_KINDS) };
					return plan('createDependency', args, () =>
						created(ctx, 'dependencies', createDependency(doc, args))
					);
				}
			])();
		case 'objectives':
		case 'risks':
			return pick(rng, [
				() => planDelete(doc, name, id),
				() => planUpdate(doc, ctx, name, id),
				() => planUpdate(doc, ctx, name, id),
				typing
			])();
	}
}
