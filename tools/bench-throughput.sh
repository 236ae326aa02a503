#!/usr/bin/env bash
# PCM throughput over loopback, file -> TCP -> discard, measured in one run for:
#   streamer (serve --pace asap -> play --output null) once per server transport, `cat FILE | nc`, and the seed
#   lesson's Python pipeline. Contenders take turns within every run, so a noisy neighbour hurts them alike.
# Usage: tools/bench-throughput.sh [SIZE_MIB=1024] [RUNS=3] [TRANSPORTS="sockets kestrel"]
# Environment: BASELINE=path/to/streamer.dll adds "streamer-baseline" (an older build, default transport) for a
#   before/after in the same run; NATIVE=path/to/streamer (tools/publish.sh's artifacts/linux-x64/streamer) adds
#   "streamer-native", the Native AOT binary; SEED=0 skips the Python pipeline.
# Prints one line per run, then the median and the best rate of each; see docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${1:-1024}
runs=${2:-3}
transports=${3:-sockets kestrel}
work=$(mktemp -d)
trap 'rm -rf "$work"; kill $(jobs -p) 2>/dev/null || true' EXIT

command -v nc >/dev/null || { echo "needs nc (apt-get install netcat-openbsd)"; exit 2; }
dotnet build -c Release src/Streamer.Cli -v q -nologo >/dev/null
streamer="dotnet src/Streamer.Cli/bin/Release/net10.0/streamer.dll"

python3 - "$work/big.wav" "$size_mib" <<'PY'
import os, struct, sys
path, mib = sys.argv[1], int(sys.argv[2])
n = mib << 20
with open(path, "wb") as f:
    f.write(b"RIFF" + struct.pack("<I", 36 + n) + b"WAVE" + b"fmt " +
            struct.pack("<IHHIIHH", 16, 1, 2, 48000, 192000, 4, 16) + b"data" + struct.pack("<I", n))
    chunk = os.urandom(1 << 20)
    for _ in range(mib):
        f.write(chunk)
PY
cat "$work/big.wav" > /dev/null  # warm the page cache for every contender alike
bytes=$(stat -c %s "$work/big.wav")

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
rate() { python3 -c "print(f'{$bytes/($2-$1)/1e9:.3f}')"; }

declare -A rates
names=()
record() { # name start end
  local r; r=$(rate "$2" "$3")
  echo "$1: $(python3 -c "print(f'{$3-$2:.2f}')") s, $r GB/s"
  [ -n "${rates[$1]:-}" ] || names+=("$1")
  rates[$1]="${rates[$1]:-} $r"
}

run() { # dll-or-binary args...: a .dll runs on the dotnet host, anything else (the native binary) directly. It
  # replaces the (sub)shell it runs in, so `run … &` leaves $! naming the server itself, which `kill` then stops.
  local bin=$1; shift
  if [[ "$bin" == *.dll ]]; then exec dotnet "$bin" "$@"; else exec "$bin" "$@"; fi
}

stream() { # label dll-or-binary [serve options...]: one serve -> play transfer with that build
  local label=$1 dll=$2 p server t0 t1; shift 2
  p=$(port)
  run "$dll" serve "$work/big.wav" --host 127.0.0.1 --port "$p" --pace asap -q "$@" >"$work/serve.out" &
  server=$!
  for _ in $(seq 200); do grep -q "Serving on port" "$work/serve.out" && break; sleep 0.05; done
  t0=$(now); (run "$dll" play 127.0.0.1:"$p" --output null -q >/dev/null); t1=$(now)
  kill -TERM $server; wait $server || true
  record "$label" "$t0" "$t1"
}

for run in $(seq "$runs"); do
  for transport in $transports; do
    stream "streamer-$transport" "${streamer#dotnet }" --transport "$transport"
  done
  if [ -n "${BASELINE:-}" ]; then stream streamer-baseline "$BASELINE"; fi
  if [ -n "${NATIVE:-}" ]; then stream streamer-native "$NATIVE"; fi

  p=$(port)
  nc -l 127.0.0.1 "$p" >/dev/null &
  sink=$!
  sleep 0.2
  t0=$(now); cat "$work/big.wav" | nc -N 127.0.0.1 "$p"; wait $sink; t1=$(now)
  record nc "$t0" "$t1"

  [ "${SEED:-1}" = 0 ] && continue
  p=$(port)
  python3 tools/seed_pipeline.py serve "$work/big.wav" "$p" >/dev/null &
  seed=$!
  sleep 0.5
  t0=$(now); python3 tools/seed_pipeline.py play 127.0.0.1 "$p" >/dev/null; t1=$(now)
  wait $seed || true
  record seed-python "$t0" "$t1"
done

echo "$runs runs of ${size_mib} MiB, load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores:"
for name in "${names[@]}"; do
  python3 -c "import statistics, sys; r = sorted(map(float, sys.argv[2:])); print(f'{sys.argv[1]}: median {statistics.median(r):.3f} GB/s, best {r[-1]:.3f} GB/s')" "$name" ${rates[$name]}
done
