/**
 * Railyard's document model: the one place that knows how a board is laid out in a Y.Doc.
 * Framework-free and IO-free; the UI, the relay and the tests all import it from here.
 */
export { COLLECTIONS, type Collection } from './doc.ts';
export { ModelError, type ModelErrorCode } from './errors.ts';
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
export * from './operations-planning.ts';
export * from './operations-objectives.ts';
export * from './operations-risks.ts';
export * from './planning.ts';
export {
	previewMove,
	planIndex,
	type PlanIndex,
	type PlannedMove,
	type Preview
} from './preview.ts';
export {
	boardTitle,
	boardUnit,
	readBoard,
	schemaVersionOf,
	type BoardSnapshot,
	type DependencyView,
	type LaneView,
	type ObjectiveView,
	type OrphanCard,
	type OrphanDependency,
	type OrphanLane,
	type ProgramView,
	type RiskView
} from './snapshot.ts';
export { restoreCheckpoint, RESTORE, type RestoreScope, type RestoreSummary } from './restore.ts';
export { positionWriterOf, writerOf } from './attribution.ts';
export {
	diffBoards,
	type BoardDiff,
	type Cell,
	type Change,
	type ChangeGroup,
	type ItemType
} from './diff.ts';
export { SnapshotReader } from './snapshot-reader.ts';
export { sharedText, spliceText, type Splice, type TextTarget } from './text.ts';
export { seedSampleBoard } from './sample.ts';
export { CARD_KINDS, type Card, type CardKind } from './records/card.ts';
export { HEALTH, type Health, type Lane } from './records/lane.ts';
export { type Period } from './records/period.ts';
export { PROGRAM_COLORS, type Program } from './records/program.ts';
export {
	DEPENDENCY_KINDS,
	dependencyId,
	type Dependency,
	type DependencyKind
} from './records/dependency.ts';
export {
	COMMITMENTS,
	LINK_KINDS,
	type Commitment,
	type LinkKind,
	type Objective
} from './records/objective.ts';
export {
	ROAM,
	THREAT_KINDS,
	type Risk,
	type Roam,
	type Threat,
	type ThreatKind
} from './records/risk.ts';
export { limits, RECORD_TYPES } from './records/index.ts';
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
