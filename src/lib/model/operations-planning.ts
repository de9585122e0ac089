/**
 * Writes for planning: dependencies between cards and lane capacity. Estimates and owners are
 * card fields (updateCard); the unit is a board setting (setBoardUnit).
 */
import { guardEdit } from './locks.ts';
import * as Y from 'yjs';
import { collection } from './doc.ts';
import { ModelError } from './errors.ts';
import { checkFields, keyOf } from './records/define.ts';
import { DependencyType, dependencyId, type DependencyKind } from './records/dependency.ts';
import { LaneType } from './records/lane.ts';
import { applyFields, newRecord, recordOf, transact, type TxOptions } from './write.ts';

/**
 * "Card `to` needs card `from` first." Creating one that exists only updates its kind: the id
 * comes from the endpoints, so two people creating it at once end with one. Returns its id.
 */
export function createDependency(
	doc: Y.Doc,
	opts: TxOptions & { from: string; to: string; kind?: DependencyKind }
): string {
	if (opts.from === opts.to) throw new ModelError('invalid', 'a card cannot depend on itself');
	const fields = checkFields(DependencyType, { kind: opts.kind });
	const id = dependencyId(opts.from, opts.to);
	return transact(doc, opts, () => {
		recordOf(doc, 'cards', 'Card', opts.from);
		recordOf(doc, 'cards', 'Card', opts.to);
		const existing = collection(doc, 'dependencies').get(id);
		if (existing instanceof Y.Map) {
			applyFields(existing, fields);
		} else {
			const kind = fields.kind ?? DependencyType.fields.kind.fallback;
			collection(doc, 'dependencies').set(
				id,
				newRecord({}, { kind }, { from: opts.from, to: opts.to })
			);
		}
		return id;
	});
}

export function updateDependency(
	doc: Y.Doc,
	opts: TxOptions & { id: string; kind: DependencyKind }
): void {
	const fields = checkFields(DependencyType, { kind: opts.kind });
	transact(doc, opts, () =>
		applyFields(recordOf(doc, 'dependencies', 'Dependency', opts.id), fields)
	);
}

/** Removes a dependency, including one set aside because a card of it was deleted. */
export function deleteDependency(doc: Y.Doc, opts: TxOptions & { id: string }): void {
	transact(doc, opts, () => {
		recordOf(doc, 'dependencies', 'Dependency', opts.id);
		collection(doc, 'dependencies').delete(opts.id);
	});
}

/**
 * A lane's capacity in the board's unit. Without `periodId`: one value for every period (the
 * per-period overrides are cleared, so every period then reads `capacity`). With it: that
 * period's override; null removes the override, so the period falls back to the lane's value.
 */
export function setLaneCapacity(
	doc: Y.Doc,
	opts: TxOptions & { id: string; capacity: number | null; periodId?: string }
): void {
	guardEdit(doc, { kind: 'lane', id: opts.id });
	const { capacity } = checkFields(LaneType, { capacity: opts.capacity });
	const value = capacity ?? null;
	transact(doc, opts, () => {
		const map = recordOf(doc, 'lanes', 'Lane', opts.id);
		if (opts.periodId === undefined) {
			map.set('capacity', value);
			for (const key of [...map.keys()]) if (key.startsWith('periodCapacity/')) map.delete(key);
			return;
		}
		recordOf(doc, 'periods', 'Period', opts.periodId);
		const key = keyOf('periodCapacity', opts.periodId);
		if (value === null) map.delete(key);
		else map.set(key, value);
	});
}
