/**
 * Every record type, by the collection that holds it: the one list the import and export code
 * walks, so a new record type is exported, validated and imported by adding it here. The
 * `satisfies` makes forgetting it a type error once it is in COLLECTIONS.
 */
import type { Collection } from '../doc.ts';
import type { RecordType } from '../records/define.ts';
import { CardType } from '../records/card.ts';
import { LaneType } from '../records/lane.ts';
import { PeriodType } from '../records/period.ts';
import { ProgramType } from '../records/program.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRecordType = RecordType<string, any, any>;

export const RECORD_TYPES = {
	programs: ProgramType,
	lanes: LaneType,
	periods: PeriodType,
	cards: CardType
} satisfies Record<Collection, AnyRecordType>;
