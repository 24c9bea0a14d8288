#!/usr/bin/env bash
# Footprint of the DcCharger sample (issue 12): publishes the Native AOT binary and builds the JIT (framework-dependent)
# build, then measures both with benchmarks/Ocpp16.Footprint on loopback: size, process start to BootNotification on
# the wire, resident memory (VmRSS) after the boot and after N charging sessions, peak (VmHWM).
#   benchmarks/footprint.sh [SESSIONS]   (default 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
sessions="${1:-1000}"
aot="$(mktemp -d)"
trap 'rm -rf "$aot"' EXIT
dotnet publish samples/DcCharger -c Release -r linux-x64 -o "$aot" --nologo >/dev/null
dotnet build samples/DcCharger -c Release --nologo >/dev/null
dotnet build benchmarks/Ocpp16.Footprint -c Release --nologo >/dev/null
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet run -c Release --no-build --project benchmarks/Ocpp16.Footprint -- \
  --aot "$aot/DcCharger" --jit samples/DcCharger/bin/Release/net10.0/DcCharger.dll --sessions "$sessions"
