#!/usr/bin/env bash
# bench-assign.sh: time `concord assign` on a generated forum-sized instance
# (default 1,500 proposals × 60 evaluators × 5 evaluations, 5 stakeholder
# groups, 2% random declared conflicts) and print wall time, peak memory and
# the gap to the proven bound; then run the package benchmark once.
# Override sizes with P, E, N, NGROUPS, CONFLICT, SEED in the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
P=${P:-1500} E=${E:-60} N=${N:-5} NGROUPS=${NGROUPS:-5} CONFLICT=${CONFLICT:-0.02} SEED=${SEED:-1}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

go build -o "$dir/concord" ./cmd/concord

# Texts mix words from 12 topics, so affinities have structure; evaluator
# groups are drawn uniformly; organisations rarely collide.
awk -v P="$P" -v E="$E" -v G="$NGROUPS" -v C="$CONFLICT" -v seed="$SEED" -v dir="$dir" '
function text(n,   s, i, main, t) {
	main = int(rand() * 12); s = ""
	for (i = 0; i < n; i++) {
		t = (rand() < 0.4) ? int(rand() * 12) : main
		s = s sprintf("t%dw%d ", t, int(-log(1 - rand()) * 6) % 25)
		if (rand() < 0.3) s = s "the internet and "
	}
	return s
}
BEGIN {
	srand(seed)
	pf = dir "/proposals.csv"; ef = dir "/evaluators.csv"; cf = dir "/conflicts.csv"
	print "id,title,description,organisers,speakers,organisations" > pf
	for (i = 1; i <= P; i++)
		printf "P%d,Session %d,%s,person%d,person%d;person%d,org%d\n", i, i, text(40), int(rand()*5000), int(rand()*5000), int(rand()*5000), int(rand()*1000) > pf
	print "id,name,group,organisation,expertise" > ef
	for (j = 1; j <= E; j++)
		printf "E%d,Evaluator %d,Group %d,org%d,%s\n", j, j, int(rand() * G) + 1, int(rand()*1000), text(15) > ef
	print "evaluator,proposal" > cf
	for (i = 1; i <= P; i++) for (j = 1; j <= E; j++) if (rand() < C) printf "E%d,P%d\n", j, i > cf
}'
echo "instance: $P proposals, $E evaluators, $N per proposal, $NGROUPS groups, $(($(wc -l < "$dir/conflicts.csv") - 1)) declared conflicts"

cmd=("$dir/concord" assign --proposals "$dir/proposals.csv" --evaluators "$dir/evaluators.csv"
	--conflicts "$dir/conflicts.csv" --per-proposal "$N" --seed "$SEED" --json)
if [ -x /usr/bin/time ]; then
	/usr/bin/time -v "${cmd[@]}" > "$dir/out.json" 2> "$dir/time.txt" || { cat "$dir/time.txt"; exit 1; }
	grep -E 'Elapsed \(wall clock\)|User time|System time|Maximum resident set size' "$dir/time.txt" | sed 's/^[[:space:]]*//'
else
	time "${cmd[@]}" > "$dir/out.json"
fi
total=$(grep -o '"total_affinity":[^,]*' "$dir/out.json" | cut -d: -f2)
bound=$(grep -o '"bound":[^,]*' "$dir/out.json" | cut -d: -f2)
echo "total affinity $total, bound $bound, gap $(awk -v t="$total" -v b="$bound" 'BEGIN { printf "%.3g", b - t }')"

go test -run '^$' -bench 'BenchmarkAssign' -benchtime 3x -benchmem ./algo/assign/
