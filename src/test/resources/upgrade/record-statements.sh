#!/usr/bin/env bash
# Records every statement this release sends to PostgreSQL into previous-release-statements.sql,
# next to this script: the corpus that PreviousReleaseStatementsTest checks the next release's
# schema against. A step of cutting a release (README, "Upgrading"): run it on the release's commit,
# from anywhere in the repository, and commit the corpus with the release.
#
#   bash src/test/resources/upgrade/record-statements.sh
#
# It runs the whole test suite (./mvnw verify: the unit and HTTP tests, then the process tests,
# which pass the setting on to the service processes they start) with -Dio.checkpointd.sql.record,
# which makes the service append each distinct statement it prepares to a file (SqlRecorder,
# RecordingStatementInspector for Hibernate's). Needs what ./mvnw verify needs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../../../.."
raw=$(mktemp "${TMPDIR:-/tmp}/checkpointd-statements.XXXXXX")
trap 'rm -f "$raw"' EXIT

# Surefire hands properties given with -D to the test JVM (not through argLine, which Quarkus's
# plugin sets). The corpus test itself is left out: it checks the corpus this run replaces.
./mvnw -B -q verify "-Dio.checkpointd.sql.record=$raw" \
  -Dtest='!*IT,!PreviousReleaseStatementsTest' -Dsurefire.failIfNoSpecifiedTests=false

python3 - "$raw" "$here/previous-release-statements.sql" <<'PYEOF'
import os, re, subprocess, sys
raw, out = sys.argv[1], sys.argv[2]
SEP = "-- statement"
with open(raw, encoding="utf-8") as f:
    entries = [e.strip() for e in re.split(r"(?m)^" + re.escape(SEP) + r"$", f.read())]
# Tests move the database clock forward (MovableDatabaseClock): the service then sends
# (now() + interval 'N milliseconds') where it otherwise sends now(). One statement, not one per N.
clock = re.compile(r"\(now\(\) \+ interval '-?\d+ milliseconds'\)")
statements = sorted({clock.sub("now()", e) for e in entries if e})
commit = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True).stdout.strip()
# The newest migration of this release: the next release's test checks what was added since.
versions = [int(m.group(1)) for f in os.listdir("src/main/resources/db/migration")
            if (m := re.match(r"V(\d+)__", f))]
with open(out, "w", encoding="utf-8") as f:
    f.write("-- Every statement the release sends to PostgreSQL, recorded from its tests at commit %s by\n"
            "-- record-statements.sh (do not edit by hand). PreviousReleaseStatementsTest checks that\n"
            "-- the newest schema still accepts each one, so that this release runs beside the next.\n"
            "-- Entries are separated by a line '%s'.\n"
            "-- schema version: %d\n" % (commit or "(unknown)", SEP, max(versions)))
    for s in statements:
        f.write(SEP + "\n" + s + "\n")
print(f"{out}: {len(statements)} statements ({len(entries)} recorded)")
PYEOF
