#!/usr/bin/env python3
"""Builds one project and records its undeclared (RS0016) / vanished (RS0017) public symbols in its
PublicAPI.Unshipped.txt: the quick form of scripts/update-public-api.sh for the project being changed.
   scripts/update-public-api-project.py src/Ocpp16.Transport"""
import re, subprocess, sys
project = sys.argv[1].rstrip("/")
out = subprocess.run(["dotnet", "build", project, "-p:TreatWarningsAsErrors=false"], capture_output=True, text=True).stdout
added, removed = set(), set()
for line in out.splitlines():
    m = re.search(r"(RS0016|RS0017): Symbol '(.+?)' is (?:not part of the declared public API|part of the declared API)", line)
    if m and f"{project.split('/')[-1]}.csproj" in line:
        (added if m.group(1) == "RS0016" else removed).add(m.group(2))
path = f"{project}/PublicAPI.Unshipped.txt"
lines = [l.rstrip("\n") for l in open(path, encoding="utf-8")]
header = [l for l in lines if l.startswith("#")]
body = ({l for l in lines if l and not l.startswith("#")} | added) - removed
open(path, "w", encoding="utf-8").write("\n".join(header + sorted(body)) + "\n")
print(f"{path}: +{len(added)} -{len(removed)}")
