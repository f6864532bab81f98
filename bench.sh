#!/usr/bin/env bash
# Builds the server and the bench, starts a server on a fresh data folder, drives it over HTTP and
# prints throughput and latency percentiles. Extra arguments go to the bench (see --help).
set -euo pipefail
cd "$(dirname "$0")"
mvn -q -B -DskipTests -pl embedded,bench -am package
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
MUTEXIFY_PORT=$port MUTEXIFY_DATA_DIR=$data java -jar embedded/target/mutexify-embedded.jar >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break
  sleep 0.2
done
java -jar bench/target/mutexify-bench.jar --url "http://127.0.0.1:$port" "$@"
