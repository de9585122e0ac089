/**
 * Spreading readers of per-item presence marks over a fixed set of version counters, so a
 * change to one item's marks re-runs the reads of ~1/256 of the items, not all of them. (A
 * SvelteMap's get() of a missing key depends on the whole map.)
 */

/** How many version counters the items' marks are spread over: a change re-runs ~1/256 of reads. */
const MARK_BUCKETS = 256;

/** One version counter, bumped when a mark of any item hashed to it changes. */
class MarkBucket {
	version = $state(0);
}

/** FNV-1a of an item key, to its bucket. */
function bucketOf(key: string): number {
	let hash = 0x811c9dc5;
	for (let i = 0; i < key.length; i++) {
		hash ^= key.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return (hash >>> 0) % MARK_BUCKETS;
}

/**
 * Per-key change tracking for state that many items read one key of (a drop indicator, a drag
 * preview, a filter): a reader subscribes to its key's bucket, a writer touches the keys whose
 * value changed, and only the readers in those buckets run again. A plain map holds the values.
 */
export class KeyBuckets {
	#buckets = Array.from({ length: MARK_BUCKETS }, () => new MarkBucket());

	/** Subscribes the running effect or derived to `key` (and the keys sharing its bucket). */
	track(key: string): void {
		void this.#buckets[bucketOf(key)]!.version;
	}

	/** Runs the readers of `key` again. */
	touch(key: string): void {
		this.#buckets[bucketOf(key)]!.version++;
	}

	/** Runs every reader again. */
	touchAll(): void {
		for (const bucket of this.#buckets) bucket.version++;
	}
}
