#!/usr/bin/env bash
# Usage: stream-cpu.sh path/to/streamer.dll FILE.wav [serve options, e.g. --codec opus --bitrate 64]
# CPU of one real-time stream: serve FILE with CODEC at realtime pacing to one `play --output null`, then read
# utime+stime (clock ticks) of both processes from /proc before they exit.
set -euo pipefail
S=$1; FILE=$2; shift 2
dotnet $S serve "$FILE" --host 127.0.0.1 --port 0 -q "$@" > ${TMPDIR:-/tmp}/serve.out 2>&1 &
SPID=$!
for i in $(seq 1 50); do grep -q "Serving on port" ${TMPDIR:-/tmp}/serve.out && break; sleep 0.2; done
PORT=$(grep -o 'port [0-9]*' ${TMPDIR:-/tmp}/serve.out | awk '{print $2}')
dotnet $S play 127.0.0.1:$PORT --output null -q > ${TMPDIR:-/tmp}/play.out 2>&1 &
PPID2=$!
sleep 1
s0=$(awk '{print $14+$15}' /proc/$SPID/stat); p0=$(awk '{print $14+$15}' /proc/$PPID2/stat); t0=$(date +%s.%N)
sleep 25
s1=$(awk '{print $14+$15}' /proc/$SPID/stat); p1=$(awk '{print $14+$15}' /proc/$PPID2/stat); t1=$(date +%s.%N)
TCK=$(getconf CLK_TCK)
python3 -c "w=$t1-$t0; print(f'window {w:.1f} s: server {($s1-$s0)/$TCK/w*100:.2f} % of a core, client {($p1-$p0)/$TCK/w*100:.2f} % of a core')"
kill $PPID2 2>/dev/null || true; kill $SPID 2>/dev/null || true; wait 2>/dev/null || true
