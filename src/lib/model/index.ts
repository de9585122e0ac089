/**
 * Railyard's document model: the one place that knows how a board is laid out in a Y.Doc.
 * Framework-free and IO-free; the UI, the relay and the tests all import it from here.
 */
export { COLLECTIONS, type Collection } from './doc.ts';
export { ModelError } from './errors.ts';
export { compareRanked, isRank, rankAt, rankBetween, type Ranked, type Rng } from './order.ts';
export { LOCAL, type Origin } from './origin.ts';
export {
	migrate,
	MIGRATIONS,
	SCHEMA_VERSION,
	type Migration,
	type MigrationResult
} from './migrations.ts';
export * from './operations.ts';
export {
	boardTitle,
	readBoard,
	schemaVersionOf,
	type BoardSnapshot,
	type LaneView,
	type OrphanCard,
	type OrphanLane,
	type ProgramView
} from './snapshot.ts';
export { SnapshotReader } from './snapshot-reader.ts';
export { sharedText, spliceText, type Splice, type TextTarget } from './text.ts';
export { seedSampleBoard } from './sample.ts';
export { CARD_KINDS, type Card, type CardKind } from './records/card.ts';
export { HEALTH, type Health, type Lane } from './records/lane.ts';
export { type Period } from './records/period.ts';
export { PROGRAM_COLORS, type Program } from './records/program.ts';
export {
	EMPTY_PRESENCE,
	PRESENCE_FIELDS,
	PRESENCE_KINDS,
	readPresence,
	VIEWER_FIELDS,
	viewerPresence,
	type Presence,
	type PresenceField,
	type PresenceKind,
	type PresenceTarget
} from './presence.ts';
