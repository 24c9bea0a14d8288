#!/usr/bin/env bash
# Adds every public symbol the build reports as undeclared (RS0016) to the PublicAPI.Unshipped.txt of its project,
# and removes the declared symbols that no longer exist (RS0017). Run after changing a package's public API on
# purpose; review the diff. Releasing moves the Unshipped lines to PublicAPI.Shipped.txt.
#   scripts/update-public-api.sh
set -euo pipefail
cd "$(dirname "$0")/.."
for round in 1 2 3; do
  log="$(mktemp)"
  dotnet build Ocpp16.sln --no-incremental -p:TreatWarningsAsErrors=false >"$log" 2>&1 || true
  python3 - "$log" <<'PY'
import re, sys, collections
added = collections.defaultdict(set)
removed = collections.defaultdict(set)
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.search(r"(RS0016|RS0017): Symbol '(.+?)' is (?:not part of the declared public API|part of the declared API, but is either not public or could not be found).*\[(.+?\.csproj)\]", line)
    if not m:
        continue
    project = m.group(3).rsplit("/", 1)[0]
    (added if m.group(1) == "RS0016" else removed)[project].add(m.group(2))
for project in sorted(set(added) | set(removed)):
    path = f"{project}/PublicAPI.Unshipped.txt"
    lines = [l.rstrip("\n") for l in open(path, encoding="utf-8")]
    header = [l for l in lines if l.startswith("#")]
    body = {l for l in lines if l and not l.startswith("#")}
    body = (body | added[project]) - removed[project]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(header + sorted(body)) + "\n")
    print(f"{path}: +{len(added[project])} -{len(removed[project])}")
PY
  if ! grep -qE "RS001[67]" "$log"; then
    rm -f "$log"
    break
  fi
  rm -f "$log"
done
