/**
 * A realistic sample board, so a newcomer sees a working plan at once: one program with a real
 * objective, five project lanes at different health, four quarters, and deliverables and
 * milestones spread across them.
 */
import type * as Y from 'yjs';
import type { Rng } from './order.ts';
import {
	createCard,
	createLane,
	createPeriod,
	createProgram,
	setBoardTitle
} from './operations.ts';
import { migrate } from './migrations.ts';
import type { CardKind } from './records/card.ts';
import type { Health } from './records/lane.ts';

interface SampleLane {
	name: string;
	manager: string;
	health: Health;
	progress: number;
	scope: string;
	cards: [quarter: number, title: string, kind?: CardKind, done?: boolean][];
}

const LANES: SampleLane[] = [
	{
		name: 'Self-serve checkout',
		manager: 'Ana Ruiz',
		health: 'on-track',
		progress: 55,
		scope: 'Replace the sales-assisted order form with a checkout customers finish on their own.',
		cards: [
			[0, 'Checkout UX research', 'deliverable', true],
			[0, 'Pricing page redesign', 'deliverable', true],
			[1, 'Card payments live', 'milestone'],
			[1, 'Invoice & VAT handling'],
			[2, 'Annual plans'],
			[3, 'Checkout conversion review', 'milestone']
		]
	},
	{
		name: 'Billing platform migration',
		manager: 'Kwame Mensah',
		health: 'at-risk',
		progress: 30,
		scope:
			'Move subscriptions and invoices off the legacy billing system without double-charging anyone.',
		cards: [
			[0, 'Data mapping signed off', 'milestone', true],
			[1, 'Dual-write period'],
			[1, 'Reconciliation reports'],
			[2, 'Legacy billing switched off', 'milestone']
		]
	},
	{
		name: 'Onboarding journey',
		manager: 'Mei Chen',
		health: 'on-track',
		progress: 70,
		scope:
			'First-week experience: guided setup, sample data, and a checklist that gets teams to value.',
		cards: [
			[0, 'Setup wizard', 'deliverable', true],
			[1, 'Sample workspace'],
			[2, 'Activation checklist'],
			[2, 'Onboarding NPS ≥ 40', 'milestone']
		]
	},
	{
		name: 'Partner API',
		manager: 'Jonas Weber',
		health: 'off-track',
		progress: 15,
		scope: 'Public REST API and webhooks so resellers can provision accounts.',
		cards: [
			[1, 'API design review', 'milestone'],
			[2, 'Provisioning endpoints'],
			[2, 'Webhooks'],
			[3, 'First partner live', 'milestone']
		]
	},
	{
		name: 'Revenue analytics',
		manager: 'Priya Nair',
		health: 'on-track',
		progress: 40,
		scope: 'One trusted dashboard for MRR, churn and expansion, fed from the new billing platform.',
		cards: [
			[0, 'Metric definitions', 'deliverable', true],
			[1, 'MRR dashboard'],
			[3, 'Churn forecasting']
		]
	}
];

const QUARTERS: [name: string, start: string, end: string][] = [
	['Q1 2027', '2027-01-01', '2027-03-31'],
	['Q2 2027', '2027-04-01', '2027-06-30'],
	['Q3 2027', '2027-07-01', '2027-09-30'],
	['Q4 2027', '2027-10-01', '2027-12-31']
];

export function seedSampleBoard(doc: Y.Doc, opts: { title?: string; rng?: Rng } = {}): void {
	const tx = { origin: 'seed' as const, rng: opts.rng };
	migrate(doc);
	doc.transact(() => {
		setBoardTitle(doc, { ...tx, title: opts.title ?? 'Growth plan 2027' });
		const periods = QUARTERS.map(([name, start, end]) =>
			createPeriod(doc, { ...tx, name, start, end })
		);
		const program = createProgram(doc, {
			...tx,
			name: 'Self-serve growth',
			objective:
				'Double self-serve revenue to €4M ARR by the end of 2027 while cutting cost of sale by 30%.',
			manager: 'Sofia Lindqvist'
		});
		const platform = createProgram(doc, {
			...tx,
			name: 'Platform reliability',
			objective: '99.95% monthly availability and no customer-visible data incidents in 2027.',
			manager: 'Daniel Okafor'
		});
		for (const lane of LANES) {
			const laneId = createLane(doc, { ...tx, programId: program, ...lane });
			for (const [quarter, title, kind, done] of lane.cards) {
				createCard(doc, { ...tx, laneId, periodId: periods[quarter] as string, title, kind, done });
			}
		}
		const sre = createLane(doc, {
			...tx,
			programId: platform,
			name: 'Observability rollout',
			manager: 'Lena Novak',
			health: 'at-risk',
			progress: 25,
			scope: 'Tracing and SLO alerting for every customer-facing service.'
		});
		createCard(doc, {
			...tx,
			laneId: sre,
			periodId: periods[0] as string,
			title: 'SLOs defined',
			kind: 'milestone'
		});
		createCard(doc, {
			...tx,
			laneId: sre,
			periodId: periods[1] as string,
			title: 'Tracing in checkout & billing'
		});
	}, 'seed');
}
