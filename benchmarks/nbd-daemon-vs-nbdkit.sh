#!/bin/bash
# nbd-daemon-vs-nbdkit.sh: the product path. fio against the daemon's NBD export (activity log + bitmap + VolumeIo), beside nbdkit, same run.
# Usage (from anywhere, after `mvn -B -q -DskipTests package`): benchmarks/nbd-daemon-vs-nbdkit.sh [WORKDIR]
# Environment: RUNTIME (s per run, 6), REPS (2), WARMUPS (3 runs against the daemon, not counted), VOLUME (1G),
#   PORT (daemon's NBD export, 10831), KIT_PORT (nbdkit, 10832), PEER_PORT (alpha's replication address, 11789; no
#   peer connects), KEEP=1 keeps the two 1 GiB files.
# Prints one line per run; WORKDIR/results.jsonl (default WORKDIR /tmp/dbench) gets one
#   {"name": "WORKLOAD-SERVER-METRIC", "value": V} line per run (SERVER daemon or nbdkit; METRIC mib-per-s, iops,
#   clat-mean-us, clat-p99-us), read by benchmarks/run-all.sh.
# Needs fio (nbd engine), nbdkit, python3.
set -u
cd "$(dirname "$0")/.."
RUNTIME=${RUNTIME:-6}; REPS=${REPS:-2}; WARMUPS=${WARMUPS:-3}; VOLUME=${VOLUME:-1G}
PORT=${PORT:-10831}; KIT_PORT=${KIT_PORT:-10832}; PEER_PORT=${PEER_PORT:-11789}
W=${1:-/tmp/dbench}; mkdir -p $W; rm -rf $W/run $W/alpha $W/kit.img $W/o.json; : > $W/results.jsonl
export REPLICATOR_RUN_DIR=$W/run
sed "s|/tmp/replicator|$W|; s|size 64M;|size $VOLUME;|; s|address 127.0.0.1:7789;|address 127.0.0.1:$PEER_PORT;\n    nbd-listen 127.0.0.1:$PORT;|; s|127.0.0.1:7790;|127.0.0.1:$((PEER_PORT + 1));|" fixtures/configs/two-node.res > $W/r0.res
R="bin/replicator -c $W/r0.res --node alpha"
K=
cleanup() { [ -z "$K" ] || kill $K 2>/dev/null; $R down r0 >/dev/null 2>&1; $R shutdown >/dev/null 2>&1; }
trap cleanup EXIT
$R create-md r0 >/dev/null && $R up r0 && $R primary r0 --force || exit 1
truncate -s $VOLUME $W/kit.img; nbdkit -f -p $KIT_PORT file $W/kit.img & K=$!; sleep 1
run() { # uri name server fio-args...: prints MiB/s, IOPS and mean latency; records them when name is set
  fio --name=b --ioengine=nbd --uri=$1 --size=256M --time_based --runtime=$RUNTIME --ramp_time=1 --output-format=json --output=$W/o.json "${@:4}" >/dev/null 2>&1
  python3 - "$W/o.json" "$2" "$3" "$W/results.jsonl" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))['jobs'][0]
w = j['write'] if j['write']['io_bytes'] else j['read']
print('%8.0f MiB/s %8.0f IOPS clat %6.0f us' % (w['bw'] / 1024, w['iops'], w['clat_ns']['mean'] / 1000))
if sys.argv[2]:
    with open(sys.argv[4], 'a') as out:
        for metric, v in (('mib-per-s', w['bw_bytes'] / 2**20), ('iops', w['iops']),
                          ('clat-mean-us', w['clat_ns']['mean'] / 1000),
                          ('clat-p99-us', w['clat_ns']['percentile']['99.000000'] / 1000)):
            out.write(json.dumps({'name': f'{sys.argv[2]}-{sys.argv[3]}-{metric}', 'value': round(v, 3)}) + '\n')
PY
}
for warm in $(seq $WARMUPS); do run nbd://127.0.0.1:$PORT/r0 "" "" --rw=randrw --bs=64k --iodepth=16 >/dev/null; done
for wl in "seqwrite-1m-qd8 --rw=write --bs=1m --iodepth=8" "randwrite-4k-qd32 --rw=randwrite --bs=4k --iodepth=32" "randwrite-4k-qd1 --rw=randwrite --bs=4k --iodepth=1" "randread-4k-qd32 --rw=randread --bs=4k --iodepth=32"; do
  set -- $wl; name=$1; shift
  for rep in $(seq $REPS); do echo "$name daemon $(run nbd://127.0.0.1:$PORT/r0 $name daemon "$@")   nbdkit $(run nbd://127.0.0.1:$KIT_PORT/ $name nbdkit "$@")"; done
done
$R status r0 --statistics | grep out-of-sync
kill $K; K=; $R secondary r0; $R down r0; $R shutdown
trap - EXIT
[ "${KEEP:-0}" = 1 ] || rm -rf $W/alpha $W/kit.img
