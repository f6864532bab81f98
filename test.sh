#!/usr/bin/env bash
# Runs every test on a fresh machine. Installs what the tests need when it is missing, then runs Maven.
set -euo pipefail
cd "$(dirname "$0")"
need_java() { command -v java >/dev/null && command -v mvn >/dev/null; }
if ! need_java; then
  echo "test.sh: java and mvn are required (Java 17, Maven 3.8+)" >&2
  exit 1
fi
# The Cosmos DB store's tests (azure-adapters) start this npm package, a Cosmos DB protocol peer;
# it lives in .cache/ (git-ignored) and is installed only when missing.
cosmos_server_dir=.cache/cosmosdb-server
cosmos_server_pkg=@vercel/cosmosdb-server@1.0.1
if ! grep -qs '"version": "1.0.1"' "$cosmos_server_dir/node_modules/@vercel/cosmosdb-server/package.json"; then
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "test.sh: node and npm are required for the Cosmos DB store tests (Node.js 18+)" >&2
    exit 1
  fi
  echo "test.sh: installing $cosmos_server_pkg into $cosmos_server_dir" >&2
  npm install --no-audit --no-fund --loglevel=error --prefix "$cosmos_server_dir" "$cosmos_server_pkg" >&2
fi
# The web UI's browser tests drive Debian's chromium through Debian's chromedriver (never a download by
# Selenium Manager); install both when either is missing.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  echo "test.sh: installing chromium and chromium-driver for the browser tests" >&2
  export DEBIAN_FRONTEND=noninteractive  # CI has no terminal for debconf questions
  apt-get update -qq && apt-get install -y -qq chromium chromium-driver >&2
fi
exec mvn -B verify "$@"
