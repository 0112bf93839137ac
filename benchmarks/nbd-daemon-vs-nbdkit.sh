#!/bin/bash
# nbd-daemon-vs-nbdkit.sh: the product path. fio against the daemon's NBD export (activity log + bitmap + VolumeIo), beside nbdkit, same run.
# Usage (from anywhere, after `mvn -B -q -DskipTests package`): benchmarks/nbd-daemon-vs-nbdkit.sh
# Needs fio (nbd engine), nbdkit, python3; uses /tmp/dbench and ports 10831/10832.
set -u
cd "$(dirname "$0")/.."
W=/tmp/dbench; rm -rf $W; mkdir -p $W; export REPLICATOR_RUN_DIR=$W/run
sed "s|/tmp/replicator|$W|; s|size 64M;|size 1G;|; s|address 127.0.0.1:7789;|address 127.0.0.1:7789;\n    nbd-listen 127.0.0.1:10831;|" fixtures/configs/two-node.res > $W/r0.res
R="bin/replicator -c $W/r0.res --node alpha"
$R create-md r0 >/dev/null && $R up r0 && $R primary r0 --force || exit 1
truncate -s 1G $W/kit.img; nbdkit -f -p 10832 file $W/kit.img & K=$!; sleep 1
run() { fio --name=b --ioengine=nbd --uri=$1 --size=256M --time_based --runtime=6 --ramp_time=1 --output-format=json --output=$W/o.json "${@:2}" >/dev/null 2>&1
  python3 -c "import json; j=json.load(open('$W/o.json'))['jobs'][0]; w=j['write'] if j['write']['io_bytes'] else j['read']; print('%8.0f MiB/s %8.0f IOPS clat %6.0f us' % (w['bw']/1024, w['iops'], w['clat_ns']['mean']/1000))"; }
for warm in 1 2 3; do run nbd://127.0.0.1:10831/r0 --rw=randrw --bs=64k --iodepth=16 >/dev/null; done
for wl in "seq1m-qd8 --rw=write --bs=1m --iodepth=8" "randw4k-qd32 --rw=randwrite --bs=4k --iodepth=32" "randw4k-qd1 --rw=randwrite --bs=4k --iodepth=1" "randr4k-qd32 --rw=randread --bs=4k --iodepth=32"; do
  set -- $wl; name=$1; shift
  for rep in 1 2; do echo "$name daemon $(run nbd://127.0.0.1:10831/r0 "$@")   nbdkit $(run nbd://127.0.0.1:10832/ "$@")"; done
done
$R status r0 --statistics | grep out-of-sync
kill $K; $R secondary r0; $R down r0; $R shutdown
