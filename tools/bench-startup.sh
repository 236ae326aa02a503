#!/usr/bin/env bash
# Start-up of the Native AOT binary against the ReadyToRun build (dotnet streamer.dll), in one run:
#   1. `streamer --version`: launch to exit;
#   2. `streamer play HOST:PORT --output -` against a running server: launch to the first audio byte on stdout.
# Each is run RUNS times (default 15), alternating the two builds; the median and the fastest are printed, with the
# machine's load average. Needs tools/publish.sh's artifacts/linux-x64/streamer and a Release build.
# Usage: tools/bench-startup.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-15}
aot=artifacts/linux-x64/streamer
r2r=src/Streamer.Cli/bin/Release/net10.0/streamer.dll
[ -x "$aot" ] || { echo "bench-startup.sh: no $aot: run tools/publish.sh" >&2; exit 1; }
[ -f "$r2r" ] || { echo "bench-startup.sh: no $r2r: run dotnet build src/Streamer.Cli -c Release" >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
exec python3 - "$aot" "$r2r" "$runs" <<'PY'
import os, re, statistics, subprocess, sys, tempfile, time, wave

aot, r2r, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
builds = {"aot": [aot], "r2r": ["dotnet", r2r]}

# A 10 s PCM WAV served on demand by the ReadyToRun build: each player gets its first frame at once.
tmp = tempfile.mkdtemp(prefix="bench-startup-")
path = os.path.join(tmp, "ten.wav")
with wave.open(path, "wb") as w:
    w.setnchannels(2); w.setsampwidth(2); w.setframerate(48000)
    w.writeframes(bytes(48000 * 4 * 10))
server = subprocess.Popen(["dotnet", r2r, "serve", path, "--host", "127.0.0.1", "--port", "0", "-q"],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
port = None
for line in server.stdout:
    m = re.search(r"Serving on port (\d+)", line)
    if m:
        port = m.group(1)
        break
if port is None:
    sys.exit("bench-startup.sh: the server did not start")

def version(cmd):
    t = time.perf_counter()
    subprocess.run(cmd + ["--version"], stdout=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - t) * 1000

def first_audio(cmd):
    t = time.perf_counter()
    p = subprocess.Popen(cmd + ["play", f"127.0.0.1:{port}", "--output", "-", "-q"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    b = p.stdout.read(1)
    ms = (time.perf_counter() - t) * 1000
    p.kill(); p.wait()
    if not b:
        sys.exit("bench-startup.sh: play gave no audio")
    return ms

try:
    results = {(b, k): [] for b in builds for k in ("version", "first-audio")}
    for name, cmd in builds.items():   # one warm-up each: page cache, not JIT
        version(cmd); first_audio(cmd)
    for _ in range(runs):
        for name, cmd in builds.items():
            results[(name, "version")].append(version(cmd))
            results[(name, "first-audio")].append(first_audio(cmd))
finally:
    server.kill(); server.wait()

load = open("/proc/loadavg").read().split()[:3]
print(f"runs: {runs} each, alternating; load average {' '.join(load)}; {os.cpu_count()} cores")
print(f"{'measure':<34} {'AOT median':>11} {'AOT min':>9} {'R2R median':>11} {'R2R min':>9} {'R2R/AOT':>8}")
for k, label in (("version", "streamer --version (launch to exit)"), ("first-audio", "play: launch to first audio byte")):
    a, r = results[("aot", k)], results[("r2r", k)]
    print(f"{label:<34} {statistics.median(a):>8.1f} ms {min(a):>6.1f} ms {statistics.median(r):>8.1f} ms {min(r):>6.1f} ms {statistics.median(r) / statistics.median(a):>7.1f}x")
print(f"AOT binary: {os.path.getsize(aot) / 1024 / 1024:.1f} MiB ({os.path.getsize(aot)} bytes), one file; "
      f"R2R build folder: {sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(os.path.dirname(r2r)) for f in fs) / 1024 / 1024:.1f} MiB plus the .NET runtime")
PY
