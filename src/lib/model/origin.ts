/**
 * Every transaction the model runs is tagged with one of these origins. Undo tracks only
 * `local`; persistence and echo suppression look at it too. Updates that arrive from the
 * network carry the provider (or relay connection) as origin instead, never one of these.
 */
export type Origin = 'local' | 'migration' | 'seed' | 'restore' | 'import';

export const LOCAL: Origin = 'local';
