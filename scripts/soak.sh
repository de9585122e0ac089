#!/usr/bin/env bash
# npm run test:soak: the test suite on a machine that is busy, as CI's may be. Every core runs a
# CPU hog (stress-ng when installed, else a busy Node loop) while Vitest and Playwright run
# SOAK_RUNS times in a row (default 3), Playwright with --repeat-each=SOAK_REPEAT (default 1).
# Budgets for waits scale with RAILYARD_TEST_SLOWDOWN (default 2 here); no test is retried. It
# stops at the first failing run and prints how long each run took.
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${SOAK_RUNS:-3}"
repeat="${SOAK_REPEAT:-1}"
export RAILYARD_TEST_SLOWDOWN="${RAILYARD_TEST_SLOWDOWN:-2}"
cores="$(nproc)"

hogs=()
stop_hogs() {
	# Only the hogs this script started, by PID.
	for pid in "${hogs[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap stop_hogs EXIT INT TERM

npm run build >/dev/null
if command -v stress-ng >/dev/null 2>&1; then
	stress-ng --cpu "$cores" --quiet &
	hogs+=("$!")
	echo "soak: stress-ng --cpu $cores"
else
	for _ in $(seq "$cores"); do
		node -e 'for (;;) {}' &
		hogs+=("$!")
	done
	echo "soak: $cores busy Node loops (install stress-ng for a steadier load)"
fi

for run in $(seq "$runs"); do
	started=$SECONDS
	echo "soak: run $run of $runs (slowdown ${RAILYARD_TEST_SLOWDOWN}x, Playwright --repeat-each=$repeat)"
	npx vitest run
	npx playwright test --repeat-each="$repeat"
	echo "soak: run $run passed in $((SECONDS - started)) s"
done
echo "soak: $runs runs passed under load"
