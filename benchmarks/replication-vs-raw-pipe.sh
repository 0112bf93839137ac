#!/usr/bin/env bash
# replication-vs-raw-pipe.sh: issue 5's end-to-end numbers, all in one run on one machine.
#   - 1 MiB sequential writes (fio, iodepth 8) through the Primary's NBD export, protocol C and protocol A, against
#     the raw pipe of TESTING.md (c) (io.replicator.benchmarks.RawPipe: local write + same bytes over loopback TCP to
#     a second writer), in its streaming mode and in its per-block-ack mode (iodepth 8) — same bytes per run.
#   - 4 KiB random writes at iodepth 1 (mean completion latency), protocol C replicated vs the same export after
#     `disconnect` (unreplicated, same daemon, same volume), with disk-flushes yes (default) and no.
#   - CPU per GiB of the 1 MiB runs: raw pipe sender + receiver (/usr/bin/time), both daemons (/proc/PID/stat)
#     + fio (its own usr/sys accounting) — on a machine whose CPUs are busy in those runs, the ratio of CPU per byte
#     bounds the ratio of throughputs.
#   - The NBD hop alone, same 1 MiB writes: nbdkit's file plugin (a C server, no replication) and the Primary's own
#     export after `disconnect` — throughput and CPU per GiB, and fio's share of it: the NBD client's work, which
#     every replicated write through NBD does and the raw pipe does not.
#   - LZ4: bytes on the loopback wire (/proc/net/dev "lo" tx) while fio writes half-compressible data
#     (buffer_compress_percentage=50) over the NBD Unix socket — so only replication traffic crosses lo — with
#     compression none vs lz4.
# Each figure is the median of REPS runs (spread printed). Usage, from the repository root after
# `mvn -B -q -DskipTests package`:   benchmarks/replication-vs-raw-pipe.sh [WORKDIR]
# Environment: REPS (3), TOTAL (2G bytes per throughput run), RUNTIME (8 s per latency run), WARMUP (40 s of 1 MiB
#   writes before a cluster's first measured run), LATWARMUP (8 s of 4 KiB writes before each latency series), BASE_PORT (11800),
#   VOLUME (1G: the replicated volumes, and the span of fio's writes), WIRE_SIZE (256M written per LZ4 run).
# Machine-readable: WORKDIR/results.jsonl, one {"name": ..., "value": ...} line per run (read by run-all.sh).
# Needs: java 17, fio (nbd engine), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
REPS=${REPS:-3}
TOTAL=${TOTAL:-2G}
RUNTIME=${RUNTIME:-8}
WARMUP=${WARMUP:-40}
LATWARMUP=${LATWARMUP:-8}
VOLUME=${VOLUME:-1G}
WIRE_SIZE=${WIRE_SIZE:-256M}
BASE_PORT=${BASE_PORT:-11800}
JAR=benchmarks/target/benchmarks.jar
WORK=${1:-$(mktemp -d /tmp/replication-bench.XXXXXX)}
mkdir -p "$WORK"
for tool in java fio nbdkit python3 /usr/bin/time; do command -v $tool >/dev/null || { echo "missing $tool" >&2; exit 1; }; done
[ -f "$JAR" ] && [ -f replicator-cli/target/replicator.jar ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 1; }
RESULTS=$WORK/results.jsonl
: > "$RESULTS"
record() { echo "{\"name\": \"$1\", \"value\": $2}" >> "$RESULTS"; }

