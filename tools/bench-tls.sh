#!/usr/bin/env bash
# The cost of TLS, against plain TCP in the same run (docs/performance.md, "TLS"):
#  1. asap throughput: serve --pace asap -> play --output null of a SIZE_MIB PCM file, plain and --tls taking turns
#     RUNS times (the client pins the server's fingerprint); rate = file size / wall time of the play process, so it
#     includes process start and, for TLS, the handshake. In the same runs, the floor: OpenSSL's own TLS pipe of the
#     same file (`openssl s_client < file` -> `openssl s_server > /dev/null`, TLS 1.3, AES-128-GCM, our certificate;
#     no framing, no .NET, no process start to speak of), and `openssl speed -evp aes-128-gcm` with 16 KiB blocks
#     (the cipher alone, on one core).
#  2. CPU per real-time stream: a plain and a TLS server (48 kHz stereo s16, 20 ms frames), each feeding CLIENTS
#     `play --output null` clients over loopback, in the same window: after WARMUP s, utime+stime from /proc over
#     WINDOW s, in % of one core per stream, for each server and the clients of each.
# Usage: tools/bench-tls.sh [SIZE_MIB=512] [RUNS=3] [CLIENTS=4] [WARMUP=30] [WINDOW=30]   (WINDOW=0: asap only)
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${1:-512}; runs=${2:-3}; clients=${3:-4}; warmup=${4:-30}; window=${5:-30}
work=$(mktemp -d -t bench-tls.XXXXXX)
pids=()
trap 'kill -TERM "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
export XDG_CONFIG_HOME="$work/config"   # the self-signed certificate of --tls, made once for this run

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
cat "$work/big.wav" > /dev/null
bytes=$(stat -c %s "$work/big.wav")
now() { date +%s.%N; }

serve() { # out-file [options...]: starts a server on a free port; sets $port and $server_pid
  local out=$1; shift
  $streamer serve "$@" --host 127.0.0.1 --port 0 -q >"$out" 2>&1 &
  server_pid=$!
  pids+=($server_pid)
  for _ in $(seq 600); do grep -q "Serving on port" "$out" && break; sleep 0.05; done
  port=$(grep -oP 'Serving on port \K[0-9]+' "$out")
}

openssl_pipe() { # the file through OpenSSL's own client and server (the certificate --tls made); sets $t0 $t1
  local tls_dir="$XDG_CONFIG_HOME/streamer/tls" p
  p=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  # s_server ends the connection at the end of its stdin: give it one that stays open (a fifo no one writes).
  rm -f "$work/stdin.fifo"; mkfifo "$work/stdin.fifo"
  openssl s_server -accept "127.0.0.1:$p" -cert "$tls_dir/server-cert.pem" -key "$tls_dir/server-key.pem" -tls1_3 \
    -ciphersuites TLS_AES_128_GCM_SHA256 -quiet -naccept 1 <"$work/stdin.fifo" >/dev/null 2>"$work/s_server.err" &
  local spid=$!
  pids+=($spid)
  exec {hold}>"$work/stdin.fifo"
  for _ in $(seq 200); do ss -ltnH "sport = :$p" | grep -q . && break; sleep 0.05; done
  t0=$(now)
  # -nocommands: a chunk of the file that starts with R, Q or k is data, not a renegotiate/quit/key-update command.
  openssl s_client -connect "127.0.0.1:$p" -tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256 -quiet -no_ign_eof -nocommands \
    <"$work/big.wav" >/dev/null 2>"$work/s_client.err" || { echo "openssl s_client failed:"; cat "$work/s_client.err"; exit 1; }
  wait "$spid" 2>/dev/null || true
  t1=$(now)
  exec {hold}>&-
}

modes=(plain tls openssl)
declare -A rates
for run in $(seq "$runs"); do
  for mode in "${modes[@]}"; do
    if [ $mode = openssl ]; then
      openssl_pipe
      r=$(python3 -c "print(f'{$bytes/($t1-$t0)/1e9:.3f}')")
      echo "run $run $mode: $(python3 -c "print(f'{$t1-$t0:.2f}')") s, $r GB/s"
      rates[$mode]="${rates[$mode]:-} $r"
      continue
    fi
    if [ $mode = tls ]; then opts=(--tls); else opts=(); fi
    serve "$work/serve-$mode.out" "$work/big.wav" --pace asap "${opts[@]}"; p=$port
    client=()
    if [ $mode = tls ]; then client=(--tls-fingerprint "$(grep -oP 'fingerprint \K\S+' "$work/serve-$mode.out")"); fi
    t0=$(now); $streamer play 127.0.0.1:"$p" --output null -q "${client[@]}" >/dev/null; t1=$(now)
    kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true
    r=$(python3 -c "print(f'{$bytes/($t1-$t0)/1e9:.3f}')")
    echo "run $run $mode: $(python3 -c "print(f'{$t1-$t0:.2f}')") s, $r GB/s"
    rates[$mode]="${rates[$mode]:-} $r"
  done
