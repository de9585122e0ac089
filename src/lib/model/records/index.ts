/**
 * Every record type, and the limits components read for `maxlength` (`limits.card.title`).
 */
import { limitsOf } from './define.ts';
import { BoardType } from './board.ts';
import { CardType } from './card.ts';
import { DependencyType } from './dependency.ts';
import { LaneType } from './lane.ts';
import { ObjectiveType } from './objective.ts';
import { PeriodType } from './period.ts';
import { ProgramType } from './program.ts';
import { RiskType } from './risk.ts';

/** Each collection of the doc and the record type it holds. */
export const RECORD_TYPES = {
	programs: ProgramType,
	lanes: LaneType,
	periods: PeriodType,
	cards: CardType,
	dependencies: DependencyType,
	objectives: ObjectiveType,
	risks: RiskType
} as const;

/** Longest value each text and short string accepts, by record type and field. */
export const limits = {
	board: limitsOf(BoardType),
	program: limitsOf(ProgramType),
	lane: limitsOf(LaneType),
	period: limitsOf(PeriodType),
	card: limitsOf(CardType),
	objective: limitsOf(ObjectiveType),
	risk: limitsOf(RiskType)
} as const;
