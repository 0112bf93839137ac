#!/usr/bin/env bash
# raw-pipe.sh: baseline (c) of TESTING.md — a raw pipe that writes every block to a local file and streams the same
# bytes over loopback TCP to a second process that writes them to its own file (io.replicator.benchmarks.RawPipe:
# plain Java NIO, no protocol, no Netty). What replication costs with nothing but the two writes and the wire.
#
# Workloads (REPS repetitions each, after one warm-up run of each that is not counted):
#   stream-1m       1 MiB blocks, TOTAL bytes, no per-block answer          -> MB/s, per-block latency
#   ack-1m-qd8      1 MiB blocks, TOTAL bytes, receiver answers each block  -> MB/s
#                   after writing it, at most 8 unanswered
#   ack-4k-qd1      4 KiB blocks, ACK_TOTAL bytes, every block waits for    -> mean/p50/p99 latency (us)
#                   the remote write's answer (the protocol-C-like round trip)
# FSYNC_EVERY=N forces both files every N blocks and at the end (default 0: page cache only). Both files are filled
# with zeros first, so that no run pays for allocating them. The table shows the median and the spread (min-max).
#
# Usage (from the repository root, after `mvn -o -B -pl benchmarks -am package -DskipTests`):
#   benchmarks/raw-pipe.sh [WORKDIR]
# Environment: TOTAL (default 1G), ACK_TOTAL (default 64M), REPS (default 3), FSYNC_EVERY (default 0),
#   PORT (default 10821), JAVA (default java), KEEP=1 keeps the files and JSON lines.
# Needs: java 17, python3.
set -euo pipefail
cd "$(dirname "$0")/.."

TOTAL=${TOTAL:-1G}
ACK_TOTAL=${ACK_TOTAL:-64M}
REPS=${REPS:-3}
FSYNC_EVERY=${FSYNC_EVERY:-0}
PORT=${PORT:-10821}
JAVA=${JAVA:-java}
JAR=benchmarks/target/benchmarks.jar
WORK=${1:-$(mktemp -d /tmp/raw-pipe.XXXXXX)}
mkdir -p "$WORK"

for tool in python3 "$JAVA"; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
[ -f "$JAR" ] || { echo "build first: mvn -o -B -pl benchmarks -am package -DskipTests" >&2; exit 1; }

receiver=
cleanup() { [ -z "$receiver" ] || kill "$receiver" 2>/dev/null || true; }
trap cleanup EXIT

fill() { # file size
  dd if=/dev/zero of="$1" bs=1M count=$(( $(numfmt --from=iec "$2") >> 20 )) conv=notrunc status=none
}
fill "$WORK/local.img" "$TOTAL"
fill "$WORK/remote.img" "$TOTAL"

run() { # name send-args... -> appends the sender's JSON line to $WORK/NAME.jsonl
  local name=$1; shift
  "$JAVA" -cp "$JAR" io.replicator.benchmarks.RawPipe receive --port "$PORT" --file "$WORK/remote.img" \
    >>"$WORK/receiver.log" 2>&1 &
  receiver=$!
  "$JAVA" -cp "$JAR" io.replicator.benchmarks.RawPipe send --host 127.0.0.1 --port "$PORT" \
    --file "$WORK/local.img" --fsync-every "$FSYNC_EVERY" "$@" >>"$WORK/$name.jsonl"
  wait "$receiver"
  receiver=
}

workloads=(
  "stream-1m --block 1M --total $TOTAL"
  "ack-1m-qd8 --block 1M --total $TOTAL --ack --iodepth 8"
  "ack-4k-qd1 --block 4K --total $ACK_TOTAL --ack --iodepth 1"
)

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -r);" \
  "TOTAL=$TOTAL ACK_TOTAL=$ACK_TOTAL REPS=$REPS FSYNC_EVERY=$FSYNC_EVERY"
for w in "${workloads[@]}"; do
  set -- $w; name=$1; shift
  echo "warm-up $name (not counted)"
  run "warmup" "$@"
done
for rep in $(seq "$REPS"); do
  for w in "${workloads[@]}"; do
    set -- $w; name=$1; shift
    echo "rep $rep $name"
    run "$name" "$@"
  done
done

python3 - "$WORK" <<'PY'
import json, statistics, sys
work = sys.argv[1]
rows = [("stream-1m", "mb_per_s", "MB/s"), ("stream-1m", "p50", "block p50 us"), ("stream-1m", "p99", "block p99 us"),
        ("ack-1m-qd8", "mb_per_s", "MB/s"), ("ack-1m-qd8", "p50", "block p50 us"),
        ("ack-4k-qd1", "mean", "rtt mean us"), ("ack-4k-qd1", "p50", "rtt p50 us"), ("ack-4k-qd1", "p99", "rtt p99 us"),
        ("ack-4k-qd1", "blocks_per_s", "blocks/s")]
def values(name, key):
    out = []
    with open(f"{work}/{name}.jsonl") as f:
        for line in f:
            run = json.loads(line)
            out.append(run[key] if key in run else run["latency_us"][key])
    return out
print(f"| {'workload':11} | {'metric':13} | {'median':>10} | {'min-max':>21} | runs |")
print("|" + "|".join(["-" * 13, "-" * 15, "-" * 12, "-" * 23, "-" * 6]) + "|")
for name, key, label in rows:
    v = values(name, key)
    print(f"| {name:11} | {label:13} | {statistics.median(v):10.1f} | {min(v):9.1f} - {max(v):9.1f} | {len(v):4} |")
PY
if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -f "$WORK"/*.img "$WORK"/*.jsonl "$WORK"/receiver.log; fi
