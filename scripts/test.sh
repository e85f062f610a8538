#!/usr/bin/env bash
# Runs Concord's checks and tests, the same way here and in CI.
#
#   scripts/test.sh                         gofmt, vet, static build, race tests, all tests
#   scripts/test.sh -run TestX ./sqlstore/  only `go test` with these arguments
#
# It installs what the tests need when it is missing (Debian packages, the npm
# tools in testtools/), starts a throwaway PostgreSQL server, and exports:
#   CONCORD_TEST_POSTGRES  URL of the server (internal/pgtest makes a database per test)
#   CONCORD_CHROMIUM       the browser (internal/browsertest)
#   CONCORD_TESTTOOLS      testtools/node_modules: axe-core, ical.js
# CONCORD_SKIP_INSTALL=1 skips the installs. A CONCORD_TEST_POSTGRES already set
# is used as it is, and no server is started.
set -euo pipefail

# Packages with concurrent code, tested with the race detector too.
RACE_PACKAGES=(./sqlstore/... ./server/... ./web/... ./decisionlog/... ./algo/timetable/...)
APT_PACKAGES=(postgresql chromium libxml2-utils)
GO_TEST_TIMEOUT=${GO_TEST_TIMEOUT:-40m}

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
export PATH=$PATH:/usr/local/go/bin

step() { printf '\n==> %s\n' "$*" >&2; }
die() { printf 'test.sh: %s\n' "$*" >&2; exit 1; }
took() { printf '    (%ss)\n' "$(($(date +%s) - $1))" >&2; }

# ---------------------------------------------------------------- installs

# as_root runs a command as root: directly, or through sudo without a password.
as_root() {
	if [[ $(id -u) == 0 ]]; then
		"$@"
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
		sudo -n "$@"
	else
		return 1
	fi
}

install_debian_packages() {
	local missing=() p
	for p in "${APT_PACKAGES[@]}"; do
		if [[ $(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) != installed ]]; then
			missing+=("$p")
		fi
	done
	if ! command -v npm >/dev/null; then
		missing+=(nodejs npm)
	fi
	[[ ${#missing[@]} == 0 ]] && return 0

	step "installing ${missing[*]}"
	local t0
	t0=$(date +%s)
	# Another apt run may hold the lock for a while: wait for it.
	local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
	if ! as_root "${apt[@]}" update -qq ||
		! as_root "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
		if [[ ${CI:-} == true ]]; then
			die "could not install ${missing[*]}"
		fi
		printf 'test.sh: could not install %s; the tests that need them will skip\n' "${missing[*]}" >&2
		return 0
	fi
	took "$t0"
}

install_npm_tools() {
	local dir=$root/testtools stamp=$root/testtools/node_modules/.concord-lock
	# npm ci wipes node_modules each time: skip it while the lock file is
	# the one that was installed.
	if [[ -f $stamp ]] && cmp -s "$dir/package-lock.json" "$stamp"; then
		return 0
	fi
	if ! command -v npm >/dev/null; then
		[[ ${CI:-} == true ]] && die "npm is missing"
		printf 'test.sh: npm is missing; the tests that need axe-core or ical.js will skip\n' >&2
		return 0
	fi
	step "npm ci in testtools/"
	local t0
	t0=$(date +%s)
	(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
	cp "$dir/package-lock.json" "$stamp"
	took "$t0"
}

# ---------------------------------------------------------------- PostgreSQL

pg_dir=
stop_postgres() {
	[[ -n $pg_dir ]] || return 0
	if [[ -f $pg_dir/data/postmaster.pid ]]; then
		as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$pg_dir"
}

# as_pg runs a PostgreSQL program: as the postgres user when we are root,
# since the server refuses to run as root.
as_pg() {
	if [[ $(id -u) == 0 ]]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# free_port prints a TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
	local port
	for _ in $(seq 50); do
		port=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return 0
		fi
	done
	return 1
}

start_postgres() {
	if [[ -n ${CONCORD_TEST_POSTGRES:-} ]]; then
		step "using PostgreSQL at CONCORD_TEST_POSTGRES"
		return 0
	fi
	pg_bin=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
	if [[ -z $pg_bin || ! -x $pg_bin/initdb ]]; then
		[[ ${CI:-} == true ]] && die "PostgreSQL is not installed"
		printf 'test.sh: PostgreSQL is not installed; the PostgreSQL tests will skip\n' >&2
		return 0
	fi
	step "starting PostgreSQL ($pg_bin)"
	local t0
	t0=$(date +%s)
	pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/concord-pg.XXXXXX")
	trap stop_postgres EXIT
	trap 'exit 130' INT TERM
	if [[ $(id -u) == 0 ]]; then
		chown postgres: "$pg_dir"
	fi
	as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$pg_dir/initdb.log" 2>&1 ||
		{ cat "$pg_dir/initdb.log" >&2; die "initdb failed"; }
	# Durability is worth nothing for a server that lives as long as the tests.
	local port started=
	for _ in 1 2 3 4 5; do
		port=$(free_port) || die "no free port for PostgreSQL"
		if as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 120 -o \
			"-c listen_addresses=127.0.0.1 -p $port -k $pg_dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
			start >/dev/null; then
			started=1
			break
		fi
	done
	[[ -n $started ]] || { cat "$pg_dir/server.log" >&2; die "PostgreSQL did not start"; }
	as_pg "$pg_bin/createdb" -h "$pg_dir" -p "$port" -U postgres concord
	export CONCORD_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/concord?sslmode=disable"
	printf '    CONCORD_TEST_POSTGRES=%s\n' "$CONCORD_TEST_POSTGRES" >&2
	took "$t0"
}

# ---------------------------------------------------------------- main

if [[ ${CONCORD_SKIP_INSTALL:-} != 1 ]]; then
	install_debian_packages
	install_npm_tools
fi
start_postgres
export CONCORD_CHROMIUM=${CONCORD_CHROMIUM:-/usr/bin/chromium}
export CONCORD_TESTTOOLS=${CONCORD_TESTTOOLS:-$root/testtools/node_modules}

if [[ $# -gt 0 ]]; then
	step "go test $*"
	go test "$@"
	exit 0
fi

step "gofmt -l"
unformatted=$(find . -name '*.go' -not -path './.git/*' -not -path '*/testdata/*' -not -path '*/node_modules/*' -print0 | xargs -0 -r gofmt -l)
if [[ -n $unformatted ]]; then
	printf '%s\n' "$unformatted" >&2
	die "these files need gofmt"
fi

step "go vet ./..."
go vet ./...

step "CGO_ENABLED=0 go build ./cmd/concord"
build_dir=$(mktemp -d)
CGO_ENABLED=0 go build -o "$build_dir/concord" ./cmd/concord
rm -rf "$build_dir"

race=()
for p in "${RACE_PACKAGES[@]}"; do
	# go list only warns about a pattern that matches no package.
	if [[ -n $(go list "$p" 2>/dev/null) ]]; then
		race+=("$p")
	fi
done
if [[ ${#race[@]} -gt 0 ]]; then
	step "go test -race ${race[*]}"
	t0=$(date +%s)
	go test -race -count=1 -timeout "$GO_TEST_TIMEOUT" -skip "TestAccessibility|Benchmark" "${race[@]}"
	took "$t0"
fi

step "go test ./..."
# Nothing may print after this: CI reads the closing lines of go test.
go test -count=1 -timeout "$GO_TEST_TIMEOUT" ./...
