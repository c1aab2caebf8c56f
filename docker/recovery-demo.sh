#!/usr/bin/env bash
# A walkthrough of recovery in containers: bring up docker/compose.yaml (PostgreSQL and two
# replicas), start a few jobs, kill the container that runs them mid-run, watch the other replica
# take them over from their checkpoints and finish them with exact results, then restart the
# killed container and watch it rejoin.
#
#   bash docker/recovery-demo.sh          from anywhere in the repository
#   bash docker/recovery-demo.sh --down   the same, then `compose down -v` at the end
#
# Needs curl and jq, and docker (with `docker compose` or docker-compose) or podman (with
# `podman compose`, podman-compose, or docker-compose talking to `podman system service`).
# ENGINE=docker|podman and COMPOSE="..." override the detection. The replicas listen on
# 127.0.0.1:8081 and 127.0.0.1:8082; their instance ids are their container names.
# Podman runs health checks from systemd timers: where there is no systemd, the database never
# turns healthy and `compose up` waits for it (run `podman healthcheck run checkpointd-db`).
set -euo pipefail
cd "$(dirname "$0")/.."

JOBS=${JOBS:-4}
LIMIT=${LIMIT:-60}
DELAY_MS=${DELAY_MS:-200}
DOWN=0
[[ ${1:-} == --down ]] && DOWN=1
declare -A PORT=([checkpointd-1]=8081 [checkpointd-2]=8082)

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
run() { printf '    $ %s\n' "$*"; "$@"; }
die() { printf 'recovery-demo: %s\n' "$*" >&2; exit 1; }

for tool in curl jq; do command -v $tool >/dev/null || die "$tool is needed"; done
if [[ -z ${ENGINE:-} ]]; then
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then ENGINE=docker
  elif command -v podman >/dev/null && podman info >/dev/null 2>&1; then ENGINE=podman
  else die "neither docker nor podman answers (is the engine running?)"; fi
fi
if [[ -z ${COMPOSE:-} ]]; then
  if $ENGINE compose version >/dev/null 2>&1; then COMPOSE="$ENGINE compose"
  elif [[ $ENGINE == podman ]] && command -v podman-compose >/dev/null; then COMPOSE=podman-compose
  elif command -v docker-compose >/dev/null; then COMPOSE=docker-compose
  else die "no compose for $ENGINE (docker compose, docker-compose, podman compose or podman-compose)"; fi
fi
compose() { run $COMPOSE -f docker/compose.yaml "$@"; }

api() { echo "http://127.0.0.1:${PORT[$1]}"; }
ready() { curl -sf -o /dev/null "$(api "$1")/q/health/ready"; }
wait_ready() {
  local i
  for i in $(seq 120); do ready "$1" && { echo "    $1 is ready ($(api "$1")/q/health/ready)"; return; }; sleep 1; done
  die "$1 not ready after 120 s (see: $ENGINE logs $1)"
}
any_ready() { local n; for n in checkpointd-1 checkpointd-2; do ready "$n" && { echo "$n"; return; }; done; return 1; }
show_jobs() { # a table of the jobs, through any replica that answers
  local via id
  via=$(any_ready) || { echo "    (no replica answers)"; return; }
  printf '    %-36s  %-9s  %-13s  %9s  %s\n' job status instance iteration recoveries
  for id in "${IDS[@]}"; do
    kcurl -sf "$(api "$via")/jobs/$id" |
      jq -r '[.id, .status, (.instance // "-"), "\(.progress.iteration)/\(.progress.total)", .recoveries] | @tsv' |
      awk -F'\t' '{ printf "    %-36s  %-9s  %-13s  %9s  %s\n", $1, $2, $3, $4, $5 }' || true
  done
}

say "Using $ENGINE with '$COMPOSE'"
if [[ ! -f target/quarkus-app/quarkus-run.jar ]]; then
  say "Packaging the service (target/quarkus-app/)"
  run ./mvnw -B -q package -DskipTests
fi

# compose.yaml has no default passwords. A first run makes docker/.env with random ones (kept, so
# that the database volume of a later run still accepts them).
if [[ ! -f docker/.env && -z ${CHECKPOINTD_DB_PASSWORD:-} ]]; then
  say "No docker/.env: writing one with three random passwords (see docker/.env.example)"
  pw() { head -c 18 /dev/urandom | base64 | tr '+/' '-_'; }
  (umask 077 && printf 'CHECKPOINTD_POSTGRES_PASSWORD=%s\nCHECKPOINTD_MIGRATOR_PASSWORD=%s\nCHECKPOINTD_DB_PASSWORD=%s\nCHECKPOINTD_ADMIN_KEY=%s\n' \
    "$(pw)" "$(pw)" "$(pw)" "$(pw)$(pw)" > docker/.env)
