#!/usr/bin/env bash
# Listeners at scale: for each N in COUNTS, one live source served to N listeners held by `streamer bench listeners`
# (one process, asynchronous sockets), measured over WINDOW seconds after WARMUP seconds:
#   (a) `streamer serve` with 20 ms frames, PCM (48 kHz stereo s16) and Opus 64 kbit/s. With a server that has
#       `--mode broadcast` (one reader, one encoder for every listener) that mode is used; otherwise the per-session
#       server (each listener its own reader and encoder, `--loop`) is measured as the "before" figure, Opus only up to
#       PER_SESSION_OPUS_MAX listeners (each costs its own encoder: a thousand would need ~15 cores);
#   (b) Icecast 2.4 (Debian icecast2) relaying the same stream as Ogg Opus 64 kbit/s in 20 ms pages, encoded by
#       ffmpeg (`-frame_duration 20 -page_duration 20000`: the same packet rate as ours), to N plain HTTP listeners;
#   (c) the floor, with SERVERS=floor: tools/fanout-floor.c (built here with cc) sending the same kind of pages, read
#       from a file, one send(2) per page per listener and nothing else: what the kernel's sends cost any program.
# Every server is started here on a free loopback port and stopped at the end; Icecast runs from a generated config
# in a temp dir (as this user; as root, dropped to nobody with setpriv, because Icecast will not run as root and
# the config sets no changeowner). Prints one Markdown table row per run: CPU % of one core (server total, before any
# listener, total / N, and what each listener adds: (total - idle) / N, the idle figure holding the source's reader and
# its one encoder; Icecast's encoder is ffmpeg, outside it; and that split into user space, the server's own code, and
# the kernel, its system calls), RSS growth per listener, frames/pages skipped, lateness p99, and the bench process's own CPU.
# Usage: tools/bench-listeners.sh [COUNTS="100 400 1000"] [WINDOW=20] [WARMUP=10]
#   env: SERVERS="pcm opus icecast" (which run; "floor" adds the C floor), PER_SESSION_OPUS_MAX=100, JSON_DIR=dir (keep each run's JSON), NO_BUILD=1,
#   SERVER_DLL=path (serve another build, with this one's bench), LABEL=text (appended to the server's name in its rows:
#   say which build it was)
set -euo pipefail
cd "$(dirname "$0")/.."
counts=${1:-"100 400 1000"}; window=${2:-20}; warmup=${3:-10}
servers=${SERVERS:-"pcm opus icecast"}
per_session_opus_max=${PER_SESSION_OPUS_MAX:-100}
work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

for tool in sox ffmpeg icecast2 python3 curl cc; do
  command -v "$tool" >/dev/null || { echo "bench-listeners: $tool is not installed (apt-get install sox ffmpeg icecast2 python3 curl gcc)" >&2; exit 1; }
done
[ -n "${NO_BUILD:-}" ] || dotnet build -c Release src/Streamer.Cli -v q -nologo >/dev/null
streamer="dotnet src/Streamer.Cli/bin/Release/net10.0/streamer.dll"
# The server measured (the bench is always this build's): SERVER_DLL=path/streamer.dll compares another build, e.g. a
# worktree of an earlier commit, in the same run.
serve_cmd="dotnet ${SERVER_DLL:-src/Streamer.Cli/bin/Release/net10.0/streamer.dll}"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
stop() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# A file long enough for any run (the per-session server loops it anyway): a tone, not silence, so Opus packets
# have their real size.
sox -n -r 48000 -c 2 -b 16 "$work/tone.wav" synth 600 sine 440 vol 0.5
broadcast=no
$serve_cmd serve --help 2>/dev/null | grep -q -- 'broadcast' && broadcast=yes
json_dir=${JSON_DIR:-$work/json}; mkdir -p "$json_dir"

echo "| server | codec | listeners | connected | skipped | server CPU % | idle CPU % | CPU % per listener | CPU % added per listener | user / kernel % added per listener | RSS KB per listener | lateness p99 ms | bench CPU % |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"

row() {  # row NAME CODEC JSONFILE
  python3 - "$1" "$2" "$3" <<'EOF'
import json, sys
name, codec, path = sys.argv[1:4]
r = json.load(open(path))
s = r.get("server") or {}
def f(v, fmt):
    return "n/a" if v is None else format(v, fmt)
print(f"| {name} | {codec} | {r['requested']} | {r['connected']} | {r['skipped']} | {f(s.get('cpu_percent'), '.1f')} | {f(s.get('idle_cpu_percent'), '.1f')} | "
      f"{f(s.get('cpu_percent_per_listener'), '.4f')} | {f(s.get('cpu_growth_percent_per_listener'), '.4f')} | "
      f"{f(s.get('user_cpu_growth_percent_per_listener'), '.4f')} / {f(s.get('kernel_cpu_growth_percent_per_listener'), '.4f')} | {f(None if s.get('rss_growth_bytes_per_listener') is None else s['rss_growth_bytes_per_listener'] / 1024, '.1f')} | "
      f"{r['lateness_us']['p99'] / 1000:.1f} | {r['bench_cpu_percent']:.1f} |")
EOF
}

