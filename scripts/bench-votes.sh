#!/bin/sh
# Measures vote ingestion over HTTP: `concord serve` on a temporary SQLite
# database holding the demo (its consultation: 160 statements), driven by
# wrk on 127.0.0.1 through the JSON API, each request a batch of votes from
# one of the demo's three accounts. Prints votes recorded per second; every
# request must succeed.
#
# Usage: scripts/bench-votes.sh [seconds] [batch] [connections]   (default 10 100 8)
set -eu
cd "$(dirname "$0")/.."
secs=${1:-10}
batch=${2:-100}
conns=${3:-8}

if ! command -v wrk >/dev/null 2>&1; then
	echo "installing wrk" >&2
	apt-get install -y wrk >/dev/null
fi

tmp=$(mktemp -d)
pid=
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

go build -o "$tmp/concord" ./cmd/concord
"$tmp/concord" demo --db "$tmp/bench.db" --no-serve >"$tmp/demo.log" 2>&1 || { cat "$tmp/demo.log" >&2; exit 1; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port
"$tmp/concord" serve --db "$tmp/bench.db" --addr "127.0.0.1:$port" >"$tmp/serve.out" 2>"$tmp/serve.log" &
pid=$!
for _ in $(seq 100); do
	curl -fs "$url/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done

# One API token per demo account, made through the account page.
tokens=
for who in secretariat advisor delegate; do
	jar=$tmp/$who.jar
	curl -fs -c "$jar" -b "$jar" -o /dev/null -H "Origin: $url" \
		--data-urlencode "email=$who@example.org" --data-urlencode "password=concord-demo" "$url/signin"
	tok=$(curl -fs -c "$jar" -b "$jar" -H "Origin: $url" --data "label=bench" "$url/account/tokens" |
		sed -n 's|.*<code class="token">\([^<]*\)</code>.*|\1|p')
	[ -n "$tok" ] || { echo "no token for $who" >&2; exit 1; }
	tokens="$tokens\"$tok\","
done

cat >"$tmp/votes.lua" <<EOF
local tokens = {${tokens%,}}
local batch = $batch
local values = {"agree", "disagree", "pass"}
local n = 0
request = function()
	n = n + 1
	local parts = {}
	for i = 1, batch do
		parts[i] = string.format('{"statement":%d,"vote":"%s"}', math.random(0, 159), values[math.random(1, 3)])
	end
	local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. tokens[n % #tokens + 1]}
	return wrk.format("POST", "/api/forums/igf/consultations/1/votes", headers, '{"votes":[' .. table.concat(parts, ",") .. ']}')
end
local bad = 0
response = function(status, headers, body)
	if status ~= 200 then
		bad = bad + 1
		if bad == 1 then io.stderr:write("refused: " .. status .. " " .. body .. "\n") end
	end
end
done = function(summary, latency, requests)
	local s = summary.duration / 1e6
	local ok = summary.requests - summary.errors.status - summary.errors.connect - summary.errors.read - summary.errors.write - summary.errors.timeout
	io.write(string.format("requests %d (failed %d), %.0f requests/s, p50 %.1f ms, p99 %.1f ms\n",
		summary.requests, summary.requests - ok, summary.requests / s, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
	io.write(string.format("VOTES/S %.0f (batches of %d over %d connections, %.0f s)\n", ok * batch / s, batch, $conns, s))
end
EOF

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
wrk -t 2 -c "$conns" -d "${secs}s" -s "$tmp/votes.lua" "$url" | grep -E "^(requests|VOTES)"
# wrk cuts its last requests short when time is up: those cancellations are expected.
if grep 'level=ERROR' "$tmp/serve.log" | grep -qv 'context canceled'; then
	echo "server errors:" >&2
	grep 'level=ERROR' "$tmp/serve.log" | grep -v 'context canceled' | head -3 >&2
fi
