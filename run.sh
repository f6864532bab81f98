#!/usr/bin/env bash
# Runs Mutexify locally on the embedded default (SQLite, in-process queue, webhooks): no cloud account needed.
# Settings come from MUTEXIFY_* environment variables (see README). When it is up it prints the URL and how
# to sign in: on loopback with no Google client configured, that is the dev sign-in (see README, "Sign-in and access").
set -euo pipefail
cd "$(dirname "$0")"
mvn -q -B -DskipTests -pl embedded -am package
exec java -jar embedded/target/mutexify-embedded.jar
