#!/usr/bin/env bash
# run-all.sh: every end-to-end comparison of docs/benchmarks.md in one go, then its tables and plots.
#
#   benchmarks/run-all.sh [--quick] [--only NAME[,NAME...]] [--update-docs | --no-update-docs] [--no-build] [OUTDIR]
#   benchmarks/run-all.sh --report-only DIR|RESULTS.json [--update-docs | --no-update-docs]
#
# Runs, in this order, each script with OUTDIR/NAME as its work directory (its human output goes to the terminal
# and to OUTDIR/NAME/output.txt, its machine-readable results to OUTDIR/NAME/results.jsonl):
#   nbd          benchmarks/nbd-vs-nbdkit.sh          the NBD front end vs nbdkit                        ~5 min
#   nbd-daemon   benchmarks/nbd-daemon-vs-nbdkit.sh   the daemon's NBD export vs nbdkit                  ~2 min
#   replication  benchmarks/replication-vs-raw-pipe.sh protocol C/A vs the raw pipe, 4 KiB qd1 latency,
#                                                     LZ4 wire bytes                                     ~10 min
#   resync       benchmarks/resync-vs-rsync.sh        1 % bitmap resync vs rsync, full 4 GiB sync vs
#                                                     the raw pipe (run D's settings)                    ~10 min
# after recording the machine, and then writes from what they measured:
#   OUTDIR/machine.json   CPU, cores, memory, kernel, JDK, load average at the start, fio/nbdkit/rsync versions
#   OUTDIR/results.json   every comparison: run, date, commit, machine, parameters, each repetition's value
#   OUTDIR/report.md      the generated tables, and OUTDIR/img/*.png the plots
# and, for a full run, updates the docs: docs/benchmark-results.json (the results the docs show; a run with --only
# replaces only its comparisons there), the generated blocks of docs/benchmarks.md (between <!-- bench:NAME:begin -->
# and <!-- bench:NAME:end -->; the prose around them is never touched) and docs/img/*.png.
#
# --quick        tiny sizes and short runs (a few minutes): checks the pipeline. Its numbers mean nothing and are
#                NOT written into the docs unless --update-docs is given as well (the blocks then say QUICK RUN).
# --only NAMES   only these comparisons (comma-separated names from the list above).
# --update-docs / --no-update-docs   force or suppress updating the docs (default: full runs update, quick runs do
#                not; --report-only updates unless the results are quick).
# --no-build     use the jars as they are (default: build with Maven when a jar is missing or a source is newer).
# --report-only DIR|RESULTS.json    measure nothing: regenerate from a run's directory (its results.json, or its
#                per-comparison results.jsonl files) or from a results file, e.g. docs/benchmark-results.json.
# OUTDIR defaults to /tmp/replicator-bench-DATE-TIME; a full run needs about 17 GiB free there (the resync part
# holds four 4 GiB files at once; every image file is removed afterwards).
# Environment: MVN (mvn), MVN_ARGS (extra Maven arguments for the build, e.g. "-o"), JAVA (java).
# Needs: java 17, maven (to build), fio with the nbd engine, nbdkit, nbdinfo, rsync, python3. Keep the machine
# otherwise idle for a full run: every comparison is against a baseline measured in the same run, but a busy
# machine still moves the ratios (docs/benchmarks.md shows by how much).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ALL=(nbd nbd-daemon replication resync)
JAVA=${JAVA:-java}
JAR=benchmarks/target/benchmarks.jar
CLI_JAR=replicator-cli/target/replicator.jar

quick=0; only=; update=; build=1; report_only=; out=
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    --only) only=${2:?--only needs names}; shift ;;
    --only=*) only=${1#--only=} ;;
    --update-docs) update=1 ;;
    --no-update-docs) update=0 ;;
    --no-build) build=0 ;;
    --report-only) report_only=${2:?--report-only needs a directory or a results file}; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run-all.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) [ -z "$out" ] || { echo "run-all.sh: one OUTDIR only" >&2; exit 2; }; out=$1 ;;
  esac
  shift
done

