#!/usr/bin/env bash
# CPU per HTTP listener next to CPU per protocol listener, on ONE server process: `streamer serve tone --http-port`
# (a broadcast), then `streamer bench listeners` holds N protocol listeners for WINDOW seconds, then N HTTP listeners
# of /stream.opus for WINDOW seconds, each measured from the server's /proc after WARMUP seconds. Per-listener CPU is
# (server CPU with the listeners − server CPU idle, both in the same run) / N, so the broadcast's own reader and
# encoder (and, for a PCM broadcast, the shared Opus transcoder of the HTTP side) are not charged to the listeners.
# Usage: tools/bench-web.sh [N=200] [WINDOW=20] [WARMUP=5]   env: CODECS="opus pcm", NO_BUILD=1
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}; window=${2:-20}; warmup=${3:-5}
codecs=${CODECS:-"opus pcm"}
work=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill -TERM "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
[ -n "${NO_BUILD:-}" ] || dotnet build -c Release src/Streamer.Cli -v q -nologo >/dev/null
streamer="dotnet src/Streamer.Cli/bin/Release/net10.0/streamer.dll"

echo "| broadcast | listeners | connected | skipped | server CPU % idle | server CPU % with them | CPU % per listener | lateness p99 ms | bench CPU % |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
row() {  # row LABEL JSON
  python3 - "$1" "$2" <<'PY'
import json, sys
label, path = sys.argv[1:3]
r = json.load(open(path)); s = r["server"]
per = (s["cpu_percent"] - s["idle_cpu_percent"]) / max(1, r["connected"])
print(f"| {label} | {r['requested']} {r['mode']} | {r['connected']} | {r['skipped']} | {s['idle_cpu_percent']:.1f} | {s['cpu_percent']:.1f} | {per:.4f} | {r['lateness_us']['p99'] / 1000:.1f} | {r['bench_cpu_percent']:.1f} |")
PY
}

for codec in $codecs; do
  args=(--codec "$codec"); [ "$codec" = opus ] && args+=(--bitrate 64k)
  $streamer serve tone --host 127.0.0.1 --port 0 --http-port 0 --max-clients $((n + 16)) --http-max-connections $((n + 64)) "${args[@]}" -q \
    >"$work/serve.out" 2>"$work/serve.err" &
  server=$!
  for _ in $(seq 600); do grep -q "Web page on" "$work/serve.out" && break; sleep 0.05; done
  port=$(grep -o "Serving on port [0-9]*" "$work/serve.out" | grep -o "[0-9]*$")
  http=$(grep -o "Web page on http://127.0.0.1:[0-9]*" "$work/serve.out" | grep -o "[0-9]*$")
  sleep 2
  $streamer bench listeners "127.0.0.1:$port" --count "$n" --seconds "$window" --warmup "$warmup" --server-pid "$server" --json -q >"$work/p.json"
  row "$codec" "$work/p.json"
  $streamer bench listeners "http://127.0.0.1:$http/stream.opus" --count "$n" --seconds "$window" --warmup "$warmup" --server-pid "$server" --json -q >"$work/h.json"
  row "$codec (HTTP: $( [ "$codec" = opus ] && echo passed through || echo one shared transcoder))" "$work/h.json"
  kill -TERM "$server"; wait "$server" 2>/dev/null || true; server=
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
