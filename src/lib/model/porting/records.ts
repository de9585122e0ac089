/**
 * The record types the board file carries: the model's own list (records/index.ts), so a record
 * type added to the model is exported, validated and imported with no change here. The
 * `satisfies` makes a collection without a record type a type error.
 */
import type { Collection } from '../doc.ts';
import type { RecordType } from '../records/define.ts';
import { RECORD_TYPES as MODEL_RECORD_TYPES } from '../records/index.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRecordType = RecordType<string, any, any, any>;

export const RECORD_TYPES = MODEL_RECORD_TYPES satisfies Record<Collection, AnyRecordType>;
