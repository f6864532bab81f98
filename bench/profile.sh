#!/usr/bin/env bash
# Where the CPU goes: runs bench.sh's scenarios one at a time against a fresh server and prints, for the
# measured window, the CPU microseconds per operation of the server (per thread group) and of the bench,
# the commits and writes per commit, the rows and bytes the store wrote per operation, and GC.
# With PROFILER=async (the default when it can be fetched) it also records async-profiler stacks of both
# processes for the window and sums them per layer (HTTP, auth, JSON, queue, machine, SQL, fsync, ...).
#
#   bench/profile.sh [--clients 16] [--warmup 10] [--seconds 15] [--scenario uncontended|contended|both]
#   PROFILER=async|jfr|none  OUT=dir (kept: stacks, server log)  NO_BUILD=1 (use the built jars)
#   PREWARM=N  drive both scenarios N seconds each first, so the server's JIT has settled before measuring
set -euo pipefail
cd "$(dirname "$0")/.."
clients=16 warmup=10 seconds=15 scenario=both
while [[ $# -gt 0 ]]; do
  case $1 in
    --clients) clients=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --scenario) scenario=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
(( seconds >= 6 )) || { echo "--seconds must be at least 6" >&2; exit 2; }
PROFILER=${PROFILER:-async}
out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
[[ -n ${NO_BUILD:-} ]] || mvn -q -B -DskipTests -pl embedded,bench -am package

agent=""
if [[ $PROFILER == async ]]; then
  # async-profiler from Maven Central; only its native library is used, loaded into each JVM for the window.
  ap=bench/target/async-profiler
  if [[ ! -f $ap/linux-x64/libasyncProfiler.so ]]; then
    mkdir -p "$ap"
    mvn -q -B dependency:copy -Dartifact=tools.profiler:async-profiler:4.2:jar:linux-x64 -DoutputDirectory="$ap" \
      && (cd "$ap" && unzip -q -o async-profiler-4.2-linux-x64.jar 'linux-x64/*') || PROFILER=none
  fi
  agent=$PWD/$ap/linux-x64/libasyncProfiler.so
  [[ -f $agent ]] || PROFILER=none
fi

data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
MUTEXIFY_PORT=$port MUTEXIFY_DATA_DIR=$data MUTEXIFY_RATE_LIMIT_PER_SECOND=0 \
  java @embedded/jvm.options ${SERVER_JAVA_OPTS:-} -jar embedded/target/mutexify-embedded.jar >"$out/server.log" 2>&1 &
server=$!
bench=""
trap 'kill $server 2>/dev/null; [[ -n $bench ]] && kill $bench 2>/dev/null; wait 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break
  sleep 0.2
done
MUTEXIFY_API_KEY=$(curl -fsS -X POST "http://127.0.0.1:$port/api/v1/auth/dev" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.com"}' | sed -E 's/.*"token":"([^"]+)".*/\1/')
export MUTEXIFY_API_KEY

# One sample of everything the report needs, as a JSON line: per-thread CPU ticks, I/O, store metrics, rows.
snapshot() {
  python3 - "$server" "$bench" "$port" "$data/mutexify.db" <<'PY'
import json, os, sqlite3, sys, time, urllib.request
server, bench, port, db = sys.argv[1:5]
def threads(pid):
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            comm = open(f"/proc/{pid}/task/{tid}/comm").read().strip()
            f = open(f"/proc/{pid}/task/{tid}/stat").read().rsplit(")", 1)[1].split()
            out[tid] = [comm, int(f[11]) + int(f[12])]
        except OSError:
            pass
    return out
def io(pid):
    return {k: int(v) for k, v in (l.split(": ") for l in open(f"/proc/{pid}/io").read().splitlines())}
metrics = {}
for line in urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics").read().decode().splitlines():
    if line and not line.startswith("#"):
        k, v = line.rsplit(" ", 1)
        metrics[k] = float(v)
rows = {}
c = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
for t in ("slots", "replies", "outbox", "history"):
    rows[t] = c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
c.close()
print(json.dumps({"t": time.time(), "server": threads(server), "bench": threads(bench), "io": io(server),
                  "metrics": metrics, "rows": rows}))
PY
}

# Loads async-profiler into a JVM (start) or makes it write its stacks and stop (stop).
profiler() {  # profiler start|stop PID FILE
  local what=$1 pid=$2 file=$3
  case $PROFILER in
    async) if [[ $what == start ]]; then
             # The options in quotes: unquoted, jcmd would read "event=cpu" as one of its own arguments.
             jcmd "$pid" JVMTI.agent_load "$agent" "\"start,event=cpu,interval=1ms,threads\"" >/dev/null || true
           else
             jcmd "$pid" JVMTI.agent_load "$agent" "\"stop,file=$file,collapsed\"" >/dev/null || true
           fi ;;
    jfr) if [[ $what == start ]]; then
           jcmd "$pid" JFR.start name=window settings=profile >/dev/null || true
         else
           jcmd "$pid" JFR.stop name=window filename="$file.jfr" >/dev/null || true
         fi ;;
  esac
}

run_scenario() {
  local s=$1
  java ${BENCH_JAVA_OPTS:-} -jar bench/target/mutexify-bench.jar --url "http://127.0.0.1:$port" --clients "$clients" \
    --warmup "$warmup" --seconds "$seconds" --scenario "$s" >"$out/bench-$s.txt" 2>&1 &
  bench=$!
  # Sample strictly inside the measured window: JVM start and warm-up before it, the last seconds after.
  sleep "$warmup.5"
  snapshot >"$out/snap-$s-0.json"
  profiler start "$server" - & a=$!; profiler start "$bench" - & b=$!; wait $a $b
  sleep $((seconds - 6))
  profiler stop "$server" "$out/server-$s.collapsed" & a=$!; profiler stop "$bench" "$out/bench-$s.collapsed" & b=$!
  wait $a $b
  snapshot >"$out/snap-$s-1.json"
  wait "$bench" || true
  bench=""
  python3 bench/profile_report.py "$s" "$out/bench-$s.txt" "$out/snap-$s-0.json" "$out/snap-$s-1.json" \
    "$out/server-$s.collapsed" "$out/bench-$s.collapsed"
}

if (( ${PREWARM:-0} > 0 )); then
  java -jar bench/target/mutexify-bench.jar --url "http://127.0.0.1:$port" --clients "$clients" --warmup 0 \
    --seconds "$PREWARM" >"$out/prewarm.txt" 2>&1 || true
fi
[[ $scenario == contended ]] || run_scenario uncontended
[[ $scenario == uncontended ]] || run_scenario contended
echo "(stacks, bench output and server log in $out)"
