#!/usr/bin/env bash
# Checks a dist archive as an operator would use it: unpacks it into a scratch folder and runs the installed tree
# (through a symlink, as /usr/local/bin/replicator), its man pages, its completion, its unit's command lines and
# a daemon started the way the unit starts it. `mvn -Pdist package` runs it on the archive it built.
#
#   packaging/dist/check-dist.sh replicator-cli/target/replicator-VERSION.tar.gz
set -euo pipefail

archive=$(readlink -f "${1:?usage: check-dist.sh replicator-VERSION.tar.gz}")
name=$(basename "$archive" .tar.gz)
version=${name#replicator-}
scratch=$(mktemp -d)
daemon=
cleanup() {
  if [ -n "$daemon" ] && kill -0 "$daemon" 2>/dev/null; then
    kill "$daemon" 2>/dev/null || true
    wait "$daemon" 2>/dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT

checks=0
fail() {
  echo "check-dist: FAILED: $*" >&2
  exit 1
}
ok() {
  checks=$((checks + 1))
  echo "check-dist: ok: $*"
}

tar -xzf "$archive" -C "$scratch"
home=$scratch/$name
[ -d "$home" ] || fail "the archive has no top folder $name/"
for path in bin/replicator lib/replicator.jar share/man/man1/replicator.1 share/man/man1/replicator-daemon.1 \
  share/bash-completion/completions/replicator lib/systemd/system/replicator.service \
  lib/systemd/system/replicator@.service lib/systemd/system/replicator-promoter.service \
  etc/replicator/replicator.conf.example etc/replicator/promoter.toml.example lib/handlers/replicator-notify \
  INSTALL; do
  [ -e "$home/$path" ] || fail "missing $path"
done
[ -x "$home/bin/replicator" ] || fail "bin/replicator is not executable"
grep -q "replicator $version" "$home/INSTALL" || fail "INSTALL does not name version $version"
ok "layout"

# Through a symlink elsewhere, with no checkout around: the launcher must find lib/ next to itself.
mkdir -p "$scratch/usr/local/bin"
ln -s "$home/bin/replicator" "$scratch/usr/local/bin/replicator"
replicator=$scratch/usr/local/bin/replicator
out=$(cd / && "$replicator" --version) || fail "--version exited $?"
[ "$out" = "replicator $version" ] || fail "--version printed '$out', expected 'replicator $version'"
ok "--version: $out"
out=$("$replicator" --help) || fail "--help exited $?"
grep -q "^Usage: replicator " <<<"$out" || fail "--help printed no usage"
grep -q "daemon" <<<"$out" || fail "--help lists no daemon command"
ok "--help"
out=$("$replicator" -c "$home/etc/replicator/replicator.conf.example" --node alpha dump) \
  || fail "dump of the example configuration exited $?"
grep -q "resource r0" <<<"$out" || fail "dump of the example configuration printed no r0"
ok "the example configuration is valid"

pages=$(find "$home/share/man/man1" -name '*.1' | wc -l)
commands=$("$replicator" --help | sed -n '/^Commands:/,/^$/p' | grep -c '^  [a-z]')
[ "$pages" -eq $((commands + 1)) ] || fail "$pages man pages for $commands commands and the root"
if command -v man >/dev/null; then
  for page in "$home"/share/man/man1/*.1; do
    rendered=$(MANWIDTH=80 man -l "$page" 2>&1) || fail "man -l $page exited $?"
    grep -q "^SYNOPSIS" <<<"$rendered" || fail "$page renders without a SYNOPSIS"
  done
  MANWIDTH=80 man -l "$home/share/man/man1/replicator-status.1" | grep -q "replicator status" \
    || fail "replicator-status.1 does not show 'replicator status'"
  ok "$pages man pages render"
else
  ok "$pages man pages (not rendered: no man here)"
fi

out=$(bash -c 'source "$1" && complete -p replicator' _ "$home/share/bash-completion/completions/replicator") \
  || fail "sourcing the completion script failed"
grep -q "_complete_replicator" <<<"$out" || fail "the completion script registers no completion for replicator"
diff -q <("$replicator" generate-completion) "$home/share/bash-completion/completions/replicator" >/dev/null \
  || fail "generate-completion differs from the shipped script"
ok "completion"

# The daemon as the unit starts it, from the unit's own command lines (program path swapped for the scratch tree).
unit=$home/lib/systemd/system/replicator@.service
as_unit() {
  sed -n "s/^$1=//p" "$unit" | sed "s#^/opt/replicator/bin/replicator#$replicator -c $scratch/node.res#; s#%i#alpha#g"
}
start=$(as_unit ExecStart)
stop=$(as_unit ExecStop)
port=$((20000 + RANDOM % 20000))
cat >"$scratch/node.res" <<EOF
resource r0 {
  disk { size 4M; }
  on alpha { node-id 0; address 127.0.0.1:$port; volume 0 { device /dev/drbd0; disk $scratch/alpha.img; meta-disk internal; } }
  on bravo { node-id 1; address 127.0.0.1:$((port + 1)); volume 0 { device /dev/drbd0; disk $scratch/bravo.img; meta-disk internal; } }
}
EOF
export REPLICATOR_RUN_DIR=$scratch/run
"$replicator" -c "$scratch/node.res" --node alpha create-md r0 >/dev/null || fail "create-md exited $?"
# shellcheck disable=SC2086 # the unit's words
$start >"$scratch/daemon.log" 2>&1 &
daemon=$!
for _ in $(seq 1 300); do
  role=$("$replicator" -c "$scratch/node.res" --node alpha role r0 2>/dev/null) && break
  kill -0 "$daemon" 2>/dev/null || fail "the daemon ended: $(tail -5 "$scratch/daemon.log")"
  sleep 0.1
done
[ "${role:-}" = Secondary ] || fail "r0 is not up after the unit's ExecStart (role: '${role:-}')"
# shellcheck disable=SC2086
$stop || fail "the unit's ExecStop exited $?"
kill -TERM "$daemon"
status=0
wait "$daemon" || status=$?
daemon=
[ "$status" -eq 143 ] || fail "the daemon exited $status on SIGTERM (the unit expects 143)"
[ ! -e "$REPLICATOR_RUN_DIR/alpha.sock" ] || fail "the daemon left its socket behind"
ok "the unit's ExecStart brings r0 up, its ExecStop brings it down, SIGTERM ends the daemon with 143"

echo "check-dist: $checks checks passed for $name"
