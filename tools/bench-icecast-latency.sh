#!/usr/bin/env bash
# Added latency of the Icecast path: one live source (`serve -`, Opus 64 kbit/s, 20 ms frames, defaults otherwise)
# fed by a real-time writer that switches a tone on every 2 s, published with --icecast to a real Icecast 2.4 on
# loopback; two players decode it to raw PCM as it arrives (`--output -`): one native (`play 127.0.0.1:PORT`), one
# through Icecast (`play http://127.0.0.1:ICEPORT/live.opus`). Each reports the wall-clock time it first heard each
# tone onset; minus the time the writer wrote it, that is source → player delivery latency (capture, encode, network,
# decode; not the output's own buffer). Then each player is run to paced-null for the same window and its own
# latency figure (send or page arrival → playout) is reported. Usage: tools/bench-icecast-latency.sh [SECONDS=30]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
work=$(mktemp -d); chmod 755 "$work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for tool in icecast2 python3 curl; do command -v "$tool" >/dev/null || { echo "bench-icecast-latency: $tool is not installed" >&2; exit 1; }; done
[ -n "${NO_BUILD:-}" ] || dotnet build -c Release src/Streamer.Cli -v q -nologo >/dev/null
streamer="dotnet src/Streamer.Cli/bin/Release/net10.0/streamer.dll"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

ice_port=$(free_port); port=$(free_port); dir=$work/icecast; mkdir -p "$dir/log"
cat >"$dir/icecast.xml" <<XML
<icecast><location>loopback</location><admin>bench@localhost</admin><hostname>127.0.0.1</hostname>
  <limits><clients>16</clients><sources>2</sources><queue-size>524288</queue-size><client-timeout>30</client-timeout>
    <header-timeout>15</header-timeout><source-timeout>10</source-timeout><burst-on-connect>1</burst-on-connect><burst-size>65535</burst-size></limits>
  <authentication><source-password>benchsource</source-password><relay-password>benchrelay</relay-password>
    <admin-user>admin</admin-user><admin-password>benchadmin</admin-password></authentication>
  <listen-socket><port>$ice_port</port><bind-address>127.0.0.1</bind-address></listen-socket><fileserve>1</fileserve>
  <paths><basedir>$dir</basedir><logdir>$dir/log</logdir><pidfile>$dir/icecast.pid</pidfile>
    <webroot>/usr/share/icecast2/web</webroot><adminroot>/usr/share/icecast2/admin</adminroot></paths>
  <logging><accesslog>access.log</accesslog><errorlog>error.log</errorlog><loglevel>2</loglevel></logging>
  <security><chroot>0</chroot></security></icecast>
XML
as_user=()
if [ "$(id -u)" -eq 0 ]; then chown -R nobody:nogroup "$dir"; as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups); fi
"${as_user[@]}" icecast2 -c "$dir/icecast.xml" >"$dir/stdout" 2>&1 & pids+=($!)
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$ice_port/" && break; sleep 0.1; done

cat >"$work/writer.py" <<'PY'
import math, struct, sys, time
# 48 kHz stereo s16le in real time, 20 ms chunks: 1 s of silence, then 1 s of a 1 kHz tone, repeated; logs each onset.
rate, chunk = 48000, 960
log = open(sys.argv[1], "w", buffering=1)
out = sys.stdout.buffer
start = time.monotonic(); n = 0
tone = b"".join(struct.pack("<hh", v, v) for v in (int(12000 * math.sin(2 * math.pi * 1000 * i / rate)) for i in range(chunk)))
silence = bytes(chunk * 4)
while True:
    on = (n // 50) % 2 == 1
    if on and (n % 50) == 0:
        log.write(f"{time.time():.6f}\n")
    out.write(tone if on else silence); out.flush()
    n += 1
    delay = start + n * chunk / rate - time.monotonic()
    if delay > 0: time.sleep(delay)
PY
cat >"$work/detect.py" <<'PY'
import struct, sys, time
# Reads s16le stereo from stdin; prints the wall time at each silence→tone transition (10 ms blocks).
block = 480 * 4; quiet = True; buf = b""
inp = sys.stdin.buffer
while True:
    data = inp.read1(65536) if hasattr(inp, "read1") else inp.read(4096)
    if not data: break
    buf += data
    now = time.time()
    while len(buf) >= block:
        b, buf = buf[:block], buf[block:]
        s = struct.unpack("<%dh" % (block // 2), b)
        loud = max(abs(x) for x in s) > 3000
        if loud and quiet: print(f"{now:.6f}", flush=True)
        quiet = not loud
PY
python3 "$work/writer.py" "$work/onsets.txt" | $streamer serve - --format s16le --rate 48000 --channels 2 --codec opus --bitrate 64k \
  --host 127.0.0.1 --port "$port" --icecast "icecast://source:benchsource@127.0.0.1:$ice_port/live.opus" -q >"$work/serve.out" 2>"$work/serve.err" & pids+=($!)
for _ in $(seq 200); do [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 0.5 "http://127.0.0.1:$ice_port/live.opus" || true)" = 200 ] && break; sleep 0.1; done
sleep 1
$streamer play "127.0.0.1:$port" --output - --duration "${seconds}s" -q 2>/dev/null | python3 "$work/detect.py" >"$work/native.txt" & a=$!
$streamer play "http://127.0.0.1:$ice_port/live.opus" --output - --duration "${seconds}s" -q 2>/dev/null | python3 "$work/detect.py" >"$work/icecast.txt" & b=$!
load0=$(cut -d' ' -f1 /proc/loadavg)
wait $a $b || true
$streamer play "127.0.0.1:$port" --output paced-null --duration "${seconds}s" --stats "$work/native.json" -q >/dev/null 2>&1 & a=$!
$streamer play "http://127.0.0.1:$ice_port/live.opus" --output paced-null --duration "${seconds}s" --stats "$work/icecast.json" -q >/dev/null 2>&1 & b=$!
wait $a $b || true
load1=$(cut -d' ' -f1 /proc/loadavg)
python3 - "$work" "$load0" "$load1" <<'PY'
import json, statistics, sys
work, load0, load1 = sys.argv[1:4]
onsets = [float(x) for x in open(f"{work}/onsets.txt")]
def delays(name):
    heard = [float(x) for x in open(f"{work}/{name}.txt")]
    out = []
    for t in heard:
        before = [o for o in onsets if o <= t]
        if before and t - before[-1] < 1.5: out.append((t - before[-1]) * 1000)
    return out[3:]  # the first onsets may come from a join burst
def row(name):
    d = delays(name); s = json.load(open(f"{work}/{name}.json"))
    lat = s.get("latencyMs", {})
    print(f"| {name} | {len(d)} | {statistics.median(d):.0f} | {max(d):.0f} | {lat.get('p50', float('nan')):.0f} | {lat.get('p99', float('nan')):.0f} | {s.get('underruns')} | {s.get('late')} |")
print("| path | onsets | delivery p50 ms | delivery max ms | player latency p50 ms | p99 ms | underruns | late |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
row("native"); row("icecast")
print(f"<!-- load average {load0} at the start, {load1} at the end -->")
PY
