#!/usr/bin/env bash
# nbd-vs-nbdkit.sh: the Java NBD export (io.replicator.benchmarks.NbdServeMain) against nbdkit's file plugin, on
# one backing file, measured with fio's nbd engine in one run.
#
# Workloads (each RUNTIME seconds, time-based, over the first SIZE of the file):
#   seqwrite-1m-qd8    1 MiB sequential write, iodepth 8          -> MiB/s
#   randwrite-4k-qd32  4 KiB random write, iodepth 32            -> IOPS
#   randwrite-4k-qd1   4 KiB random write, iodepth 1             -> IOPS, clat mean and p99 (us)
#   randread-4k-qd32   4 KiB random read, iodepth 32             -> IOPS
# Both servers run at once (different ports); the runs alternate ours / nbdkit, REPS repetitions each, after one
# warm-up run against ours (JIT). The table shows the median and the spread (min-max) and the ratio ours/nbdkit of
# the medians. Nothing is replicated: this measures the NBD front end over loopback TCP on a page-cached file.
# Machine-readable: WORKDIR/results.jsonl, one {"name": "WORKLOAD-SERVER-METRIC", "value": V} line per repetition
# (SERVER ours or nbdkit; METRIC mib-per-s, iops, clat-mean-us, clat-p99-us), read by benchmarks/run-all.sh.
#
# Usage (from the repository root, after `mvn -o -B -pl benchmarks -am package -DskipTests`):
#   benchmarks/nbd-vs-nbdkit.sh [WORKDIR]
# Environment: RUNTIME (s, default 8), REPS (default 3), SIZE (default 256M), IO_THREADS (ours, default 8),
#   PORT_OURS (default 10811), PORT_NBDKIT (default 10812), JAVA (default java), KEEP_JSON=1 keeps fio's output.
# Needs: java 17, fio with the nbd engine, nbdkit, python3.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNTIME=${RUNTIME:-8}
REPS=${REPS:-3}
SIZE=${SIZE:-256M}
IO_THREADS=${IO_THREADS:-8}
PORT_OURS=${PORT_OURS:-10811}
PORT_NBDKIT=${PORT_NBDKIT:-10812}
JAVA=${JAVA:-java}
JAR=benchmarks/target/benchmarks.jar
WORK=${1:-$(mktemp -d /tmp/nbd-bench.XXXXXX)}
mkdir -p "$WORK"
FILE="$WORK/backing.img"

for tool in fio nbdkit python3 "$JAVA"; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
[ -f "$JAR" ] || { echo "build first: mvn -o -B -pl benchmarks -am package -DskipTests" >&2; exit 1; }

rm -f "$FILE"
truncate -s 1G "$FILE"
# Allocate the area under test so that neither server pays for filling holes.
dd if=/dev/zero of="$FILE" bs=1M count=$(( $(numfmt --from=iec "$SIZE") >> 20 )) conv=notrunc status=none

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

"$JAVA" -Xmx1g -cp "$JAR" io.replicator.benchmarks.NbdServeMain "$FILE" "$PORT_OURS" "$IO_THREADS" \
  >"$WORK/ours.log" 2>&1 &
pids+=($!)
nbdkit -f -i 127.0.0.1 -p "$PORT_NBDKIT" file "$FILE" >"$WORK/nbdkit.log" 2>&1 &
pids+=($!)
for i in $(seq 100); do
  if nbdinfo --size "nbd://127.0.0.1:$PORT_OURS/bench" >/dev/null 2>&1 \
     && nbdinfo --size "nbd://127.0.0.1:$PORT_NBDKIT/" >/dev/null 2>&1; then break; fi
  sleep 0.2
done

workloads=(
  "seqwrite-1m-qd8 --rw=write --bs=1m --iodepth=8"
  "randwrite-4k-qd32 --rw=randwrite --bs=4k --iodepth=32"
  "randwrite-4k-qd1 --rw=randwrite --bs=4k --iodepth=1"
  "randread-4k-qd32 --rw=randread --bs=4k --iodepth=32"
)

run_fio() { # name uri args... -> json file
  local out=$1 uri=$2; shift 2
  fio --name=bench --ioengine=nbd --uri="$uri" --size="$SIZE" --time_based --runtime="$RUNTIME" \
    --ramp_time=1 --output-format=json --output="$out" "$@" >/dev/null
}

echo "warm-up (ours, not counted)"
run_fio "$WORK/warmup.json" "nbd://127.0.0.1:$PORT_OURS/bench" --rw=randrw --bs=4k --iodepth=32
run_fio "$WORK/warmup2.json" "nbd://127.0.0.1:$PORT_OURS/bench" --rw=write --bs=1m --iodepth=8

for rep in $(seq "$REPS"); do
  for w in "${workloads[@]}"; do
    set -- $w; name=$1; shift
    echo "rep $rep $name"
    run_fio "$WORK/$name.ours.$rep.json" "nbd://127.0.0.1:$PORT_OURS/bench" "$@"
    run_fio "$WORK/$name.nbdkit.$rep.json" "nbd://127.0.0.1:$PORT_NBDKIT/" "$@"
  done
done

python3 - "$WORK" "$REPS" <<'PY'
import json, statistics, sys
work, reps = sys.argv[1], int(sys.argv[2])
rows = [("seqwrite-1m-qd8", "write", "MiB/s"), ("randwrite-4k-qd32", "write", "IOPS"),
        ("randwrite-4k-qd1", "write", "IOPS"), ("randwrite-4k-qd1", "write", "clat mean us"),
        ("randwrite-4k-qd1", "write", "clat p99 us"), ("randread-4k-qd32", "read", "IOPS")]
def metric(job, side, what):
    s = job[side]
    if what == "MiB/s": return s["bw_bytes"] / 2**20
    if what == "IOPS": return s["iops"]
    if what == "clat mean us": return s["clat_ns"]["mean"] / 1000
    if what == "clat p99 us": return s["clat_ns"]["percentile"]["99.000000"] / 1000
def values(name, server, side, what):
    out = []
    for r in range(1, reps + 1):
        with open(f"{work}/{name}.{server}.{r}.json") as f:
            out.append(metric(json.load(f)["jobs"][0], side, what))
    return out
def cell(v):
    return f"{statistics.median(v):10.1f} ({min(v):.1f}-{max(v):.1f})"
keys = {"MiB/s": "mib-per-s", "IOPS": "iops", "clat mean us": "clat-mean-us", "clat p99 us": "clat-p99-us"}
with open(f"{work}/results.jsonl", "w") as out:
    for name, side, what in rows:
        for server in ("ours", "nbdkit"):
            for v in values(name, server, side, what):
                out.write(json.dumps({"name": f"{name}-{server}-{keys[what]}", "value": round(v, 3)}) + "\n")
print(f"| {'workload':18} | {'metric':12} | {'ours median (min-max)':>32} | {'nbdkit median (min-max)':>32} | ours/nbdkit |")
print("|" + "|".join(["-" * 20, "-" * 14, "-" * 34, "-" * 34, "-" * 13]) + "|")
for name, side, what in rows:
    o, k = values(name, "ours", side, what), values(name, "nbdkit", side, what)
    print(f"| {name:18} | {what:12} | {cell(o):>32} | {cell(k):>32} | {statistics.median(o) / statistics.median(k):11.2f} |")
PY
[ "${KEEP_JSON:-0}" = 1 ] || rm -f "$WORK"/*.json "$FILE"