selected=()
if [ -n "$only" ]; then
  IFS=',' read -r -a wanted <<< "$only"
  for name in "${wanted[@]}"; do
    [[ " ${ALL[*]} " == *" $name "* ]] || { echo "run-all.sh: unknown comparison '$name' (${ALL[*]})" >&2; exit 2; }
  done
  for name in "${ALL[@]}"; do [[ ",$only," == *",$name,"* ]] && selected+=("$name"); done
else
  selected=("${ALL[@]}")
fi

needs_build() {
  [ -f "$JAR" ] && [ -f "$CLI_JAR" ] || return 0
  [ -n "$(find pom.xml ./*/pom.xml ./*/src -newer "$JAR" -type f -print -quit 2>/dev/null)" ] && return 0
  [ -n "$(find pom.xml ./*/pom.xml ./*/src -newer "$CLI_JAR" -type f -print -quit 2>/dev/null)" ]
}
if [ "$build" = 1 ] && needs_build; then
  echo "== building (${MVN:-mvn} -B -q -DskipTests ${MVN_ARGS:-} package)"
  # shellcheck disable=SC2086
  "${MVN:-mvn}" -B -q -DskipTests ${MVN_ARGS:-} package
fi
[ -f "$JAR" ] || { echo "run-all.sh: $JAR is missing: build first" >&2; exit 1; }
report() { "$JAVA" -Djava.awt.headless=true -cp "$JAR" io.replicator.benchmarks.report.ReportMain "$@"; }

update_docs() { # results.json quick?
  local want=$update
  [ -n "$want" ] || { [ "$2" = 1 ] && want=0 || want=1; }
  if [ "$want" = 1 ]; then
    local extra=(); [ "$2" = 1 ] && extra=(--allow-quick)
    report update-docs "$1" --docs docs/benchmarks.md --img docs/img --store docs/benchmark-results.json \
      "${extra[@]}"
  else
    echo "docs/benchmarks.md left as it is ($([ "$2" = 1 ] && echo "quick results" || echo "--no-update-docs"))"
  fi
}

# ---- --report-only: regenerate from what was measured before --------------------------------------------------
if [ -n "$report_only" ]; then
  if [ -d "$report_only" ]; then
    q=0; grep -qs '^quick=1$' "$report_only/run.env" && q=1
    if [ ! -f "$report_only/results.json" ]; then
      extra=(); [ "$q" = 1 ] && extra=(--quick)
      field() { sed -n "s/^$1=//p" "$report_only/run.env" 2>/dev/null || true; }
      for key in run date commit; do [ -z "$(field $key)" ] || extra+=("--$key" "$(field $key)"); done
      report collect "$report_only" "${extra[@]}" || true
    fi
    results=$report_only/results.json
    report render "$results" "$report_only"
  else
    results=$report_only
    q=0; grep -q '"quick" *: *true' "$results" && q=1
  fi
  update_docs "$results" "$q"
  exit 0
fi

# ---- measure -----------------------------------------------------------------------------------------------------
for tool in "$JAVA" fio nbdkit nbdinfo rsync python3; do
  command -v "$tool" >/dev/null || { echo "run-all.sh: missing $tool" >&2; exit 1; }
done
[ -f "$CLI_JAR" ] || { echo "run-all.sh: $CLI_JAR is missing: build first" >&2; exit 1; }
stamp=$(date -u +%Y%m%d-%H%M%S)
suffix=; [ "$quick" = 1 ] && suffix=-quick
out=${out:-/tmp/replicator-bench-$stamp$suffix}
mkdir -p "$out"
out=$(cd "$out" && pwd)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -z "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] || commit="$commit-dirty"
label="$([ "$quick" = 1 ] && echo "quick run" || echo "full run") started $(date -u '+%H:%M') UTC"
{ echo "quick=$quick"; echo "run=$label"; echo "date=$(date -u +%F)"; echo "commit=$commit"; echo "only=${selected[*]}"; } \
  > "$out/run.env"
report machine "$out/machine.json" --tool "fio=$(fio --version 2>/dev/null | head -1)" \
  --tool "nbdkit=$(nbdkit --version 2>/dev/null | head -1)" \
  --tool "rsync=$(rsync --version 2>/dev/null | head -1 | sed 's/  protocol.*//')"
