/**
 * A token bucket: `burst` messages at once, refilled at `perSecond`. One per connection, so a
 * client stuck in a send loop is cut off without slowing anyone else.
 */
export class TokenBucket {
	readonly #perMs: number;
	readonly #burst: number;
	#tokens: number;
	#at: number;

	constructor(opts: { perSecond: number; burst: number; now?: number }) {
		this.#perMs = opts.perSecond / 1000;
		this.#burst = opts.burst;
		this.#tokens = opts.burst;
		this.#at = opts.now ?? performance.now();
	}

	/** Takes one token; false when the bucket is empty. */
	take(now: number = performance.now()): boolean {
		this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#at) * this.#perMs);
		this.#at = now;
		if (this.#tokens < 1) return false;
		this.#tokens -= 1;
		return true;
	}
}