fi

# The replicas listen beyond loopback, so they require API keys: the demo uses the admin key.
ADMIN_KEY=${CHECKPOINTD_ADMIN_KEY:-$(sed -n 's/^CHECKPOINTD_ADMIN_KEY=//p' docker/.env 2>/dev/null)}
[[ -n $ADMIN_KEY ]] || die "set CHECKPOINTD_ADMIN_KEY in docker/.env (see docker/.env.example)"
kcurl() { curl -H "Authorization: Bearer $ADMIN_KEY" "$@"; }

say "Bringing up PostgreSQL and two replicas (builds the image from docker/Dockerfile)"
compose up -d --build
wait_ready checkpointd-1
wait_ready checkpointd-2

say "Starting $JOBS squares jobs (limit $LIMIT, ${DELAY_MS} ms per iteration: $((LIMIT * DELAY_MS / 1000)) s each; a checkpoint every 5 iterations)"
body="{\"kind\":\"squares\",\"params\":{\"limit\":$LIMIT,\"delayMs\":$DELAY_MS}}"
printf "    \$ curl -s -X POST %s/jobs -H 'Authorization: Bearer \$CHECKPOINTD_ADMIN_KEY' -H 'Content-Type: application/json' -d '%s'\n" "$(api checkpointd-1)" "$body"
IDS=()
for _ in $(seq "$JOBS"); do
  IDS+=("$(kcurl -sf -X POST "$(api checkpointd-1)/jobs" -H 'Content-Type: application/json' -d "$body" | jq -r .id)")
done
sleep 3
say "Which replica runs each job (GET /jobs/{id}: the instance field)"
show_jobs

# The victim: the replica running the most of them.
VICTIM=$(for id in "${IDS[@]}"; do kcurl -sf "$(api checkpointd-1)/jobs/$id" | jq -r '.instance // empty'; done |
  sort | uniq -c | sort -rn | awk 'NR == 1 { print $2 }')
[[ -n $VICTIM ]] || die "no job is running yet"
SURVIVOR=$([[ $VICTIM == checkpointd-1 ]] && echo checkpointd-2 || echo checkpointd-1)

say "Killing $VICTIM (SIGKILL: no shutdown hook, no last checkpoint) in the middle of its jobs"
run $ENGINE kill "$VICTIM"
echo "    Its database session ends with its process; $SURVIVOR sees its liveness lock released, queues"
echo "    the jobs again and runs them from their latest checkpoints: expect the takeover within a second"
echo "    (without waiting for the 12 s lease TTL, which is for frozen, not dead, owners)."

say "Watching the jobs (every 3 s) until they all succeed"
for i in $(seq 60); do
  sleep 3
  echo "    -- after $((i * 3)) s"
  show_jobs
  via=$(any_ready) || continue
  done_count=0
  for id in "${IDS[@]}"; do
    [[ $(kcurl -sf "$(api "$via")/jobs/$id" | jq -r .status) == SUCCEEDED ]] && done_count=$((done_count + 1))
  done
  ((done_count == ${#IDS[@]})) && break
  ((i == 60)) && die "jobs not finished after 180 s"
done

say "Checking every result: result.data must be [i*i for i in 0..$((LIMIT - 1))]"
for id in "${IDS[@]}"; do
  if kcurl -sf "$(api "$SURVIVOR")/jobs/$id" | jq -e --argjson n "$LIMIT" '.result.data == [range(0; $n) | . * .]' >/dev/null; then
    verdict=exact
  else
    verdict=WRONG
  fi
  runs=$(kcurl -sf "$(api "$SURVIVOR")/jobs/$id/events" | jq -r '[.[] | select(.type == "STARTED" or .type == "RECOVERED") | .detail] | join("; ")')
  echo "    $id: $verdict ($runs)"
  [[ $verdict == exact ]] || die "job $id has a wrong result"
done

say "Restarting $VICTIM"
run $ENGINE start "$VICTIM"
wait_ready "$VICTIM"
run curl -s "$(api "$VICTIM")/q/health/ready"
echo
echo "    Its log since the restart: the same instance id, its engine claiming jobs again:"
$ENGINE logs "$VICTIM" 2>&1 | grep 'Engine started as instance' | tail -1 | sed 's/^/    /' || true

if ((DOWN)); then
  say "Tearing down"
  compose down -v
else
  say "Done. Tear down with: $COMPOSE -f docker/compose.yaml down -v"
fi
