#!/bin/sh
# Prints how fast panel selection runs: the package benchmarks (leximin on
# example_small_20 and example_large_200, then the 4-category Sortition
# Foundation pool and a generated 300-person pool), then the CLI end to end.
# The minprob column is the leximin minimum selection probability.
# Usage: scripts/bench-select.sh   (from the module root or anywhere inside)
set -eu
cd "$(dirname "$0")/.."
data=${CONCORD_SHARED_DATA:-../shared/data}/sortition

go test -run '^$' -bench 'LeximinSmall20|LeximinLarge200' -benchtime 5x ./algo/select/
go test -run '^$' -bench 'Synthetic22|Generated300' -benchtime 1x ./algo/select/

bin=$(mktemp -d)/concord
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" ./cmd/concord
for inst in example_small_20:20 example_large_200:200; do
	name=${inst%:*}
	seats=${inst#*:}
	echo "== concord panel select on $name ($seats seats)"
	time "$bin" panel select --people "$data/$name/respondents.csv" \
		--quotas "$data/$name/categories.csv" --seats "$seats" --seed 1 | grep -E 'minimum|curve|lottery'
done
echo "== concord panel select on synthetic (22 seats, 4 categories)"
time "$bin" panel select --people "$data/synthetic/candidates.csv" \
	--quotas "$data/synthetic/features.csv" --seats 22 --seed 1 | grep -E 'minimum|curve|lottery'
