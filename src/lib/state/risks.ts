/**
 * What the board shows about risks besides the ROAM columns themselves: the count of risks not
 * yet roamed on each program, lane and card (a program counts its lanes' and cards' risks too,
 * a lane its cards'), the ROAM view filtered to one of them, and the view's address (a hash, so
 * the facilitator's projector can be pointed at it and Back closes it). Pure, built once per
 * snapshot.
 */
import {
	ROAM,
	type BoardSnapshot,
	type RiskView,
	type Roam,
	type Threat
} from '$lib/model/index.ts';
import type { MenuEntry } from './menu-entry.ts';
import type { BoardUi } from './ui.svelte.ts';

export type ThreatRef = NonNullable<Threat>;

const keyOf = (ref: ThreatRef) => `${ref.kind}:${ref.id}`;

/** Built when the ROAM view or the risk form needs it, not for the badges. */
interface RiskIndex {
	/** Each item's key with its ancestors' (card → lane → program). */
	chain: Map<string, string[]>;
	names: Map<string, string>;
}

const indexes = new WeakMap<BoardSnapshot, RiskIndex>();

function indexOf(snapshot: BoardSnapshot): RiskIndex {
	const cached = indexes.get(snapshot);
	if (cached) return cached;
	const chain = new Map<string, string[]>();
	const names = new Map<string, string>();
	for (const program of snapshot.programs) {
		const p = `program:${program.id}`;
		chain.set(p, [p]);
		names.set(p, `Program ${program.name || 'Untitled program'}`);
		for (const lane of program.lanes) {
			const l = `lane:${lane.id}`;
			chain.set(l, [l, p]);
			names.set(l, `Lane ${lane.name || 'Untitled lane'}`);
			for (const cards of Object.values(lane.cells)) {
				for (const card of cards) {
					const c = `card:${card.id}`;
					chain.set(c, [c, l, p]);
					names.set(c, `Card ${card.title || 'Untitled card'}`);
				}
			}
		}
	}
	const index = { chain, names };
	indexes.set(snapshot, index);
	return index;
}

const counts = new WeakMap<BoardSnapshot, ReadonlyMap<string, number>>();
const NO_COUNTS: ReadonlyMap<string, number> = new Map();

/**
 * Per item key (`lane:<id>`), the risks not yet roamed on it and on what it holds; none: absent.
 * Built on every snapshot for the badges, so it walks the board without allocating per card and
 * finds only the items the risks name (the full index is for the ROAM view).
 */
export function unroamedCounts(snapshot: BoardSnapshot): ReadonlyMap<string, number> {
	const cached = counts.get(snapshot);
	if (cached) return cached;
	const wanted = new Map<string, number>();
	// Cards by bare id: the walk below looks 5,000 of them up without building a key for each.
	const cards = new Map<string, number>();
	for (const risk of snapshot.risks.new) {
		if (!risk.threatens) continue;
		const map = risk.threatens.kind === 'card' ? cards : wanted;
		const key = risk.threatens.kind === 'card' ? risk.threatens.id : keyOf(risk.threatens);
		map.set(key, (map.get(key) ?? 0) + 1);
	}
	const any = wanted.size + cards.size > 0;
	const out = any ? new Map<string, number>() : NO_COUNTS;
	const add = (keys: string[], n: number) => {
		for (const key of keys) (out as Map<string, number>).set(key, (out.get(key) ?? 0) + n);
	};
	if (any) {
		for (const program of snapshot.programs) {
			const p = `program:${program.id}`;
			add([p], wanted.get(p) ?? 0);
			for (const lane of program.lanes) {
				const l = `lane:${lane.id}`;
				add([l, p], wanted.get(l) ?? 0);
				for (const cell of Object.values(lane.cells)) {
					for (const card of cell) {
						const n = cards.get(card.id);
						if (n) add([`card:${card.id}`, l, p], n);
					}
				}
			}
		}
		for (const [key, n] of out) if (n === 0) (out as Map<string, number>).delete(key);
	}
	counts.set(snapshot, out);
	return out;
}

/** Risks not yet roamed that threaten the item or anything in it. */
export function unroamedCount(snapshot: BoardSnapshot, ref: ThreatRef): number {
	return unroamedCounts(snapshot).get(keyOf(ref)) ?? 0;
}

/** "Lane Billing platform migration"; null for a risk on the whole board or on something gone. */
export function threatName(snapshot: BoardSnapshot, ref: Threat): string | null {
	return ref ? (indexOf(snapshot).names.get(keyOf(ref)) ?? null) : null;
}

/** Whether a risk threatens `filter` or something in it (a card of a filtered lane, say). */
export function threatensWithin(snapshot: BoardSnapshot, risk: RiskView, filter: ThreatRef) {
	if (!risk.threatens) return false;
	return (indexOf(snapshot).chain.get(keyOf(risk.threatens)) ?? []).includes(keyOf(filter));
}

/** The ROAM columns, only the risks within `filter` when there is one. */
export function roamColumns(
	snapshot: BoardSnapshot,
	filter: ThreatRef | null
): Record<Roam, RiskView[]> {
	if (!filter) return snapshot.risks;
	return Object.fromEntries(
		ROAM.map((roam) => [
			roam,
			snapshot.risks[roam].filter((risk) => threatensWithin(snapshot, risk, filter))
		])
	) as Record<Roam, RiskView[]>;
}

/** Everything a risk can threaten, for the "Threatens" choice: programs, lanes, cards. */
export function threatChoices(snapshot: BoardSnapshot): { ref: ThreatRef; label: string }[] {
	const { names } = indexOf(snapshot);
	return [...names].map(([key, label]) => {
		const split = key.indexOf(':');
		const kind = key.slice(0, split) as ThreatRef['kind'];
		return { ref: { kind, id: key.slice(split + 1) }, label };
	});
}

// ---------------------------------------------------------------------------------------------
// The view's address: `#risks`, or `#risks=lane:<id>` filtered to one item.

const PREFIX = '#risks';
const KINDS = new Set(['program', 'lane', 'card']);

/** The view's fragment without its `#`, for `href="#{roamFragment(…)}"`. */
export function roamFragment(filter: ThreatRef | null = null): string {
	return (filter ? `${PREFIX}=${filter.kind}:${encodeURIComponent(filter.id)}` : PREFIX).slice(1);
}

export function parseRoamHash(hash: string): { open: boolean; filter: ThreatRef | null } {
	if (hash !== PREFIX && !hash.startsWith(`${PREFIX}=`)) return { open: false, filter: null };
	const value = hash.slice(PREFIX.length + 1);
	const split = value.indexOf(':');
	const kind = value.slice(0, split);
	if (split < 1 || !KINDS.has(kind)) return { open: true, filter: null };
	try {
		const id = decodeURIComponent(value.slice(split + 1));
		return { open: true, filter: id ? { kind: kind as ThreatRef['kind'], id } : null };
	} catch {
		return { open: true, filter: null };
	}
}

/** "Add risk…" in an item's ⋯ menu: the risk form, already aimed at the item. */
export function riskEntries(ui: BoardUi, threatens: ThreatRef): MenuEntry[] {
	return [
		{
			label: 'Add risk…',
			group: 'Risks',
			onselect: () => ui.roam.openForm({ riskId: null, threatens })
		}
	];
}