echo "== run-all.sh: $label $(date -u +%F), commit $commit, results in $out"

FIXED="c-plan-ahead 0; resync-rate 4G; # max-buffers 131072;"
DYNAMIC="c-fill-target 16M; c-max-rate 4G; resync-rate 4G; # max-buffers 131072;"
knobs() { # name -> the environment of its script, full or quick (one KEY=VALUE a line)
  case $1:$quick in
    nbd:0)         echo "RUNTIME=8"; echo "REPS=3"; echo "SIZE=256M" ;;
    nbd:1)         echo "RUNTIME=2"; echo "REPS=1"; echo "SIZE=64M" ;;
    nbd-daemon:0)  echo "RUNTIME=6"; echo "REPS=2"; echo "WARMUPS=3"; echo "VOLUME=1G" ;;
    nbd-daemon:1)  echo "RUNTIME=2"; echo "REPS=1"; echo "WARMUPS=1"; echo "VOLUME=256M" ;;
    replication:0) echo "REPS=3"; echo "TOTAL=2G"; echo "RUNTIME=8"; echo "VOLUME=1G"; echo "WIRE_SIZE=256M" ;;
    replication:1) echo "REPS=1"; echo "TOTAL=256M"; echo "RUNTIME=2"; echo "VOLUME=256M"; echo "WIRE_SIZE=32M" ;;
    # Run D of docs/benchmarks.md: the fixed rate and dynamic 16M, 3 rounds each, full sync with both.
    resync:0)      echo "SIZE=4G"; echo "DIRTY_PCT=1"; echo "RESYNC_REPS=3"; echo "REPS=3"
                   echo "RESYNC_SETTINGS=$FIXED|$DYNAMIC"; echo "SYNC_SETTINGS=$FIXED|${DYNAMIC/ resync-rate 4G;/}" ;;
    resync:1)      echo "SIZE=256M"; echo "DIRTY_PCT=1"; echo "RESYNC_REPS=1"; echo "REPS=1"
                   echo "RESYNC_SETTINGS=$FIXED"; echo "SYNC_SETTINGS=$FIXED" ;;
  esac
}
script() {
  case $1 in
    nbd) echo benchmarks/nbd-vs-nbdkit.sh ;;
    nbd-daemon) echo benchmarks/nbd-daemon-vs-nbdkit.sh ;;
    replication) echo benchmarks/replication-vs-raw-pipe.sh ;;
    resync) echo benchmarks/resync-vs-rsync.sh ;;
  esac
}

failed=()
for name in "${selected[@]}"; do
  dir=$out/$name
  rm -rf "$dir"; mkdir -p "$dir"
  mapfile -t env < <(knobs "$name")
  echo "== $name: $(script "$name") ${env[*]}"
  start=$(date +%s)
  set +e
  env "${env[@]}" "$ROOT/$(script "$name")" "$dir" 2>&1 | tee "$dir/output.txt"
  rc=${PIPESTATUS[0]}
  set -e
  { printf '%s\n' "${env[@]}"; echo "started=$(date -u -d "@$start" '+%Y-%m-%dT%H:%M:%SZ')"
    echo "seconds=$(( $(date +%s) - start ))"; echo "exit=$rc"; } > "$dir/run.env"
  echo "== $name: exit $rc after $(( $(date +%s) - start )) s"
  [ "$rc" = 0 ] || failed+=("$name")
done

# ---- report --------------------------------------------------------------------------------------------------------
extra=(); [ "$quick" = 1 ] && extra=(--quick)
collected=0
report collect "$out" "${extra[@]}" --run "$label" --date "$(date -u +%F)" --commit "$commit" && collected=1 || true
if [ -f "$out/results.json" ]; then
  report render "$out/results.json" "$out"
  update_docs "$out/results.json" "$quick"
fi
if [ ${#failed[@]} -gt 0 ] || [ "$collected" = 0 ]; then
  echo "run-all.sh: failed: ${failed[*]:-collecting the results} (see $out/NAME/output.txt)" >&2
  exit 1
fi
echo "== done: $out/report.md"
