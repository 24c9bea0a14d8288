#!/usr/bin/env bash
# Runs the Native AOT DcCharger binary against MinimalCsms through one charging session and checks that the CSMS
# recorded it (a completed transaction with meterStop >= meterStart, stopped with reason Local).
#   scripts/aot-charging-session.sh PATH/TO/DcCharger
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${1:?usage: scripts/aot-charging-session.sh PATH/TO/DcCharger}"
port="${OCPP16_AOT_PORT:-18231}"
work="$(mktemp -d)"
csms_pid=""
cleanup() {
  [ -n "$csms_pid" ] && kill "$csms_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

dotnet run --project samples/MinimalCsms --no-launch-profile -- --urls "http://127.0.0.1:$port" --data-dir "$work/csms" >"$work/csms.log" 2>&1 &
csms_pid=$!
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$port/api/chargepoints" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fs "http://127.0.0.1:$port/api/chargepoints" >/dev/null || { cat "$work/csms.log"; echo "MinimalCsms did not start" >&2; exit 1; }

# Commands arrive after the boot; the session: plug, swipe (start), charge 4 s, swipe (stop), unplug, quit.
{
  sleep 3; echo "plug 1"; sleep 1; echo "swipe DEMO-TAG-1"; sleep 4; echo "status"; echo "swipe DEMO-TAG-1"; sleep 1; echo "unplug 1"; sleep 1; echo "quit"
} | timeout 60 "$binary" --csms "ws://127.0.0.1:$port/ocpp" --id AOT-1 --data-dir "$work/charger" | tee "$work/charger.log"

transactions="$(curl -fs "http://127.0.0.1:$port/api/transactions")"
echo "$transactions"
echo "$transactions" | grep -q '"chargePointId":"AOT-1"' || { echo "no transaction of AOT-1" >&2; exit 1; }
echo "$transactions" | grep -q '"stopReason":"Local"' || { echo "the transaction of AOT-1 was not stopped with reason Local" >&2; exit 1; }
start=$(echo "$transactions" | sed -n 's/.*"meterStart":\([0-9]*\).*/\1/p' | head -1)
stop=$(echo "$transactions" | sed -n 's/.*"meterStop":\([0-9]*\).*/\1/p' | head -1)
[ -n "$start" ] && [ -n "$stop" ] && [ "$stop" -ge "$start" ] || { echo "meterStop ($stop) < meterStart ($start)" >&2; exit 1; }
grep -q "status: connector 1 Charging" "$work/charger.log" || { echo "the AOT charger never reported Charging" >&2; exit 1; }
echo "Native AOT DcCharger: one charging session against MinimalCsms, meterStart $start Wh, meterStop $stop Wh"
