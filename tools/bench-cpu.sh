#!/usr/bin/env bash
# CPU per real-time PCM stream (48 kHz stereo s16, FRAME_MS frames): one `streamer serve` feeding CLIENTS
# `streamer play --output null` processes over loopback. After WARMUP seconds (the JIT keeps tiering up methods
# that run once a second for about half a minute) it reads utime+stime from /proc for WINDOW seconds and prints
# the server's CPU per stream and each client's, in % of one core. OUTPUT=paced-null in the environment makes
# the clients pull audio like a sound card (a wake-up per device block) instead of discarding it as it comes.
# Then, if gst-launch-1.0 is installed (apt-get install gstreamer1.0-tools gstreamer1.0-plugins-base), the same
# window is measured for GStreamer's TCP pipeline carrying the same stream in FRAME_MS buffers (a live
# audiotestsrc of silence -> tcpserversink, tcpclientsrc -> fakesink): a baseline from the same machine and hour.
# Last, a floor: tools/paced_sender.py (sleep, then send a frame of zeros: nothing else) feeding `nc` clients,
# the least any real-time sender and receiver can spend per frame on this machine.
# The streamer server is measured once per transport in TRANSPORTS, all in the same window ("sockets" is ours,
# "kestrel" is Kestrel's socket transport: streamer serve --transport). BASELINE=path/to/streamer.dll adds an older
# build (its default transport) to the same window, for a before/after. GSTREAMER=0 or FLOOR=0 skips those peers.
# Usage: tools/bench-cpu.sh [CLIENTS=1] [WARMUP=45] [WINDOW=60] [FRAME_MS=20] [TRANSPORTS="sockets kestrel"]
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-1}; warmup=${2:-45}; window=${3:-60}; frame_ms=${4:-20}; transports=${5:-sockets kestrel}
work=$(mktemp -d)
pids=()
trap 'kill -TERM "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

dotnet build -c Release src/Streamer.Cli -v q -nologo >/dev/null
streamer="dotnet src/Streamer.Cli/bin/Release/net10.0/streamer.dll"
seconds=$((warmup + window + 30))
sox -n -r 48000 -c 2 -b 16 "$work/tone.wav" synth "$seconds" sine 440 vol 0.5

ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }   # utime+stime in clock ticks
hz=$(getconf CLK_TCK)
pct() { python3 -c "print(f'{100*$1/$hz/$window:.2f}')"; }

# Every transport's server and clients run at once and are read in the same window: a noisy neighbour (this
# machine is shared) then weighs on each alike, and the comparison needs no second run.
servers=(); players=(); owner=()
contenders=$transports; [ -n "${BASELINE:-}" ] && contenders="$contenders baseline"
for transport in $contenders; do
  tport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  if [ "$transport" = baseline ]; then build="dotnet $BASELINE"; selection=(); else build=$streamer; selection=(--transport "$transport"); fi
  $build serve "$work/tone.wav" --host 127.0.0.1 --port "$tport" --frame-ms "$frame_ms" "${selection[@]}" -q >"$work/serve-$transport.out" 2>/dev/null &
  servers+=("$!"); pids+=("$!")
  for _ in $(seq 200); do grep -q "Serving on port" "$work/serve-$transport.out" && break; sleep 0.05; done
  for _ in $(seq "$clients"); do
    $build play "127.0.0.1:$tport" --output "${OUTPUT:-null}" -q >/dev/null 2>&1 &
    players+=("$!"); pids+=("$!"); owner+=("$transport")
  done
done

sleep "$warmup"
s0=(); for p in "${servers[@]}"; do s0+=("$(ticks "$p")"); done
c0=(); for p in "${players[@]}"; do c0+=("$(ticks "$p")"); done
sleep "$window"
s1=(); for p in "${servers[@]}"; do s1+=("$(ticks "$p")"); done
c1=(); for p in "${players[@]}"; do c1+=("$(ticks "$p")"); done

i=0
for transport in $contenders; do
  d=$((s1[i] - s0[i]))
  echo "serve ($transport): $(pct $d) % of a core for $clients stream(s) = $(pct "$d/$clients") % per stream"
  i=$((i + 1))
done
for i in "${!players[@]}"; do echo "play $((i + 1)) (of the ${owner[i]} server): $(pct $((c1[i] - c0[i]))) %"; done
echo "(--output ${OUTPUT:-null}, $frame_ms ms frames, $window s window after $warmup s warm-up, load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores)"
kill -TERM "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; pids=()

measure_pair() {  # LABEL_SEND LABEL_RECEIVE SERVER_PID RECEIVER_PIDS...
  local send_label=$1 receive_label=$2 server=$3; shift 3
  local receivers=("$@") r0=() r1=() s0 s1 i
  s0=$(ticks "$server"); for p in "${receivers[@]}"; do r0+=("$(ticks "$p")"); done
  sleep "$window"
  s1=$(ticks "$server"); for p in "${receivers[@]}"; do r1+=("$(ticks "$p")"); done
  echo "$send_label: $(pct $((s1 - s0))) % for $clients stream(s) = $(pct "$(( (s1 - s0) ))/$clients") % per stream"
  for i in "${!receivers[@]}"; do echo "$receive_label $((i + 1)): $(pct $((r1[i] - r0[i]))) %"; done
}

if [ "${GSTREAMER:-1}" = 0 ]; then
  echo "GStreamer baseline skipped (GSTREAMER=0)"
elif command -v gst-launch-1.0 >/dev/null; then
gport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
gst-launch-1.0 -q audiotestsrc is-live=true wave=silence samplesperbuffer=$((48 * frame_ms)) \
  ! audio/x-raw,format=S16LE,rate=48000,channels=2 ! tcpserversink host=127.0.0.1 port="$gport" &
gserver=$!; pids+=("$gserver")
for _ in $(seq 200); do   # until tcpserversink listens
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $gport), 0.2).close()" 2>/dev/null && break
  sleep 0.05
done
gplayers=()
for _ in $(seq "$clients"); do
  gst-launch-1.0 -q tcpclientsrc host=127.0.0.1 port="$gport" ! fakesink &
  gplayers+=("$!"); pids+=("$!")
done
sleep 5   # C code: nothing to warm up beyond the connection
measure_pair "gstreamer send" "gstreamer receive" "$gserver" "${gplayers[@]}"
kill -TERM "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; pids=()
else
  echo "GStreamer baseline skipped: gst-launch-1.0 is not installed"
fi

if [ "${FLOOR:-1}" = 0 ]; then
  echo "floor skipped (FLOOR=0)"
elif command -v nc >/dev/null; then
fport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 tools/paced_sender.py "$fport" "$clients" "$frame_ms" >"$work/floor.out" &
fserver=$!; pids+=("$fserver")
for _ in $(seq 200); do grep -q listening "$work/floor.out" && break; sleep 0.05; done
freceivers=()
for _ in $(seq "$clients"); do
  nc -d 127.0.0.1 "$fport" >/dev/null &   # -d: do not read stdin (some nc variants quit at its end)
  freceivers+=("$!"); pids+=("$!")
done
sleep 5
measure_pair "floor send (paced_sender.py)" "floor receive (nc)" "$fserver" "${freceivers[@]}"
else
  echo "floor skipped: nc is not installed"
fi
