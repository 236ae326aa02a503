#!/usr/bin/env bash
# Builds the self-contained Native AOT `streamer` for linux-x64: artifacts/linux-x64/streamer, one file that needs no
# .NET installed (docs/deployment.md). Installs the native toolchain it needs (clang as the linker, zlib) first.
# Takes a few minutes and both cores. Fails on any trim or AOT warning (the repo treats warnings as errors).
# Usage: tools/publish.sh            (RID=linux-arm64 tools/publish.sh on an arm64 machine)
set -euo pipefail
cd "$(dirname "$0")/.."
rid=${RID:-linux-x64}

packages=(clang zlib1g-dev)
tools/apt-install.sh "${packages[@]}"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out="artifacts/$rid"
staging="artifacts/aot-build/publish-$rid"
log="artifacts/aot-build/publish-$rid.log"
mkdir -p "$out" artifacts/aot-build
rm -rf "$staging"
# A build tree of its own (--artifacts-path): the normal bin/ and obj/ (framework-dependent, ReadyToRun, what the
# tests run) are left as they are. The ILCompiler package is the one the SDK picks for its runtime.
set +e
dotnet publish src/Streamer.Cli/Streamer.Cli.csproj -c Release -r "$rid" --artifacts-path artifacts/aot-build \
  -p:PublishAot=true -p:SelfContained=true -p:PublishReadyToRun=false -o "$staging" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
  echo "publish.sh: dotnet publish failed (exit $status); see $log" >&2
  exit "$status"
fi
# Warnings are errors for the compilers; ILC's own analysis is checked here too, so none slips through.
if grep -E "warning (IL|NETSDK|CS)[0-9]+" "$log" | grep -v " 0 Warning" >/dev/null; then
  echo "publish.sh: the publish had trim/AOT warnings (above); fix them" >&2
  exit 1
fi
cp "$staging/streamer" "$out/streamer"
size=$(stat -c %s "$out/streamer")
echo "$out/streamer: $("$out/streamer" --version), $((size / 1024)) KiB ($size bytes)"
