#!/usr/bin/env bash
# Two-host rehearsal on one machine: two casefile workers and a clerk's submitting machine that
# share nothing local (separate working folders, separate HOME, an environment emptied with
# env -i) except three URLs: Redis, PostgreSQL and the blob store. They finish the sample batch
# together, and the script shows how many pages each "host" read.
#
#   bash scripts/rehearse-two-hosts.sh            # uses Redis/PostgreSQL on 127.0.0.1 (README, "Scaling out")
#   REDIS=redis://10.0.0.5:6379 PG=postgresql://casefile@10.0.0.6:5432 bash scripts/rehearse-two-hosts.sh
#
# On real hosts, the same three variables and `casefile worker` / `casefile submit` are all it takes;
# the storage URL then names a shared mount (NFS) or an object store (s3://…, with s3fs installed).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CASEFILE="$ROOT/.venv/bin/casefile"
REDIS="${REDIS:-redis://127.0.0.1:6379}"
PG="${PG:-postgresql://postgres@127.0.0.1:5432}"
DB="casefile_rehearsal_$$"
BASE="$(mktemp -d /tmp/casefile-rehearsal-XXXX)"

# The only state the hosts share.
SHARED=(
  CASEFILE_BROKER_URL="$REDIS/13"
  CASEFILE_DATABASE_URL="$PG/$DB"
  CASEFILE_STORAGE_URL="file://$BASE/shared-storage"
)

run_on() {  # run_on NAME COMMAND...: as if on host NAME: its own folder and HOME, only the shared URLs
  local name="$1"; shift
  mkdir -p "$BASE/$name"
  cd "$BASE/$name" && exec env -i PATH=/usr/bin:/bin HOME="$BASE/$name" LANG=C.UTF-8 \
    CASEFILE_WORKSPACE="$BASE/$name/workspace" "${SHARED[@]}" "$@"
}

cleanup() {
  for pid in ${WORKERS:-}; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  sleep 3
  for pid in ${WORKERS:-}; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  redis-cli -u "$REDIS/13" flushdb >/dev/null 2>&1 || true
  rm -rf "$BASE"
}
trap cleanup EXIT

psql "$PG/postgres" -qc "CREATE DATABASE $DB" >/dev/null
echo "shared: ${SHARED[*]}"

WORKERS=""
for name in host-a host-b; do
  # setsid: each worker and its pool in a process group of their own, stopped as one at the end
  (run_on "$name" setsid "$CASEFILE" worker --concurrency 1 --hostname "$name@%h") >"$BASE/$name.log" 2>&1 &
  WORKERS="$WORKERS $!"
done
for name in host-a host-b; do
  for _ in $(seq 120); do grep -q " ready\." "$BASE/$name.log" 2>/dev/null && break; sleep 1; done
  grep -q " ready\." "$BASE/$name.log" || { echo "$name did not start:"; tail -20 "$BASE/$name.log"; exit 1; }
  echo "$name: worker ready"
done

(run_on clerk "$CASEFILE" submit "$ROOT/fixtures/sample/batch" --roster "$ROOT/fixtures/sample/roster.csv" \
  --label "two-host rehearsal" --wait --report-json "$BASE/clerk/report.json")
(run_on clerk "$CASEFILE" eval "$ROOT/fixtures/sample/truth.json" "$BASE/clerk/report.json")

echo "pages read per host:"
psql "$PG/$DB" -Atc "SELECT split_part(worker, '@', 1), count(*) FROM records_taskevent
                     WHERE task = 'page' AND event = 'finished' AND outcome = 'done' GROUP BY 1 ORDER BY 1"
