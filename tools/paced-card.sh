#!/usr/bin/env bash
# A paced stand-in for a sound card on machines without one: runs COMMAND with HOME pointing at a temporary
# .asoundrc whose default ALSA device writes raw PCM into a FIFO that a reader drains at the real-time byte rate
# (ALSA's "null" slave alone consumes as fast as the CPU goes). What the "card" played ends up in $CAPTURE.
# Usage: tools/paced-card.sh BYTES_PER_SECOND CAPTURE.raw COMMAND...   e.g. 192000 for 48 kHz stereo s16.
set -euo pipefail
rate=$1; capture=$2; shift 2
dir=$(mktemp -d); trap 'kill $reader 2>/dev/null || true; rm -rf "$dir"' EXIT
mkdir "$dir/home"; mkfifo "$dir/card.fifo"
printf 'pcm.!default { type file; slave.pcm "null"; file "%s"; format "raw" }\n' "$dir/card.fifo" > "$dir/home/.asoundrc"
python3 - "$dir/card.fifo" "$capture" "$rate" <<'PY' &
import fcntl, sys, time
fifo, out_path, rate = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(out_path, 'wb', buffering=0) as out:
    while True:  # PortAudio opens and closes the device while probing: reopen until killed
        with open(fifo, 'rb', buffering=0) as inp:
            try:
                fcntl.fcntl(inp.fileno(), 1031, 4096)  # F_SETPIPE_SZ
            except OSError:
                pass
            start, sent = None, 0
            while chunk := inp.read(960):
                start = start or time.monotonic()
                out.write(chunk); sent += len(chunk)
                ahead = sent / rate - (time.monotonic() - start)
                if ahead < -0.02:  # fell behind (descheduled): carry on at the real rate, as a card would after an xrun
                    start, sent = time.monotonic(), 0
                if ahead > 0.002:
                    time.sleep(ahead - 0.002)
PY
reader=$!
HOME="$dir/home" "$@"
