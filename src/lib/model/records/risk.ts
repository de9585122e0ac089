import * as v from 'valibot';
import { defineRecord, Id, Rank, shortText, type Infer } from './define.ts';

/** `new` is "not yet roamed"; the other four are ROAM. */
export const ROAM = ['new', 'resolved', 'owned', 'accepted', 'mitigated'] as const;
export type Roam = (typeof ROAM)[number];

export const THREAT_KINDS = ['program', 'lane', 'card'] as const;
export type ThreatKind = (typeof THREAT_KINDS)[number];

export const Threat = v.nullable(v.object({ kind: v.picklist(THREAT_KINDS), id: Id }));
export type Threat = v.InferOutput<typeof Threat>;

/**
 * A risk, walked through ROAM. Its column and its rank in that column are one value, so a move
 * between columns is one write, like a card's move between cells.
 */
export const RiskType = defineRecord({
	name: 'risk',
	texts: { title: 300, description: 2000 },
	fields: {
		owner: shortText(120),
		threatens: { schema: Threat, fallback: null as Threat }
	},
	pos: v.object({ roam: v.picklist(ROAM), rank: Rank })
});

export type Risk = Infer<typeof RiskType>;
