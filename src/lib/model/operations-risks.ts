/**
 * Writes for risks and their ROAM state. A risk's column and its rank in it are one value, so
 * moving it between columns is one write. Owned needs an owner: the model refuses the write
 * (code `needs-owner`) rather than store an owned risk nobody owns.
 */
import * as Y from 'yjs';
import * as v from 'valibot';
import { collection } from './doc.ts';
import { ModelError } from './errors.ts';
import { compareRanked, rankAt, type Ranked } from './order.ts';
import { checkFields, checkTexts, defaults } from './records/define.ts';
import { ROAM, RiskType, type Risk, type Roam, type Threat } from './records/risk.ts';
import {
	allTexts,
	end,
	idFor,
	newRecord,
	recordOf,
	transact,
	updateRecord,
	type TxOptions
} from './write.ts';

export type RiskFields = Partial<Pick<Risk, 'title' | 'description' | 'owner' | 'threatens'>>;

const LABELS = { program: 'Program', lane: 'Lane', card: 'Card' } as const;
const HOMES = { program: 'programs', lane: 'lanes', card: 'cards' } as const;

function checkThreat(doc: Y.Doc, threat: Threat | undefined): void {
	if (!threat) return;
	recordOf(doc, HOMES[threat.kind], LABELS[threat.kind], threat.id);
}

function needsOwner(roam: Roam, owner: string): void {
	if (roam === 'owned' && owner.trim() === '') {
		throw new ModelError('needs-owner', 'a risk can only be Owned by someone: give it an owner');
	}
}

function storedOwner(map: Y.Map<unknown>): string {
	const parsed = v.safeParse(RiskType.fields.owner.schema, map.get('owner'));
	return parsed.success ? parsed.output : '';
}

function storedRoam(map: Y.Map<unknown>): Roam | null {
	const parsed = v.safeParse(RiskType.pos, map.get('pos'));
	return parsed.success ? parsed.output.roam : null;
}

/**
 * The risks a column shows, in order, as a move's index counts them: an Owned one without an
 * owner shows (and so counts) as not roamed, like the snapshot places it.
 */
function shownIn(doc: Y.Doc, roam: Roam, exclude?: string): Ranked[] {
	const out: Ranked[] = [];
	for (const [id, value] of collection(doc, 'risks').entries()) {
		if (id === exclude || !(value instanceof Y.Map)) continue;
		const pos = v.safeParse(RiskType.pos, value.get('pos'));
		if (!pos.success) continue;
		const ownerless = pos.output.roam === 'owned' && storedOwner(value).trim() === '';
		if ((ownerless ? 'new' : pos.output.roam) === roam) out.push({ id, rank: pos.output.rank });
	}
	return out.sort(compareRanked);
}

function scalars(opts: RiskFields) {
	const owner = opts.owner === undefined ? undefined : opts.owner.trim();
	return { owner, threatens: opts.threatens };
}

export function createRisk(
	doc: Y.Doc,
	opts: TxOptions & RiskFields & { roam?: Roam; id?: string; index?: number }
): string {
	const texts = allTexts(RiskType, checkTexts(RiskType, opts));
	const fields = { ...defaults(RiskType), ...checkFields(RiskType, scalars(opts)) };
	const roam = opts.roam ?? 'new';
	needsOwner(roam, fields.owner);
	return transact(doc, opts, () => {
		checkThreat(doc, fields.threatens);
		const peers = shownIn(doc, roam);
		const rank = rankAt(peers, end(peers, opts.index), opts.rng);
		const id = idFor(doc, 'risks', RiskType.name, opts);
		collection(doc, 'risks').set(id, newRecord(texts, fields, { roam, rank }));
		return id;
	});
}

/** Edits a risk. Clearing the owner of an Owned risk is refused (`needs-owner`). */
export function updateRisk(doc: Y.Doc, opts: TxOptions & RiskFields & { id: string }): void {
	const texts = checkTexts(RiskType, { title: opts.title, description: opts.description });
	const fields = checkFields(RiskType, scalars(opts));
	updateRecord(doc, opts, { name: 'risks', label: 'Risk' }, { texts, fields }, (map) => {
		const roam = storedRoam(map);
		if (fields.owner !== undefined && roam) needsOwner(roam, fields.owner);
		checkThreat(doc, fields.threatens ?? undefined);
	});
}

/**
 * Put a risk at `index` of a ROAM column. Moving to Owned needs an owner: the stored one, or
 * `owner` given here, which is written in the same transaction.
 */
export function moveRisk(
	doc: Y.Doc,
	opts: TxOptions & { id: string; roam: Roam; index: number; owner?: string }
): void {
	const given = opts.owner === undefined ? undefined : checkFields(RiskType, scalars(opts)).owner;
	const roam = opts.roam;
	if (!ROAM.includes(roam)) throw new ModelError('invalid', `no ROAM state "${String(roam)}"`);
	transact(doc, opts, () => {
		const map = recordOf(doc, 'risks', 'Risk', opts.id);
		needsOwner(roam, given ?? storedOwner(map));
		const peers = shownIn(doc, roam, opts.id);
		if (given !== undefined) map.set('owner', given);
		map.set('pos', { roam, rank: rankAt(peers, opts.index, opts.rng) });
	});
}

export function deleteRisk(doc: Y.Doc, opts: TxOptions & { id: string }): void {
	transact(doc, opts, () => {
		recordOf(doc, 'risks', 'Risk', opts.id);
		collection(doc, 'risks').delete(opts.id);
	});
}