# ---- cluster helpers ------------------------------------------------------------------------------------------
CLUSTER=
cluster_up() { # name net-options disk-options
  CLUSTER=$WORK/$1; rm -rf "$CLUSTER"; mkdir -p "$CLUSTER/run"
  local p=$((BASE_PORT)); BASE_PORT=$((BASE_PORT + 10))
  cat > "$CLUSTER/r0.res" <<RES
resource r0 {
  net { $2 }
  disk { size $VOLUME; $3 }
  on alpha { node-id 0; address 127.0.0.1:$p; nbd-listen 127.0.0.1:$((p + 2)); nbd-socket $CLUSTER/run/r0.nbd;
    volume 0 { device /dev/drbd0; disk $CLUSTER/alpha.img; meta-disk internal; } }
  on bravo { node-id 1; address 127.0.0.1:$((p + 1));
    volume 0 { device /dev/drbd0; disk $CLUSTER/bravo.img; meta-disk internal; } }
}
RES
  NBD=nbd://127.0.0.1:$((p + 2))/r0
  NBD_UNIX="nbd+unix:///r0?socket=$CLUSTER/run/r0.nbd"
  for n in alpha bravo; do r $n create-md r0 >/dev/null; r $n up r0 >/dev/null; done
  wait_for alpha "status --verbose r0" "replication:Established"
  r alpha new-current-uuid --clear-bitmap r0 >/dev/null
  wait_for bravo "dstate r0" "UpToDate/UpToDate"
  r alpha primary r0 >/dev/null
}
r() { local node=$1; shift; REPLICATOR_RUN_DIR=$CLUSTER/run "$ROOT/bin/replicator" -c "$CLUSTER/r0.res" --node "$node" "$@"; }
wait_for() { # node "verb args" text
  for _ in $(seq 200); do r "$1" $2 2>/dev/null | grep -q "$3" && return 0; sleep 0.2; done
  echo "timeout waiting for '$3' on $1" >&2; tail -20 "$CLUSTER/run/$1.log" >&2; exit 1
}
cluster_down() { for n in alpha bravo; do r $n shutdown >/dev/null 2>&1 || true; done; rm -f "$CLUSTER"/*.img; }
trap 'cluster_down 2>/dev/null || true' EXIT

fio_json() { # uri out args...   (starts from a clean page cache: no writeback of an earlier run competes)
  local uri=$1 out=$2; shift 2
  sync
  fio --name=b --ioengine=nbd --uri="$uri" --output-format=json --output="$out" "$@" >/dev/null
}
fio_bw() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print(j['jobs'][0]['write']['bw_bytes']/1e6)" "$1"; }
fio_cpu() { python3 -c "import json,sys; j=json.load(open(sys.argv[1]))['jobs'][0]; print((j['usr_cpu'] + j['sys_cpu']) / 100 * j['job_runtime'] / 1000)" "$1"; }
pid_cpu() { awk -v tck="$(getconf CLK_TCK)" '{print ($14 + $15) / tck}' "/proc/$1/stat"; }  # CPU s (user + system)
daemon_cpu() { pid_cpu "$(cat "$CLUSTER/run/$1.pid")"; }   # ... of NODE's daemon
both_daemons_cpu() { echo "$(daemon_cpu alpha) $(daemon_cpu bravo)"; }
per_gib() { python3 -c "import sys; print(sum(map(float, sys.argv[2:])) / (int(sys.argv[1]) / 2**30))" "$@"; }
fio_lat() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print(j['jobs'][0]['write']['lat_ns']['mean']/1e3)" "$1"; }
lo_tx() { awk '/^ *lo:/ {print $10}' /proc/net/dev; }
total_mib=$(( $(numfmt --from=iec "$TOTAL") >> 20 ))

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -r), $(java -version 2>&1 | head -1)"

# ---- raw pipe --------------------------------------------------------------------------------------------------
# Both sides start from allocated files, as the replicated volumes do after their warm-up pass below.
dd if=/dev/zero of="$WORK/local.img" bs=1M count="$total_mib" status=none
dd if=/dev/zero of="$WORK/remote.img" bs=1M count="$total_mib" status=none
for rep in $(seq 0 "$REPS"); do
  for mode in stream ack; do
    sync
    /usr/bin/time -f "%U %S" -o "$WORK/recv.cpu" java -cp "$JAR" io.replicator.benchmarks.RawPipe receive \
      --port $((BASE_PORT + 900)) --file "$WORK/remote.img" >/dev/null 2>&1 &
    recv=$!
    extra=(); [ $mode = ack ] && extra=(--ack --iodepth 8)
    /usr/bin/time -f "%U %S" -o "$WORK/send.cpu" java -cp "$JAR" io.replicator.benchmarks.RawPipe send \
      --host 127.0.0.1 --port $((BASE_PORT + 900)) --file "$WORK/local.img" --block 1M --total "$TOTAL" \
      "${extra[@]}" > "$WORK/raw.json"
    wait $recv
    [ "$rep" = 0 ] && continue   # warm-up
    record "raw-$mode-1m" "$(python3 -c "import json; print(json.load(open('$WORK/raw.json'))['mb_per_s'])")"
    [ $mode = stream ] && record "cpu-raw-stream-1m" "$(per_gib "$(numfmt --from=iec "$TOTAL")" \
      $(cat "$WORK/send.cpu" "$WORK/recv.cpu"))"
  done
done
rm -f "$WORK/local.img" "$WORK/remote.img"

# ---- the NBD hop alone: nbdkit serving a file ------------------------------------------------------------------
# What an NBD export costs with no replication behind it, in C: fio's nbd engine -> nbdkit's file plugin -> page
# cache. The daemon's own unreplicated export is measured below on the protocol C cluster (after `disconnect`).
seq1m() { # uri label server-cpu-command...   records LABEL-1m, cpu-LABEL-1m (server + fio) and cpu-fio-LABEL-1m
  # (the command prints the server's CPU seconds so far, one or more numbers, summed)
  local uri=$1 label=$2; shift 2
  local before after
  before=$("$@")
  fio_json "$uri" "$WORK/f.json" --rw=write --bs=1M --iodepth=8 --size=$VOLUME --io_size="$TOTAL"
  after=$("$@")
  record "$label-1m" "$(fio_bw "$WORK/f.json")"
  record "cpu-$label-1m" "$(per_gib "$(numfmt --from=iec "$TOTAL")" "$(python3 -c "import sys; \
print(sum(map(float, sys.argv[2].split())) - sum(map(float, sys.argv[1].split())))" "$before" "$after")" \
    "$(fio_cpu "$WORK/f.json")")"
  record "cpu-fio-$label-1m" "$(per_gib "$(numfmt --from=iec "$TOTAL")" "$(fio_cpu "$WORK/f.json")")"
}
dd if=/dev/zero of="$WORK/kit.img" bs=1M count=$(( $(numfmt --from=iec "$VOLUME") >> 20 )) status=none
nbdkit -f -i 127.0.0.1 -p $((BASE_PORT + 901)) file "$WORK/kit.img" >"$WORK/nbdkit.log" 2>&1 &
kit=$!
for _ in $(seq 50); do nbdinfo --size nbd://127.0.0.1:$((BASE_PORT + 901))/ >/dev/null 2>&1 && break; sleep 0.1; done
fio_json "nbd://127.0.0.1:$((BASE_PORT + 901))/" "$WORK/f.json" --rw=write --bs=1M --iodepth=8 --size=$VOLUME  # warm-up
for rep in $(seq "$REPS"); do
  seq1m "nbd://127.0.0.1:$((BASE_PORT + 901))/" nbdkit pid_cpu "$kit"
done
kill "$kit"; wait "$kit" 2>/dev/null || true
rm -f "$WORK/kit.img"

# ---- protocol C and A: 1 MiB sequential throughput --------------------------------------------------------------
# Before each series of 4 KiB runs, LATWARMUP seconds of the same writes, not recorded: after the 1 MiB runs the
# daemons' JIT has not compiled the small-write path yet, and the first seconds ran at twice the settled latency.
latency_warmup() {
  fio_json "$NBD" "$WORK/f.json" --rw=randwrite --bs=4k --iodepth=1 --size=$VOLUME --time_based --runtime="$LATWARMUP"
}
for proto in C A; do
  cluster_up "proto-$proto" "protocol $proto;" ""
  # Warm-up: allocates both volumes, and runs long enough for the daemons' JIT to settle (~40 s of work on the
  # 2-vCPU machine; with a 1 GiB warm-up the C2 compiler still took a third of the CPU during the measured runs).
  fio_json "$NBD" "$WORK/f.json" --rw=write --bs=1M --iodepth=8 --size=$VOLUME --time_based --runtime="$WARMUP"
  for rep in $(seq "$REPS"); do
    seq1m "$NBD" "protocol-$proto" both_daemons_cpu
  done
  if [ $proto = C ]; then
    for flushes in yes no; do
      if [ $flushes = no ]; then
        cluster_down; cluster_up "proto-C-noflush" "protocol C;" "disk-flushes no;"
        fio_json "$NBD" "$WORK/f.json" --rw=write --bs=1M --iodepth=8 --size=$VOLUME   # warm-up: allocates
      fi
      latency_warmup
      for rep in $(seq "$REPS"); do
        fio_json "$NBD" "$WORK/f.json" --rw=randwrite --bs=4k --iodepth=1 --size=$VOLUME --time_based --runtime="$RUNTIME"
        record "protocol-C-4k-qd1-flushes-$flushes" "$(fio_lat "$WORK/f.json")"
      done
    done
    r alpha disconnect r0 >/dev/null
    latency_warmup
    for rep in $(seq "$REPS"); do
      fio_json "$NBD" "$WORK/f.json" --rw=randwrite --bs=4k --iodepth=1 --size=$VOLUME --time_based --runtime="$RUNTIME"
      record "unreplicated-4k-qd1" "$(fio_lat "$WORK/f.json")"
    done
    for rep in $(seq "$REPS"); do
      seq1m "$NBD" unreplicated daemon_cpu alpha
    done
  fi
  cluster_down
done

# ---- LZ4: bytes on the wire ------------------------------------------------------------------------------------
for comp in none lz4; do
  cluster_up "wire-$comp" "compression $comp;" ""
  for rep in $(seq "$REPS"); do
    before=$(lo_tx)
    fio_json "$NBD_UNIX" "$WORK/f.json" --rw=write --bs=1M --iodepth=8 --size="$WIRE_SIZE" --refill_buffers \
      --buffer_compress_percentage=50 --buffer_compress_chunk=4k
    record "wire-bytes-$comp" $(( $(lo_tx) - before ))
  done
  cluster_down
done

python3 - "$RESULTS" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    r = json.loads(line); runs.setdefault(r["name"], []).append(r["value"])
med = {k: statistics.median(v) for k, v in runs.items()}
def row(name, unit):
    v = runs[name]; print(f"| {name:34} | {med[name]:12.1f} | {min(v):10.1f} - {max(v):10.1f} | {unit} |")
print("| measurement | median | min - max | unit |\n|---|---|---|---|")
for n in ["raw-stream-1m", "raw-ack-1m", "protocol-C-1m", "protocol-A-1m", "nbdkit-1m", "unreplicated-1m"]: row(n, "MB/s")
for n in ["cpu-raw-stream-1m", "cpu-protocol-C-1m", "cpu-protocol-A-1m", "cpu-nbdkit-1m", "cpu-fio-nbdkit-1m",
          "cpu-unreplicated-1m"]: row(n, "CPU-s/GiB")
for n in ["unreplicated-4k-qd1", "protocol-C-4k-qd1-flushes-yes", "protocol-C-4k-qd1-flushes-no"]: row(n, "us mean")
for n in ["wire-bytes-none", "wire-bytes-lz4"]: row(n, "bytes")
print()
print(f"protocol C 1 MiB: {med['protocol-C-1m'] / med['raw-stream-1m']:.2f}x raw pipe (stream), "
      f"{med['protocol-C-1m'] / med['raw-ack-1m']:.2f}x raw pipe (ack, qd8)   [target >= 0.85x]")
print(f"protocol A 1 MiB: {med['protocol-A-1m'] / med['raw-stream-1m']:.2f}x raw pipe (stream)   [target >= 0.9x]")
print(f"NBD client's share: fio alone {med['cpu-fio-nbdkit-1m']:.2f} CPU-s/GiB; raw pipe + it = at most "
      f"{med['cpu-raw-stream-1m'] / (med['cpu-raw-stream-1m'] + med['cpu-fio-nbdkit-1m']):.2f}x the raw pipe's throughput")
print(f"4 KiB qd1 latency, protocol C / unreplicated: {med['protocol-C-4k-qd1-flushes-yes'] / med['unreplicated-4k-qd1']:.2f}x "
      f"(disk-flushes yes), {med['protocol-C-4k-qd1-flushes-no'] / med['unreplicated-4k-qd1']:.2f}x (disk-flushes no)   [target <= 2x]")
print(f"LZ4 on half-zero data: {100 * (1 - med['wire-bytes-lz4'] / med['wire-bytes-none']):.0f}% fewer bytes on the wire   [target >= 40%]")
PY
