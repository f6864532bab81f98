#!/usr/bin/env bash
# Builds the server and the bench, starts a server on a fresh data folder, signs in and drives it over HTTP,
# printing throughput and latency percentiles. Extra arguments go to the bench (see --help).
set -euo pipefail
cd "$(dirname "$0")"
mvn -q -B -DskipTests -pl embedded,bench -am package
data=$(mktemp -d)
# --slots N registers N idle slots before the server starts, written with the store's own code (HTTP
# would take hours for a million); the bench gets the same option and reads among them.
slots=0
args=("$@")
for i in "${!args[@]}"; do
  case "${args[$i]}" in
    --slots=*) slots=${args[$i]#--slots=} ;;
    --slots) slots=${args[$((i + 1))]:-0} ;;
  esac
done
if [ "$slots" -gt 0 ]; then
  java -cp embedded/target/mutexify-embedded.jar io.mutexify.embedded.tools.SeedSlots "$data" "$slots" \
    seed-owner@example.com bench@example.com
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# On loopback the server's default sign-in is the dev sign-in. The rate limit is off: the bench measures
# the lock path at full speed, with authentication, and one principal drives all its clients.
MUTEXIFY_PORT=$port MUTEXIFY_DATA_DIR=$data MUTEXIFY_RATE_LIMIT_PER_SECOND=0 \
  java @embedded/jvm.options -jar embedded/target/mutexify-embedded.jar >"$data/server.log" 2>&1 &
server=$!
# wait answers the killed server's status: || true, or set -e would end the trap before the rm.
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 600); do
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break
  sleep 0.2
done
# The session token goes to the bench through the environment, not the command line (ps shows arguments).
MUTEXIFY_API_KEY=$(curl -fsS -X POST "http://127.0.0.1:$port/api/v1/auth/dev" -H 'Content-Type: application/json' -d '{"email":"bench@example.com"}' \
  | sed -E 's/.*"token":"([^"]+)".*/\1/')
export MUTEXIFY_API_KEY
java -jar bench/target/mutexify-bench.jar --url "http://127.0.0.1:$port" "$@"
