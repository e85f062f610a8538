#!/bin/sh
# Benchmark the timetabling core on ITC-2007 Track 3 comp01–comp07: one run
# per instance with the CLI, then a table of hard violations and soft cost
# next to the 2007 competition winner's (Müller) and the reference solutions.
# Usage: scripts/bench-timetable.sh [TIME] [SEED] [SOLVER FLAGS...]   (defaults 60s, 1)
# Flags after the seed go to every run, e.g. `scripts/bench-timetable.sh 60s 3 --kempe 0.2`.
set -eu
limit=${1:-60s}
seed=${2:-1}
[ $# -ge 2 ] && shift 2 || shift $#
root=$(cd "$(dirname "$0")/.." && pwd)
data=${CONCORD_SHARED_DATA:-$root/../shared/data}/itc2007/instances
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$root" && CGO_ENABLED=0 go build -o "$tmp/concord" ./cmd/concord)

printf '%-8s %6s %6s %8s %9s %12s\n' instance hard soft winner reference moves
for n in 01 02 03 04 05 06 07; do
	case $n in
	01) win=5 ref=5 ;; 02) win=43 ref=36 ;; 03) win=72 ref=66 ;; 04) win=35 ref=37 ;;
	05) win=298 ref=305 ;; 06) win=41 ref=40 ;; 07) win=14 ref=14 ;;
	esac
	out=$("$tmp/concord" timetable itc2007 "$data/comp$n.ctt" --time "$limit" --seed "$seed" \
		--out "$tmp/comp$n.sol" "$@") || true
	hard=$(printf '%s\n' "$out" | awk '/^hard violations:/ {print $3}')
	soft=$(printf '%s\n' "$out" | awk '/^soft cost:/ {print $3}')
	moves=$(printf '%s\n' "$out" | awk '/^search:/ {print $4}')
	printf '%-8s %6s %6s %8s %9s %12s\n' "comp$n" "$hard" "$soft" "$win" "$ref" "$moves"
done
