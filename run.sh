#!/usr/bin/env bash
# Runs Mutexify locally on the embedded default (SQLite, in-process queue, webhooks): no cloud account needed.
# Settings come from MUTEXIFY_* environment variables (see README); the URL is printed when it is up.
set -euo pipefail
cd "$(dirname "$0")"
mvn -q -B -DskipTests -pl embedded -am package
exec java -jar embedded/target/mutexify-embedded.jar
