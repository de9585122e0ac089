/**
 * How much slower than a quiet 2-core machine the tests should allow this one to be:
 * `RAILYARD_TEST_SLOWDOWN` (default 1), which the soak run raises while it loads every core.
 * Budgets for waits scale with it; what a test asserts about the product does not change.
 */
export const slowdown = Math.max(1, Number(process.env.RAILYARD_TEST_SLOWDOWN) || 1);

/** A time budget of `ms` on a quiet machine, scaled for this one. */
export function within(ms: number): number {
	return ms * slowdown;
}
