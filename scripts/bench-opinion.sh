#!/bin/sh
# Benchmarks algo/opinion: the Bowling Green conversation (Pol.is open data)
# recomputed from scratch, and a synthetic 100,000 participants × 2,000
# statements × 10 million votes. Prints time per run (wall and CPU; the CPU
# figure is the honest one on a shared machine) and the peak resident memory
# of the whole process, input included.
#
# Usage: scripts/bench-opinion.sh [count]   (default 3 runs of Bowling Green)
set -eu
cd "$(dirname "$0")/.."
count=${1:-3}
bin=$(mktemp -d)/opinion.test
trap 'rm -rf "$(dirname "$bin")"' EXIT
go test -c -o "$bin" ./algo/opinion

run() {
	name=$1
	shift
	out=$( (cd algo/opinion && /usr/bin/time -f 'peak-rss-kb %M' "$bin" -test.run '^$' -test.bench "^$name\$" -test.benchmem "$@") 2>&1)
	echo "$out" | grep -E "^Benchmark"
	rss=$(echo "$out" | awk '/peak-rss-kb/ {print $2}')
	echo "$name: peak RSS $((rss / 1024)) MiB"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
run BenchmarkBowlingGreen -test.benchtime "${count}x"
run BenchmarkSynthetic100k -test.benchtime 1x