done
echo "asap: $runs runs of ${size_mib} MiB, load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores:"
for mode in "${modes[@]}"; do
  python3 -c "import statistics, sys; r = sorted(map(float, sys.argv[2:])); print(f'{sys.argv[1]}: median {statistics.median(r):.3f} GB/s, best {r[-1]:.3f} GB/s')" "$mode" ${rates[$mode]}
done
speed=$(openssl speed -evp aes-128-gcm -bytes 16384 -seconds 3 2>/dev/null | awk 'tolower($1) == "aes-128-gcm" {v = $NF} END {sub(/k$/, "", v); print v * 1000}')
python3 - "${rates[plain]}" "${rates[tls]}" "${rates[openssl]}" "$speed" <<'PY'
import statistics, sys
plain, tls, pipe = (statistics.median(float(x) for x in a.split()) for a in sys.argv[1:4])
speed = float(sys.argv[4]) / 1e9
# The cipher's bound on our TLS: plain's time plus one encryption and one decryption of every byte, in series.
bound = 1 / (1 / plain + 2 / speed)
print(f"openssl speed -evp aes-128-gcm (16 KiB blocks, one core): {speed:.2f} GB/s")
print(f"tls/plain (medians): {tls / plain:.2f}; tls/openssl-pipe: {tls / pipe:.2f}; openssl-pipe/plain: {pipe / plain:.2f}")
print(f"cipher-only bound (plain + encrypt + decrypt in series): {bound:.3f} GB/s = {bound / plain:.2f} x plain; tls/bound: {tls / bound:.2f}")
PY

# 2. CPU per real-time stream (WINDOW=0: skip it).
[ "$window" -gt 0 ] || exit 0
seconds=$((warmup + window + 30))
python3 - "$work/tone.wav" "$seconds" <<'PY'
import math, struct, sys
path, seconds = sys.argv[1], int(sys.argv[2])
n = 48000 * seconds
with open(path, "wb") as f:
    f.write(b"RIFF" + struct.pack("<I", 36 + 4 * n) + b"WAVE" + b"fmt " + struct.pack("<IHHIIHH", 16, 1, 2, 48000, 192000, 4, 16) + b"data" + struct.pack("<I", 4 * n))
    block = b"".join(struct.pack("<hh", int(8000 * math.sin(2 * math.pi * 440 * i / 48000)), 0) for i in range(48000))
    for _ in range(seconds):
        f.write(block)
PY
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
declare -A server client_pids
for mode in plain tls; do
  if [ $mode = tls ]; then opts=(--tls); else opts=(); fi
  serve "$work/rt-$mode.out" "$work/tone.wav" "${opts[@]}"; p=$port
  server[$mode]=$server_pid
  client=()
  if [ $mode = tls ]; then client=(--tls-fingerprint "$(grep -oP 'fingerprint \K\S+' "$work/rt-$mode.out")"); fi
  for _ in $(seq "$clients"); do
    $streamer play 127.0.0.1:"$p" --output null -q "${client[@]}" >"$work/client-$mode-$RANDOM.log" 2>&1 &
    pids+=($!)
    client_pids[$mode]="${client_pids[$mode]:-} $!"
  done
done
sleep "$warmup"
for pid in ${client_pids[plain]} ${client_pids[tls]}; do
  [ -e "/proc/$pid/stat" ] || { echo "a client ended before the window:"; cat "$work"/client-*.log; exit 1; }
done
declare -A before
for pid in ${server[plain]} ${server[tls]} ${client_pids[plain]} ${client_pids[tls]}; do before[$pid]=$(ticks "$pid"); done
sleep "$window"
echo "real time: $clients clients per server, ${window} s window after ${warmup} s, load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores:"
for mode in plain tls; do
  s=${server[$mode]}
  st=$(( $(ticks "$s") - ${before[$s]} ))
  ct=0
  for c in ${client_pids[$mode]}; do ct=$(( ct + $(ticks "$c") - ${before[$c]} )); done
  python3 -c "print(f'$mode: server {100*$st/$hz/$window/$clients:.2f} % of a core per stream, client {100*$ct/$hz/$window/$clients:.2f} % per client')"
done