run_streamer() {  # run_streamer CODEC N
  local codec=$1 n=$2 port server mode args=()
  port=$(free_port)
  if [ "$broadcast" = yes ]; then mode=broadcast; args=(--mode broadcast); else mode=per-session; args=(--loop); fi
  [ "$codec" = opus ] && args+=(--bitrate 64k)
  $serve_cmd serve "$work/tone.wav" --host 127.0.0.1 --port "$port" --codec "$codec" --frame-ms 20 \
    --max-clients $((n + 16)) "${args[@]}" -q >"$work/serve.out" 2>"$work/serve.err" &
  server=$!; pids+=("$server")
  for _ in $(seq 400); do grep -q "Serving on port" "$work/serve.out" && break; sleep 0.05; done
  sleep 2   # the source's first frames and the JIT's first tier, before the idle sample
  $streamer bench listeners "127.0.0.1:$port" --count "$n" --seconds "$window" --warmup "$warmup" \
    --server-pid "$server" --json -q >"$json_dir/streamer-$mode-$codec-$n.json"
  stop "$server"
  row "streamer $mode${LABEL:+ $LABEL}" "$codec" "$json_dir/streamer-$mode-$codec-$n.json"
}

run_floor() {  # run_floor N: tools/fanout-floor.c relaying the same Ogg Opus pages (encoded once, before the run)
  local n=$1 port floor
  if [ ! -x "$work/fanout-floor" ]; then
    cc -O2 -o "$work/fanout-floor" tools/fanout-floor.c
    ffmpeg -nostdin -hide_banner -loglevel error -t 120 -i "$work/tone.wav" -c:a libopus -b:a 64k \
      -frame_duration 20 -page_duration 20000 -f ogg "$work/floor.opus"
  fi
  port=$(free_port)
  "$work/fanout-floor" "$work/floor.opus" "$port" $((n + 64)) >"$work/floor.out" 2>&1 &
  floor=$!; pids+=("$floor")
  for _ in $(seq 100); do grep -q "listening" "$work/floor.out" && break; sleep 0.05; done
  sleep 2
  $streamer bench listeners "http://127.0.0.1:$port/live.opus" --count "$n" --seconds "$window" --warmup "$warmup" \
    --server-pid "$floor" --json -q >"$json_dir/floor-opus-$n.json"
  stop "$floor"
  row "floor (tools/fanout-floor.c)" "ogg opus" "$json_dir/floor-opus-$n.json"
}

run_icecast() {  # run_icecast N
  local n=$1 port ice source t0 t1 dir=$work/icecast
  port=$(free_port)
  mkdir -p "$dir/log"
  cat >"$dir/icecast.xml" <<EOF
<icecast>
  <location>loopback</location><admin>bench@localhost</admin><hostname>127.0.0.1</hostname>
  <limits>
    <clients>$((n + 64))</clients><sources>2</sources><queue-size>524288</queue-size>
    <client-timeout>30</client-timeout><header-timeout>15</header-timeout><source-timeout>10</source-timeout>
    <burst-on-connect>1</burst-on-connect><burst-size>65535</burst-size>
  </limits>
  <authentication>
    <source-password>benchsource</source-password><relay-password>benchrelay</relay-password>
    <admin-user>admin</admin-user><admin-password>benchadmin</admin-password>
  </authentication>
  <listen-socket><port>$port</port><bind-address>127.0.0.1</bind-address></listen-socket>
  <fileserve>1</fileserve>
  <paths>
    <basedir>$dir</basedir><logdir>$dir/log</logdir><pidfile>$dir/icecast.pid</pidfile>
    <webroot>/usr/share/icecast2/web</webroot><adminroot>/usr/share/icecast2/admin</adminroot>
  </paths>
  <logging><accesslog>access.log</accesslog><errorlog>error.log</errorlog><loglevel>2</loglevel></logging>
  <security><chroot>0</chroot></security>
</icecast>
EOF
  local as_user=()
  if [ "$(id -u)" -eq 0 ]; then chown -R nobody:nogroup "$dir"; as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups); fi
  "${as_user[@]}" icecast2 -c "$dir/icecast.xml" >"$dir/stdout" 2>&1 &
  ice=$!; pids+=("$ice")
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
  ffmpeg -nostdin -hide_banner -loglevel error -re -stream_loop -1 -i "$work/tone.wav" -c:a libopus -b:a 64k \
    -frame_duration 20 -page_duration 20000 -content_type audio/ogg -f ogg \
    "icecast://source:benchsource@127.0.0.1:$port/live.opus" 2>"$dir/ffmpeg.err" &
  source=$!; pids+=("$source")
  for _ in $(seq 100); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 0.5 "http://127.0.0.1:$port/live.opus" || true)" = 200 ] && break
    sleep 0.1
  done
  sleep 2
  t0=$(ticks "$source")
  $streamer bench listeners "http://127.0.0.1:$port/live.opus" --count "$n" --seconds "$window" --warmup "$warmup" \
    --server-pid "$ice" --json -q >"$json_dir/icecast-opus-$n.json"
  t1=$(ticks "$source")
  stop "$source"; stop "$ice"
  rm -rf "$dir"
  row "icecast 2.4 (+ ffmpeg encoder)" "ogg opus" "$json_dir/icecast-opus-$n.json"
  echo "<!-- ffmpeg (the Icecast source's encoder) over the ramp, warmup and window: $(( (t1 - t0) ))/$(getconf CLK_TCK) s of CPU -->"
}

for n in $counts; do
  for s in $servers; do
    case $s in
      pcm) run_streamer pcm "$n" ;;
      opus)
        if [ "$broadcast" = no ] && [ "$n" -gt "$per_session_opus_max" ]; then
          echo "| streamer per-session | opus | $n | (skipped: one encoder per listener; PER_SESSION_OPUS_MAX=$per_session_opus_max) | | | | | | | | |"
        else
          run_streamer opus "$n"
        fi ;;
      icecast) run_icecast "$n" ;;
      floor) run_floor "$n" ;;
      *) echo "bench-listeners: unknown server '$s' in SERVERS (pcm, opus, icecast, floor)" >&2; exit 2 ;;
    esac
  done
done
