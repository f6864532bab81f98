#!/usr/bin/env python3
"""Turns two snapshots of bench/profile.sh (and optional collapsed stacks) into CPU per operation.

Usage: profile_report.py SCENARIO BENCH_OUTPUT SNAP0 SNAP1 [SERVER_STACKS BENCH_STACKS]
"""
import json
import os
import re
import sys

TICK = os.sysconf("SC_CLK_TCK")

# Thread name (as /proc shows it, 15 characters at most) -> group.
THREAD_GROUPS = [
    ("store writer", re.compile(r"^mutexify-store-")),
    ("queue workers (Lockkeeper)", re.compile(r"^mutexify-queue-")),
    ("HTTP threads", re.compile(r"^(mutexify-jetty|JettyServerThre|qtp)")),
    ("bench clients", re.compile(r"^pool-\d+-thread")),
    ("GC", re.compile(r"^(GC Thread|G1 |VM Periodic)")),
    ("JIT", re.compile(r"^C[12] CompilerThre")),
]

# A stack's layer: the first rule (in this order) any of its frames matches. So JSON inside auth is auth,
# SQL called from anywhere is SQL, and HTTP is what is left of the socket and server code.
LAYERS = [
    ("fsync", re.compile(r"(^|;)(__)?(fsync|fdatasync)|unixSync|full_fsync")),
    ("thread hand-offs (park, unpark)", re.compile(r"LockSupport\.(park|unpark)|futex|Unsafe\.park")),
    ("SQL (SQLite)", re.compile(r"org\.sqlite|sqlite3|libsqlitejdbc")),
    ("auth", re.compile(r"frontface\.auth\.|javax\.crypto|sun\.security|MessageDigest")),
    ("JSON", re.compile(r"com\.fasterxml\.jackson")),
    ("machine", re.compile(r"io\.mutexify\.model\.machine")),
    ("queue + Lockkeeper", re.compile(r"io\.mutexify\.(lockkeeper|embedded\.queue|frontface\.dispatch)")),
    ("HTTP", re.compile(r"org\.eclipse\.jetty|io\.javalin|jakarta\.servlet|sun\.nio|java\.net|sun\.net|"
                        r"KeepAliveConnection|BenchHttp|java\.io\.|(^|;)(__)?(send|recv|write|read|epoll_\w+|writev)"
                        r"(;|$)")),
    ("API routes, screen, input", re.compile(r"io\.mutexify\.frontface")),
]
THREAD_LAYERS = [("GC", re.compile(r"GC Thread|G1 |VM Periodic")), ("JIT", re.compile(r"CompilerThre|Sweeper")),
                 ("JVM (VM thread, other)", re.compile(r"VM Thread|Service Thread|Signal"))]


def group_of(name):
    for group, pattern in THREAD_GROUPS:
        if pattern.search(name):
            return group
    return "other threads"


def cpu_by_group(snap0, snap1, proc):
    groups = {}
    for tid, (name, ticks) in snap1[proc].items():
        before = snap0[proc].get(tid, [name, 0])[1]
        g = group_of(name)
        groups[g] = groups.get(g, 0) + (ticks - before)
    return {g: t / TICK for g, t in groups.items()}


def layers(path):
    if not path or not os.path.exists(path):
        return None
    totals = {}
    for line in open(path):
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not count.isdigit():
            continue
        stack = stack.replace("/", ".")
        thread = stack.split(";", 1)[0]
        layer = next((l for l, p in THREAD_LAYERS if p.search(thread)), None)
        if layer is None:
            frames = stack.split(";", 1)[1] if ";" in stack else stack
            layer = next((l for l, p in LAYERS if p.search(frames)), "other (JVM, java.util, logging)")
        totals[layer] = totals.get(layer, 0) + int(count)
    return totals


def main():
    scenario, bench_out, s0, s1 = sys.argv[1:5]
    stacks = sys.argv[5:7] if len(sys.argv) > 6 else [None, None]
    text = open(bench_out).read()
    m = re.search(r"= ([\d,]+) (cycles|grants)/s", text)
    if not m:
        print(f"== {scenario}: the bench printed no rate\n{text}")
        return
    rate, unit = int(m.group(1).replace(",", "")), m.group(2)
    snap0, snap1 = json.loads(open(s0).read()), json.loads(open(s1).read())
    seconds = snap1["t"] - snap0["t"]
    # Cycles (grants) inside the sampled part of the window: the server's count of grants, else the bench's rate.
    acquired = 'mutexify_events_total{type="io.mutexify.lock.acquired"}'
    counted = snap1["metrics"].get(acquired, 0) - snap0["metrics"].get(acquired, 0)
    ops = counted if counted > 0 else rate * seconds
    print(f"\n== {scenario}: {rate:,} {unit}/s over the window, {ops / seconds:,.0f}/s while sampled "
          f"({seconds:.1f} s); 2 HTTP calls per {unit[:-1]}")
    for line in text.splitlines():
        if "latency ms" in line or "check:" in line:
            print("  bench:" + line.strip().join([" ", ""]))
    for proc in ("server", "bench"):
        groups = cpu_by_group(snap0, snap1, proc)
        total = sum(groups.values())
        print(f"  {proc:6} CPU {total / seconds * 100:5.0f} % of a core = {total / ops * 1e6:6.0f} µs per {unit[:-1]}"
              f" ({total / ops / 2 * 1e6:.0f} µs per HTTP call)")
        if "JIT" in groups:
            print(f"      {'(without JIT:':28} {(total - groups['JIT']) / ops * 1e6:6.0f} µs)")
        for g, sec in sorted(groups.items(), key=lambda kv: -kv[1]):
            if sec > 0:
                print(f"      {g:28} {sec / ops * 1e6:6.0f} µs")
        tree = layers(stacks[0] if proc == "server" else stacks[1])
        if tree:
            samples = sum(tree.values())
            print(f"    by layer (async-profiler, {samples} samples):")
            for layer, n in sorted(tree.items(), key=lambda kv: -kv[1]):
                print(f"      {layer:28} {n / samples * total / ops * 1e6:6.0f} µs  ({n / samples * 100:4.1f} %)")
    m0, m1 = snap0["metrics"], snap1["metrics"]
    batches = m1["mutexify_store_batches_total"] - m0["mutexify_store_batches_total"]
    writes = m1["mutexify_store_writes_total"] - m0["mutexify_store_writes_total"]
    syncs = m1.get("mutexify_store_syncs_total", 0) - m0.get("mutexify_store_syncs_total", 0)
    if batches:
        print(f"  store: {batches / seconds:,.0f} commits/s, {writes / batches:.2f} writes per commit, "
              f"{writes / ops:.2f} writes per {unit[:-1]}, {syncs / seconds:,.0f} WAL syncs/s")
    rows = {t: (snap1["rows"][t] - snap0["rows"][t]) / ops for t in snap1["rows"]}
    print("  rows added per " + unit[:-1] + ": " + ", ".join(f"{t} {n:.2f}" for t, n in rows.items()))
    io0, io1 = snap0["io"], snap1["io"]
    print(f"  bytes per {unit[:-1]}: written by the process {(io1['wchar'] - io0['wchar']) / ops:,.0f} "
          f"(sockets and files), reaching the disk {(io1['write_bytes'] - io0['write_bytes']) / ops:,.0f}")


if __name__ == "__main__":
    main()
