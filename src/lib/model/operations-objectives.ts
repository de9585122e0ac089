/**
 * Writes for program objectives: ordered within their program by the same single-write move
 * as lanes, with links to the lanes and cards that deliver them.
 */
import { guardEdit } from './locks.ts';
import type * as Y from 'yjs';
import { collection } from './doc.ts';
import { rankAt } from './order.ts';
import { checkFields, checkTexts, defaults, keyOf } from './records/define.ts';
import { ObjectiveType, type LinkKind, type Objective } from './records/objective.ts';
import {
	allTexts,
	end,
	idFor,
	moveIntoProgram,
	newRecord,
	recordOf,
	siblings,
	transact,
	updateRecord,
	type TxOptions
} from './write.ts';

const WHERE = { name: 'objectives', label: 'Objective' } as const;

export type ObjectiveFields = Partial<
	Pick<Objective, 'name' | 'description' | 'commitment' | 'planned' | 'actual'>
>;

function scalars(opts: ObjectiveFields) {
	return { commitment: opts.commitment, planned: opts.planned, actual: opts.actual };
}

export function createObjective(
	doc: Y.Doc,
	opts: TxOptions & ObjectiveFields & { programId: string; id?: string; index?: number }
): string {
	guardEdit(doc, { kind: 'program', id: opts.programId });
	const texts = allTexts(ObjectiveType, checkTexts(ObjectiveType, opts));
	const fields = { ...defaults(ObjectiveType), ...checkFields(ObjectiveType, scalars(opts)) };
	return transact(doc, opts, () => {
		recordOf(doc, 'programs', 'Program', opts.programId);
		const peers = siblings(doc, 'objectives', ObjectiveType, (p) => p.program === opts.programId);
		const rank = rankAt(peers, end(peers, opts.index), opts.rng);
		const id = idFor(doc, 'objectives', ObjectiveType.name, opts);
		collection(doc, 'objectives').set(
			id,
			newRecord(texts, fields, { program: opts.programId, rank })
		);
		return id;
	});
}

export function updateObjective(
	doc: Y.Doc,
	opts: TxOptions & ObjectiveFields & { id: string }
): void {
	guardEdit(doc, { kind: 'objective', id: opts.id });
	const texts = checkTexts(ObjectiveType, { name: opts.name, description: opts.description });
	const fields = checkFields(ObjectiveType, scalars(opts));
	updateRecord(doc, opts, WHERE, { texts, fields });
}

/** Put an objective at `index` of `programId`'s list (its own or another). One write. */
export function moveObjective(
	doc: Y.Doc,
	opts: TxOptions & { id: string; programId: string; index: number }
): void {
	guardEdit(doc, { kind: 'objective', id: opts.id }, { kind: 'program', id: opts.programId });
	moveIntoProgram(doc, opts, { ...WHERE, type: ObjectiveType });
}

/** Link (or unlink) a lane or card that delivers the objective. One key per link. */
export function linkObjective(
	doc: Y.Doc,
	opts: TxOptions & { id: string; kind: LinkKind; targetId: string; linked: boolean }
): void {
	guardEdit(doc, { kind: 'objective', id: opts.id });
	transact(doc, opts, () => {
		const map = recordOf(doc, 'objectives', 'Objective', opts.id);
		const key = keyOf('link', opts.targetId);
		if (!opts.linked) {
			map.delete(key);
			return;
		}
		if (opts.kind === 'lane') recordOf(doc, 'lanes', 'Lane', opts.targetId);
		else recordOf(doc, 'cards', 'Card', opts.targetId);
		map.set(key, opts.kind);
	});
}

export function deleteObjective(doc: Y.Doc, opts: TxOptions & { id: string }): void {
	guardEdit(doc, { kind: 'objective', id: opts.id });
	transact(doc, opts, () => {
		recordOf(doc, 'objectives', 'Objective', opts.id);
		collection(doc, 'objectives').delete(opts.id);
	});
}
