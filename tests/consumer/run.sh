#!/usr/bin/env bash
# Packs the five Ocpp16 packages into a local feed and runs tests/consumer against them, outside the repository
# (no Directory.Build.props, no project references): what a user of the packages gets.
set -euo pipefail
cd "$(dirname "$0")/../.."
feed="$(mktemp -d)"
work="$(mktemp -d)"
trap 'rm -rf "$feed" "$work"' EXIT
# A version of its own (the released version plus a prerelease suffix), so NuGet's package cache never serves an
# earlier pack of the same version.
version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' src/Directory.Build.props | head -1)-ci.$(date +%s)"
for project in Ocpp16.Messages Ocpp16.Transport Ocpp16.ChargePoint Ocpp16.CentralSystem Ocpp16.CentralSystem.RabbitMq; do
  CI=true dotnet pack "src/$project" -c Release -o "$feed" --nologo -p:Version="$version"
done
cp tests/consumer/Consumer.csproj tests/consumer/Program.cs "$work/"
cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local"><package pattern="Ocpp16.*" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
XML
ls -l "$feed"
(cd "$work" && dotnet run -c Release -p:Ocpp16Version="$version" --nologo)
