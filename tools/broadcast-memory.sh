#!/bin/bash
# Server RSS and CPU per listener of one broadcast (docs/streaming.md, "Memory per listener").
# usage: tools/broadcast-memory.sh CODEC N [PORT]   e.g. tools/broadcast-memory.sh opus 1000
set -euo pipefail
codec=$1; n=$2; port=${3:-19700}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
sox -n -r 48000 -c 2 -b 16 "$work/music.wav" synth 30 sine 440
dotnet "$here/../src/Streamer.Cli/bin/Release/net10.0/streamer.dll" serve "$work/music.wav" --mode broadcast --loop \
  --host 127.0.0.1 --port "$port" --codec "$codec" -q > "$work/serve.log" 2>&1 &
pid=$!
sleep 4
python3 "$here/hold-listeners.py" "$port" 20 3 "$codec" > /dev/null    # warm the paths up (JIT) first
sleep 2
rss0=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
python3 "$here/hold-listeners.py" "$port" "$n" 12 "$codec" > "$work/clients.log" &
cpid=$!
until grep -q "CONNECTED\|NOT ALL" "$work/clients.log" 2>/dev/null; do sleep 0.5; done
sleep 4
cpuA=$(awk '{print $14+$15}' /proc/$pid/stat); tA=$(date +%s.%N)
sleep 5
cpuB=$(awk '{print $14+$15}' /proc/$pid/stat); tB=$(date +%s.%N)
rss1=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
wait $cpid
cat "$work/clients.log"
echo "codec=$codec listeners=$n rss_before=${rss0}kB rss_with=${rss1}kB per_listener=$(( (rss1 - rss0) * 1024 / n ))B" \
  "cpu=$(python3 -c "print(round(($cpuB-$cpuA)/100/($tB-$tA)*100,1))")%_of_a_core"
