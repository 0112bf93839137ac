#!/usr/bin/env bash
# resync-vs-rsync.sh: issue 6's resync numbers, all in one run on one machine, two real node daemons on loopback.
#   1. Bitmap resync vs rsync. A SIZE (4 GiB) file-backed volume filled with random data on both nodes (identical),
#      create-md on both, bootstrapped without an initial sync (`new-current-uuid --clear-bitmap` on the connected
#      pair, as TestCluster.bootstrap does); alpha is promoted, bravo `disconnect`s, fio writes random data to
#      DIRTY_PCT (1) % of the 4 KiB blocks at random offsets (new offsets and data every round: randrepeat=0) through alpha's NBD export (Unix socket); bravo's
#      backing file is copied (the stale copy, last round only); bravo `connect`s and we time until it is UpToDate again and count the
#      bytes sent on lo (/proc/net/dev) and on the replication sockets (ss: bytes_sent of both ends). Then `rsync -I --inplace --no-whole-file` copies alpha's backing file onto
#      the stale copy: same file pair, same changes. The data areas (first SIZE bytes: metadata are internal, at the
#      end) of alpha, bravo and the rsync'ed copy must have the same sha256.
#   2. Full initial sync vs the raw pipe. Fresh create-md on both (bravo's backing file recreated, sparse), up,
#      connected, `primary --force` on alpha; time until bravo is UpToDate, for each disk/net setting of
#      SYNC_SETTINGS; against the raw pipe (io.replicator.benchmarks.RawPipe stream mode: SIZE bytes in 1 MiB blocks
#      written to a local file and streamed over loopback TCP into a fresh sparse file), REPS runs interleaved with
#      the syncs. bravo's data area is checked against alpha's after every sync.
# Resync times are the daemon's own (bravo's log: "resync started" to "resync done", millisecond timestamps) and
# the wall clock seen from the command line (connect / primary --force until `wait-sync` returns, which includes
# starting two client JVMs). Page cache stays warm for both sides of every comparison (24 GiB RAM, 4 GiB files).
# Usage, from the repository root after `mvn -B -q -DskipTests package`:   benchmarks/resync-vs-rsync.sh [WORKDIR]
# Environment: SIZE (4G), DIRTY_PCT (1), RESYNC_REPS (3 dirty-and-resync rounds per setting of part 1), REPS (3 raw
#   pipe runs), PARTS (12: both; 1 or 2 for one), BASE_PORT (11900), RESYNC_SETTINGS (part 1) and SYNC_SETTINGS
#   (part 2): settings separated by '|', each "disk options # net options". The rsync stale copy is taken in the last
#   round of the last setting of part 1, so rsync copies exactly that round's changes. KEEP=1 keeps the images.
# Machine-readable: WORKDIR/results.jsonl, one {"name": ..., "value": ...} line per measured value (as printed), and
#   WORKDIR/parameters.json: the knobs and each setting's text (resync-I, sync-I), read by benchmarks/run-all.sh.
# Needs: java 17, fio (nbd engine), rsync, python3, about 4 x SIZE of free disk in WORKDIR.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SIZE=${SIZE:-4G}
DIRTY_PCT=${DIRTY_PCT:-1}
REPS=${REPS:-3}
BASE_PORT=${BASE_PORT:-11900}
RESYNC_REPS=${RESYNC_REPS:-3}
PARTS=${PARTS:-12}
FAST_NET="max-buffers 131072;"
RESYNC_SETTINGS=${RESYNC_SETTINGS:-c-fill-target 16M; c-max-rate 4G; # $FAST_NET|c-plan-ahead 0; resync-rate 4G; # $FAST_NET}
SYNC_SETTINGS=${SYNC_SETTINGS:-c-fill-target 16M; c-max-rate 4G; # $FAST_NET|c-plan-ahead 0; resync-rate 4G; # $FAST_NET|c-fill-target 64M; c-max-rate 4G; # $FAST_NET}
JAR=benchmarks/target/benchmarks.jar
WORK=${1:-$(mktemp -d /tmp/resync-bench.XXXXXX)}
mkdir -p "$WORK"
for tool in java fio rsync python3; do command -v $tool >/dev/null || { echo "missing $tool" >&2; exit 1; }; done
[ -f "$JAR" ] && [ -f replicator-cli/target/replicator.jar ] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 1; }
SIZE_BYTES=$(numfmt --from=iec "$SIZE")
SIZE_MIB=$((SIZE_BYTES >> 20))
BLOCKS=$((SIZE_BYTES / 4096))
DIRTY_BLOCKS=$((BLOCKS * DIRTY_PCT / 100))
DIRTY_BYTES=$((DIRTY_BLOCKS * 4096))
RESULTS=$WORK/results.jsonl
: > "$RESULTS"
record() { echo "{\"name\": \"$1\", \"value\": $2}" >> "$RESULTS"; echo "  $1 = $2"; }
python3 - "$WORK/parameters.json" "$RESYNC_SETTINGS" "$SYNC_SETTINGS" "$PARTS" "$SIZE" "$DIRTY_PCT" "$RESYNC_REPS" \
  "$REPS" <<'PY'
import json, sys
out, resync, sync, parts, size, pct, rounds, reps = sys.argv[1:]
p = {"SIZE": size, "DIRTY_PCT": pct, "RESYNC_REPS": rounds, "REPS": reps, "PARTS": parts}
if "1" in parts:
    p.update({f"resync-{i}": s.strip() for i, s in enumerate(resync.split("|"))})
if "2" in parts:
    p.update({f"sync-{i}": s.strip() for i, s in enumerate(sync.split("|"))})
json.dump(p, open(out, "w"), indent=2)
PY

# ---- cluster helpers (as replication-vs-raw-pipe.sh; the disks live in $WORK so that they survive a cluster) ----
CLUSTER=
cluster_conf() { # name net-options disk-options
  CLUSTER=$WORK/$1; rm -rf "$CLUSTER"; mkdir -p "$CLUSTER/run"
  local p=$((BASE_PORT)); BASE_PORT=$((BASE_PORT + 10)); PORT=$p
  cat > "$CLUSTER/r0.res" <<RES
resource r0 {
  net { $2 }
  disk { size $SIZE; $3 }
  on alpha { node-id 0; address 127.0.0.1:$p; nbd-listen 127.0.0.1:$((p + 2)); nbd-socket $CLUSTER/run/r0.nbd;
    volume 0 { device /dev/drbd0; disk $WORK/alpha.img; meta-disk internal; } }
  on bravo { node-id 1; address 127.0.0.1:$((p + 1));
    volume 0 { device /dev/drbd0; disk $WORK/bravo.img; meta-disk internal; } }
}
RES
  NBD_UNIX="nbd+unix:///r0?socket=$CLUSTER/run/r0.nbd"
}
r() { local node=$1; shift; REPLICATOR_RUN_DIR=$CLUSTER/run "$ROOT/bin/replicator" -c "$CLUSTER/r0.res" --node "$node" "$@"; }
wait_for() { # node "verb args" text
  for _ in $(seq 300); do r "$1" $2 2>/dev/null | grep -q "$3" && return 0; sleep 0.2; done
  echo "timeout waiting for '$3' on $1" >&2; tail -20 "$CLUSTER/run/$1.log" >&2; exit 1
}
cluster_down() { [ -z "$CLUSTER" ] || for n in alpha bravo; do r $n shutdown >/dev/null 2>&1 || true; done; }
cleanup() { cluster_down 2>/dev/null || true; [ "${KEEP:-0}" = 1 ] || rm -f "$WORK"/*.img; }
trap cleanup EXIT

now() { date +%s.%N; }
lo_tx() { awk '/^ *lo:/ {print $10}' /proc/net/dev; }
# TCP payload bytes sent, both directions, on the replication connections of this cluster (alpha listens on $PORT),
# since they were opened: unlike lo's counter, not disturbed by other traffic on the machine.
sock_bytes() {
  ss -tinH state established "( sport = :$PORT or dport = :$PORT )" | grep -o 'bytes_sent:[0-9]*' \
    | awk -F: '{s += $2} END {print s + 0}'
}
data_sha() { head -c "$SIZE_BYTES" "$1" | sha256sum | cut -d' ' -f1; }
# Seconds from bravo's first "resync started" to its last "resync done as SyncTarget" after line $1 of its log, and
# how many times the connection was lost in between (a resync that drops the connection resumes after reconnecting).
daemon_resync() { # from-line -> "seconds losses"
  tail -n +"$(( $1 + 1 ))" "$CLUSTER/run/bravo.log" | python3 -c '
import re, sys, datetime
start = done = None; losses = 0
stamp = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)")
def t(line):
    m = stamp.search(line)
    return datetime.datetime.fromisoformat(m.group(1)) if m else None
for line in sys.stdin:
    if "resync started" in line and start is None: start = t(line)
    if "connection to alpha lost" in line and start is not None and done is None: losses += 1
    if "resync done as SyncTarget" in line: done = t(line)
print(f"{(done - start).total_seconds():.3f} {losses}" if start and done else "null 0")
'
}
log_lines() { wc -l < "$CLUSTER/run/bravo.log"; }
resync_kib() { tail -n +"$(( $1 + 1 ))" "$CLUSTER/run/bravo.log" | grep -m1 "resync started" | sed -E 's/.*, ([0-9]+) KiB to go.*/\1/'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -r), $(java -version 2>&1 | head -1)"
echo "SIZE=$SIZE DIRTY_PCT=$DIRTY_PCT ($DIRTY_BLOCKS blocks, $DIRTY_BYTES bytes) REPS=$REPS work=$WORK"

# ---- 1. bitmap resync vs rsync ---------------------------------------------------------------------------------
part1_setup() { # index "disk # net": a cluster on the existing disks, alpha Primary, bravo UpToDate
  local disk=${2%%#*} net=${2#*#}
  cluster_conf "resync-$1" "$net" "$disk"
  for n in alpha bravo; do r $n up r0 >/dev/null; done
  wait_for alpha "status --verbose r0" "replication:Established"
  wait_for bravo "dstate r0" "UpToDate/UpToDate"
  r alpha primary r0 >/dev/null
  echo "  setting $1: disk { $disk } net { $net }"
}
part1_rep() { # name stale-copy?
  r bravo disconnect r0 >/dev/null
  wait_for alpha "cstate r0" "StandAlone\|Connecting"
  fio --name=dirty --ioengine=nbd --uri="$NBD_UNIX" --rw=randwrite --randrepeat=0 --bs=4k --iodepth=16 --size="$SIZE_BYTES" \
    --io_size="$DIRTY_BYTES" --refill_buffers --output-format=json --output="$WORK/dirty.json" >/dev/null
  [ "$2" = yes ] && cp --sparse=never "$WORK/bravo.img" "$WORK/stale.img"   # bravo's disk before the resync
  sync
  local from tx0 tx1 t0 t1 d; from=$(log_lines)
  tx0=$(lo_tx); t0=$(now)
  r bravo connect r0 >/dev/null
  r bravo wait-sync r0 --timeout 600 > "$WORK/wait-sync.out"
  t1=$(now); tx1=$(lo_tx)
  local sb; sb=$(sock_bytes)
  d=$(daemon_resync "$from")
  record "$1-wall-seconds" "$(python3 -c "print(round($t1 - $t0, 3))")"
  record "$1-daemon-seconds" "${d% *}"
  record "$1-connection-losses" "${d#* }"
  record "$1-kib-to-go" "$(resync_kib "$from")"
  record "$1-lo-bytes" $((tx1 - tx0))
  record "$1-socket-bytes" "$sb"
}
if [[ $PARTS == *1* ]]; then
  echo "== 1. bitmap resync vs rsync: $DIRTY_PCT % of the 4 KiB blocks ($DIRTY_BLOCKS blocks, $DIRTY_BYTES bytes)"
  record dirty-bytes "$DIRTY_BYTES"
  rm -f "$WORK"/*.img
  cluster_conf resync-bootstrap "" ""
  for n in alpha bravo; do r $n create-md r0 >/dev/null; done
  echo "filling both data areas with the same $SIZE of random data"
  head -c "$SIZE_BYTES" /dev/urandom | dd of="$WORK/alpha.img" bs=1M conv=notrunc iflag=fullblock status=none
  dd if="$WORK/alpha.img" of="$WORK/bravo.img" bs=1M count="$SIZE_MIB" conv=notrunc status=none
  sync
  for n in alpha bravo; do r $n up r0 >/dev/null; done
  wait_for alpha "status --verbose r0" "replication:Established"
  r alpha new-current-uuid --clear-bitmap r0 >/dev/null
  wait_for bravo "dstate r0" "UpToDate/UpToDate"
  cluster_down
  IFS='|' read -r -a rsettings <<< "$RESYNC_SETTINGS"
  for i in "${!rsettings[@]}"; do
    part1_setup "$i" "${rsettings[$i]}"
    for rep in $(seq "$RESYNC_REPS"); do
      last=no; [ "$i" = $(( ${#rsettings[@]} - 1 )) ] && [ "$rep" = "$RESYNC_REPS" ] && last=yes
      part1_rep "resync-$i" $last
    done
    cluster_down
  done
  sync
  t0=$(now)
  rsync -I --inplace --no-whole-file --stats "$WORK/alpha.img" "$WORK/stale.img" > "$WORK/rsync.out"
  t1=$(now)
  record rsync-seconds "$(python3 -c "print(round($t1 - $t0, 3))")"
  literal=$(grep -m1 'Literal data' "$WORK/rsync.out" | tr -dc 0-9 || true)
  [ -z "$literal" ] || record rsync-literal-bytes "$literal"
  grep -E "Literal data|Matched data|Total bytes sent|Total bytes received" "$WORK/rsync.out" | sed 's/^/  rsync: /'
  echo "checking data areas (sha256 of the first $SIZE)"
  data_sha "$WORK/alpha.img" > "$WORK/alpha.sha" & data_sha "$WORK/bravo.img" > "$WORK/bravo.sha" & wait
  data_sha "$WORK/stale.img" > "$WORK/stale.sha"
  echo "  alpha $(cat "$WORK/alpha.sha")  bravo $(cat "$WORK/bravo.sha")  rsync copy $(cat "$WORK/stale.sha")"
  record resync-data-identical "$([ "$(cat "$WORK/alpha.sha")" = "$(cat "$WORK/bravo.sha")" ] && echo 1 || echo 0)"
  record rsync-data-identical "$([ "$(cat "$WORK/alpha.sha")" = "$(cat "$WORK/stale.sha")" ] && echo 1 || echo 0)"
  rm -f "$WORK/stale.img"
fi

# ---- 2. full initial sync vs the raw pipe ----------------------------------------------------------------------
raw_pipe() { # counted?
  rm -f "$WORK/remote.img"; truncate -s "$SIZE_BYTES" "$WORK/remote.img"; sync
  java -cp "$JAR" io.replicator.benchmarks.RawPipe receive --port $((BASE_PORT + 900)) --file "$WORK/remote.img" >/dev/null 2>&1 &
  local recv=$!
  sleep 0.5
  java -cp "$JAR" io.replicator.benchmarks.RawPipe send --host 127.0.0.1 --port $((BASE_PORT + 900)) \
    --file "$WORK/local.img" --block 1M --total "$SIZE" > "$WORK/raw.json"
  wait $recv
  [ "$1" = yes ] && record raw-stream-mb-per-s "$(python3 -c "import json; print(json.load(open('$WORK/raw.json'))['mb_per_s'])")"
  rm -f "$WORK/remote.img"
}
full_sync() { # index "disk # net"
  local disk=${2%%#*} net=${2#*#}
  cluster_conf "sync-$1" "$net" "$disk"
  rm -f "$WORK/bravo.img"
  r alpha create-md --force r0 >/dev/null; r bravo create-md r0 >/dev/null
  sync
  for n in alpha bravo; do r $n up r0 >/dev/null; done
  wait_for alpha "status --verbose r0" "replication:Established"
  echo "  setting $1: disk { $disk } net { $net }"
  local t0 t1 d from; from=$(log_lines)
  t0=$(now)
  r alpha primary --force r0 >/dev/null
  r bravo wait-sync r0 --timeout 900 > "$WORK/wait-sync.out"
  t1=$(now)
  d=$(daemon_resync "$from")
  record "sync-$1-wall-seconds" "$(python3 -c "print(round($t1 - $t0, 3))")"
  record "sync-$1-daemon-seconds" "${d% *}"
  record "sync-$1-connection-losses" "${d#* }"
  record "sync-$1-mb-per-s" "$(python3 -c "print(round($SIZE_BYTES / 1e6 / ${d% *}, 1))")"
  cluster_down
  record "sync-$1-data-identical" "$([ "$(data_sha "$WORK/bravo.img")" = "$ALPHA_SHA" ] && echo 1 || echo 0)"
}
if [[ $PARTS == *2* ]]; then
  echo "== 2. full initial sync of $SIZE vs the raw pipe"
  if [ ! -f "$WORK/alpha.img" ]; then   # part 2 alone: random data on alpha
    cluster_conf sync-prepare "" ""; r alpha create-md r0 >/dev/null
    head -c "$SIZE_BYTES" /dev/urandom | dd of="$WORK/alpha.img" bs=1M conv=notrunc iflag=fullblock status=none
  fi
  ALPHA_SHA=$(data_sha "$WORK/alpha.img")
  dd if=/dev/zero of="$WORK/local.img" bs=1M count="$SIZE_MIB" status=none
  raw_pipe no   # warm-up, not counted
  IFS='|' read -r -a settings <<< "$SYNC_SETTINGS"
  i=0
  for rep in $(seq "$REPS"); do
    raw_pipe yes
    if [ $i -lt ${#settings[@]} ]; then full_sync $i "${settings[$i]}"; i=$((i + 1)); fi
  done
  while [ $i -lt ${#settings[@]} ]; do full_sync $i "${settings[$i]}"; i=$((i + 1)); done
  rm -f "$WORK/local.img"
fi

python3 - "$RESULTS" "$RESYNC_SETTINGS" "$SYNC_SETTINGS" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    r = json.loads(line); runs.setdefault(r["name"], []).append(r["value"])
med = {k: statistics.median(x) for k, x in runs.items()}
def spread(k): return f"{med[k]} (min {min(runs[k])}, max {max(runs[k])}, n {len(runs[k])})"
print()
if "rsync-seconds" in runs:
    rsettings = sys.argv[2].split("|")
    print("| part 1: measurement | median (min, max, n) |\n|---|---|")
    for k in ["dirty-bytes", "rsync-seconds", "resync-data-identical", "rsync-data-identical"]:
        print(f"| {k} | {spread(k)} |")
    for i, s in enumerate(rsettings):
        print(f"| resync setting {i}: `{s.strip()}` | |")
        for k in ["daemon-seconds", "wall-seconds", "kib-to-go", "lo-bytes", "socket-bytes", "connection-losses"]:
            print(f"| resync-{i}-{k} | {spread(f'resync-{i}-{k}')} |")
    for i, s in enumerate(rsettings):
        d, w = med[f"resync-{i}-daemon-seconds"], med[f"resync-{i}-wall-seconds"]
        print(f"resync setting {i} vs rsync: {med['rsync-seconds'] / d:.1f}x faster (daemon time), "
              f"{med['rsync-seconds'] / w:.1f}x (wall clock incl. client JVMs)   [target >= 20x]; "
              f"bytes / dirty bytes: lo {med[f'resync-{i}-lo-bytes'] / med['dirty-bytes']:.3f}, "
              f"replication sockets {med[f'resync-{i}-socket-bytes'] / med['dirty-bytes']:.3f}")
if "raw-stream-mb-per-s" in runs:
    settings = sys.argv[3].split("|")
    raw = med["raw-stream-mb-per-s"]
    print(f"\n| part 2: measurement | value |\n|---|---|\n| raw-stream-mb-per-s | {spread('raw-stream-mb-per-s')} |")
    for i, s in enumerate(settings):
        print(f"| sync {i} `{s.strip()}` | {med[f'sync-{i}-mb-per-s']} MB/s, daemon {med[f'sync-{i}-daemon-seconds']} s, "
              f"wall {med[f'sync-{i}-wall-seconds']} s, losses {med[f'sync-{i}-connection-losses']}, "
              f"identical {med[f'sync-{i}-data-identical']}, {med[f'sync-{i}-mb-per-s'] / raw:.2f}x raw pipe |")
    best = max(range(len(settings)), key=lambda i: med[f"sync-{i}-mb-per-s"])
    print(f"full sync, best setting {best}: {med[f'sync-{best}-mb-per-s'] / raw:.2f}x raw pipe   [target >= 0.85x]")
PY
