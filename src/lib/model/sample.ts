/**
 * A realistic sample board, so a newcomer sees a working plan at once: programs with scored
 * objectives, five project lanes at different health with capacities, four quarters,
 * estimated deliverables and milestones spread across them, dependencies (one of them blocked)
 * and two risks.
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
import { createObjective } from './operations-objectives.ts';
import { createDependency, setLaneCapacity } from './operations-planning.ts';
import { createRisk } from './operations-risks.ts';
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

/** Estimates in points, dealt round the deliverables; a milestone is 1. */
const ESTIMATES = [3, 5, 8, 2, 5, 13, 3];

/** [prerequisite, dependent] by card title; the last is planned the wrong way round. */
const DEPENDENCIES: [string, string][] = [
	['Data mapping signed off', 'Card payments live'],
	['Dual-write period', 'MRR dashboard'],
	['Reconciliation reports', 'Legacy billing switched off'],
	['Activation checklist', 'Sample workspace']
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
		createObjective(doc, {
			...tx,
			programId: program,
			name: 'Double self-serve revenue to €4M ARR',
			planned: 8
		});
		createObjective(doc, {
			...tx,
			programId: program,
			name: 'Cut cost of sale by 30%',
			planned: 5
		});
		createObjective(doc, {
			...tx,
			programId: program,
			name: 'Annual plans for every customer',
			commitment: 'stretch',
			planned: 3
		});
		createObjective(doc, {
			...tx,
			programId: platform,
			name: '99.95% monthly availability',
			planned: 9
		});
		const cardIds = new Map<string, string>();
		const laneIds: string[] = [];
		let dealt = 0;
		for (const lane of LANES) {
			const laneId = createLane(doc, { ...tx, programId: program, ...lane });
			laneIds.push(laneId);
			setLaneCapacity(doc, { ...tx, id: laneId, capacity: 12 });
			for (const [quarter, title, kind, done] of lane.cards) {
				const estimate =
					kind === 'milestone' ? 1 : (ESTIMATES[dealt++ % ESTIMATES.length] as number);
				const periodId = periods[quarter] as string;
				const id = createCard(doc, { ...tx, laneId, periodId, title, kind, done, estimate });
				cardIds.set(title, id);
			}
		}
		// Billing has less room while it runs two systems at once.
		setLaneCapacity(doc, { ...tx, id: laneIds[1] as string, capacity: 8, periodId: periods[1] });
		for (const [from, to] of DEPENDENCIES) {
			createDependency(doc, { ...tx, from: cardIds.get(from)!, to: cardIds.get(to)! });
		}
		createRisk(doc, {
			...tx,
			title: 'Payment provider contract not signed',
			threatens: { kind: 'lane', id: laneIds[0] as string }
		});
		createRisk(doc, {
			...tx,
			title: 'Legacy billing data quality unknown',
			owner: 'Kwame Mensah',
			roam: 'owned',
			threatens: { kind: 'lane', id: laneIds[1] as string }
		});
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
			kind: 'milestone',
			estimate: 1
		});
		createCard(doc, {
			...tx,
			laneId: sre,
			periodId: periods[1] as string,
			title: 'Tracing in checkout & billing',
			estimate: 8
		});
		setLaneCapacity(doc, { ...tx, id: sre, capacity: 6 });
	}, 'seed');
}
