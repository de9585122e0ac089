/**
 * Structural sharing between two snapshots. readBoard builds every object afresh, so without
 * this each change would hand Svelte 300 new lanes and 5,000 new cards and every row would
 * re-render. After reconcile, whatever did not change is the very object the UI already has:
 * keyed {#each} blocks and props compare by identity and leave those rows alone.
 */

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
	const proto = Object.getPrototypeOf(value);
	return proto === Object.prototype || proto === null;
}

function idOf(value: unknown): string | undefined {
	return isPlain(value) && typeof value.id === 'string' ? value.id : undefined;
}

function reconcileArray(prev: unknown[], next: unknown[]): unknown[] {
	// Records are matched by id, not by index, so a lane moved up keeps its object identity when
	// nothing else about it changed (its priority number usually did, and then it is new).
	const byId = new Map<string, unknown>();
	for (const item of prev) {
		const id = idOf(item);
		if (id !== undefined) byId.set(id, item);
	}
	let same = prev.length === next.length;
	const out = next.map((item, i) => {
		const id = idOf(item);
		const before = id !== undefined ? byId.get(id) : prev[i];
		const result = before === undefined ? item : reconcile(before, item);
		if (result !== prev[i]) same = false;
		return result;
	});
	return same ? prev : out;
}

function reconcileObject(prev: Plain, next: Plain): Plain {
	const keys = Object.keys(next);
	let same = keys.length === Object.keys(prev).length;
	const out: Plain = {};
	for (const key of keys) {
		const result = key in prev ? reconcile(prev[key], next[key]) : next[key];
		if (result !== prev[key] || !(key in prev)) same = false;
		out[key] = result;
	}
	return same ? prev : out;
}

/** `next`, with every part deep-equal to the same part of `prev` replaced by prev's object. */
export function reconcile<T>(prev: T, next: T): T {
	if (Object.is(prev, next)) return prev;
	if (Array.isArray(prev) && Array.isArray(next)) return reconcileArray(prev, next) as T;
	if (isPlain(prev) && isPlain(next)) return reconcileObject(prev, next) as T;
	return next;
}
