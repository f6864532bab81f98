#!/usr/bin/env bash
# Runs Mutexify locally on the embedded default (SQLite, in-process queue, webhooks): no cloud account needed.
# Builds the server and the CLI (bin/mutexify), prints the five-minute quickstart, then starts the server.
# Settings come from MUTEXIFY_* environment variables (docs/configuration.md). On loopback with no Google
# client configured, people sign in with the dev sign-in (docs/access.md).
set -euo pipefail
cd "$(dirname "$0")"
mvn -q -B -DskipTests -pl embedded,cli -am package
url="http://${MUTEXIFY_HOST:-127.0.0.1}:${MUTEXIFY_PORT:-8080}"
cat <<STEPS

Mutexify is starting at $url — your first lock in five minutes:
  1. Open $url and sign in.
  2. Open "API keys", create a key and copy it.
  3. In another terminal, from this folder:
       export MUTEXIFY_URL=$url MUTEXIFY_API_KEY=<the key>
       bin/mutexify run --slot demo --wait 5m -- ./job.sh
     (any command works in place of ./job.sh; it runs while you hold the lock "demo", and the lock is
     released when it ends). Watch it live: bin/mutexify watch --slot demo, or the slot's page in the UI.
  More: README.md (quickstart and map), docs/ (everything else).

STEPS
exec java @embedded/jvm.options -jar embedded/target/mutexify-embedded.jar
