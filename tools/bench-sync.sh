#!/usr/bin/env bash
# Synchronized playout: one server, two `play --output paced-null --playout-log` listeners, optionally on simulated
# cards (--card-ppm A B), then the p99 of |presented_a - presented_b| for the same seq, from 2 s after the second
# listener joined. One line of summary, then the floor measured in the same run and the load average.
#
#   tools/bench-sync.sh [--seconds 60] [--ppm 300 -300] [--latency-ms 100] [--mode broadcast|on-demand] [--keep DIR] [FILE.wav]
#
# The floor: while the listeners play, two more processes (tools/wakeup_floor.py) each run a thread that sleeps on
# the same 5 ms schedule as paced-null's card thread (clock_nanosleep to an absolute due time, as MonotonicSleeper
# does) and record how late each wake-up came. |wake_a - wake_b| per period is how far apart two threads on this
# machine, at this load, wake for the same moment: the best a real-time paced-null comparison can do here. The
# summary gives our p99, the floor's p99 and their ratio. --keep DIR keeps the playout logs and the wake-up CSVs.
#
# With --mode broadcast (a server that has it) both listeners get the same frames: the figure is their absolute
# disagreement. With on-demand sessions each listener has its own stream started at its own moment, so the figure
# is taken after removing the median difference (how steadily they keep a fixed distance), and says so.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=60 ppm_a=0 ppm_b=0 latency=100 mode=broadcast file="" keep="" period_us=5000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --ppm) ppm_a=$2; ppm_b=$3; shift 3 ;;
    --latency-ms) latency=$2; shift 2 ;;
    --mode) mode=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    *) file=$1; shift ;;
  esac
done
streamer="dotnet src/Streamer.Cli/bin/Release/net10.0/streamer.dll"
work=$(mktemp -d)
trap 'kill $server_pid 2>/dev/null || true; if [[ -n "$keep" ]]; then mkdir -p "$keep" && cp "$work"/*.csv "$work"/*.json "$keep"/ 2>/dev/null || true; fi; rm -rf "$work"' EXIT
load_before=$(cat /proc/loadavg)
if [[ -z "$file" ]]; then
  file="$work/tone.wav"
  sox -n -r 48000 -c 2 -b 16 "$file" synth 30 sine 440 2>/dev/null
fi
mode_args=(--loop)
if $streamer serve --help 2>/dev/null | grep -q -- "--mode"; then mode_args=(--mode "$mode" --loop); else mode=on-demand; fi
$streamer serve "$file" --host 127.0.0.1 --port 0 --latency-ms "$latency" "${mode_args[@]}" -q >"$work/serve.out" 2>&1 &
server_pid=$!
for _ in $(seq 100); do grep -q "Serving on port" "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*Serving on port \([0-9]*\).*/\1/p' "$work/serve.out" | head -1)
$streamer play 127.0.0.1:"$port" --output paced-null --card-ppm "$ppm_a" --playout-log "$work/a.csv" --duration "$((seconds + 2))s" --stats "$work/a.json" -q >"$work/a.out" 2>&1 &
a_pid=$!
sleep 1
joined_us=$(( $(date +%s%N) / 1000 ))
# The floor's two sleepers start together half a second from now, on CLOCK_MONOTONIC, for the listener's time.
floor_start=$(python3 -c 'import time; print(time.clock_gettime_ns(time.CLOCK_MONOTONIC) + 500_000_000)')
python3 tools/wakeup_floor.py "$floor_start" "$period_us" "$((seconds - 1))" "$work/wake_a.csv" &
floor_a=$!
python3 tools/wakeup_floor.py "$floor_start" "$period_us" "$((seconds - 1))" "$work/wake_b.csv" &
floor_b=$!
$streamer play 127.0.0.1:"$port" --output paced-null --card-ppm "$ppm_b" --playout-log "$work/b.csv" --duration "$((seconds))s" --stats "$work/b.json" -q >"$work/b.out" 2>&1
wait $a_pid $floor_a $floor_b
load_after=$(cat /proc/loadavg)
python3 - "$work/a.csv" "$work/b.csv" "$joined_us" "$mode" "$ppm_a" "$ppm_b" "$latency" "$seconds" "$work/a.json" "$work/b.json" "$work/wake_a.csv" "$work/wake_b.csv" "$period_us" "$load_before" "$load_after" <<'PY'
import csv, json, statistics, sys
a_path, b_path, joined, mode, ppm_a, ppm_b, latency, seconds, a_json, b_json, wake_a, wake_b, period_us, load_before, load_after = sys.argv[1:]
def load(p):
    with open(p) as f:
        return {int(r['seq']): int(r['presented_server_us']) for r in csv.DictReader(f)}
a, b = load(a_path), load(b_path)
start = int(joined) + 2_000_000
seqs = [s for s in b if s in a and b[s] >= start]
if not seqs:
    print(f"bench-sync: no common frames ({len(a)} and {len(b)} rows)"); sys.exit(1)
d = [a[s] - b[s] for s in seqs]
note = "absolute"
if mode != "broadcast":
    m = statistics.median(d); d = [x - m for x in d]; note = f"after removing the median distance {m/1000:.1f} ms (separate on-demand sessions)"
ad = sorted(abs(x) for x in d)
p99 = ad[min(len(ad) - 1, int(len(ad) * 0.99))]
offs = [json.load(open(j)).get("clockOffsetMs") for j in (a_json, b_json)]
stats = [json.load(open(j)) for j in (a_json, b_json)]
underruns = [s.get("underruns", "?") for s in stats]
print(f"bench-sync: mode {mode}, latency {latency} ms, cards {ppm_a}/{ppm_b} ppm, {len(seqs)} frames over {seconds} s: |a-b| p50 {ad[len(ad)//2]} us, p99 {p99} us, max {ad[-1]} us ({note}); clock offset estimates {offs[0]} / {offs[1]} ms; underruns {underruns[0]} / {underruns[1]}")
def wakes(p):
    with open(p) as f:
        return [float(r['late_us']) for r in csv.DictReader(f)]
wa, wb = wakes(wake_a), wakes(wake_b)
n = min(len(wa), len(wb))
fd = sorted(abs(wa[i] - wb[i]) for i in range(n))
def pct(xs, q):
    return xs[min(len(xs) - 1, int(len(xs) * q))]
floor_p99 = pct(fd, 0.99)
late = sorted(wa[:n] + wb[:n])
restarts = sum(1 for x in wa[:n] + wb[:n] if x > 4 * float(period_us))
print(f"floor: two threads waking on one {float(period_us)/1000:g} ms schedule, {n} periods: |wake_a-wake_b| p50 {pct(fd, 0.5):.0f} us, p99 {floor_p99:.0f} us, max {fd[-1]:.0f} us; each wake-up late p50 {pct(late, 0.5):.0f} us, p99 {pct(late, 0.99):.0f} us, max {late[-1]:.0f} us, {restarts} later than 4 periods")
print(f"ratio: our p99 {p99} us / floor p99 {floor_p99:.0f} us = {p99 / max(floor_p99, 1):.2f}")
print(f"load average: {load_before} (before) / {load_after} (after)")
PY
