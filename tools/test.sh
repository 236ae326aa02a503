#!/usr/bin/env bash
# Installs what the tests need (Debian/Ubuntu packages, NuGet packages), builds, and runs every test.
# Usage: tools/test.sh [extra 'dotnet test' arguments, e.g. --filter Category!=Slow]
set -euo pipefail
cd "$(dirname "$0")/.."

# Real tools the tests check our files with, and the native libraries users play and encode through.
packages=(sox ffmpeg opus-tools libportaudio2 libopus-dev alsa-utils netcat-openbsd python3 pulseaudio pulseaudio-utils libasound2-plugins icecast2 curl openssl clang zlib1g-dev chromium chromium-driver)
tools/apt-install.sh "${packages[@]}"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet restore Streamer.sln
dotnet build Streamer.sln --no-restore -c Release
# The Native AOT binary NativeBinaryTests runs (about 3 minutes on 2 cores; docs/deployment.md). SKIP_AOT=1 skips it.
[ -n "${SKIP_AOT:-}" ] || tools/publish.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
# A hung test fails the run (with a dump) instead of running into CI's time limit.
# Timing-sensitive checks (Category=Timing) need a quiet machine: they run only when asked for with --filter.
args=("$@")
case " $* " in *" --filter "*) ;; *) args+=(--filter "Category!=Timing") ;; esac
dotnet test tests/Streamer.Tests/Streamer.Tests.csproj --no-build -c Release --logger "console;verbosity=normal" \
  --blame-hang-timeout 5m "${args[@]}" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# The runner's own summary ("Total tests: N", "Passed: N", "Failed: N", "Skipped: N") as one plain line.
field() { grep -E "^ *$1: +[0-9]+" "$log" | tail -n 1 | sed -E 's/[^0-9]*([0-9]+).*/\1/'; }
# The failing tests' names and messages, last, so that a log's tail names what failed.
awk '/^  Failed /{show=1; n=0} /^  (Passed|Skipped) /{show=0} show && n++ < 40' "$log" | sed 's/^/failed> /'
total=$(field "Total tests" || true)
if [ -n "$total" ]; then
  passed=$(field Passed || true); failed=$(field Failed || true); skipped=$(field Skipped || true)
  echo "tests: ${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
fi
exit "$status"
