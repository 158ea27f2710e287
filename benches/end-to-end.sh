#!/usr/bin/env bash
# End-to-end figures through the release binary, the way users run it:
#   1. `render --all` over the 2021 github/docs tree (../shared/corpus), one thread,
#      pages/s to compare with the reference engine's 64–88 pages/s;
#   2. `check` on a generated tree of 5,000 pages: time and peak memory;
#   3. `sync report` on 1,000,000 people served by the emulator: fetch time,
#      analysis time and peak memory.
# Usage: bash benches/end-to-end.sh [WORKDIR]   (needs GNU time for peak memory:
# `apt-get install time`; without it, peak memory is not shown).
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
mkdir -p "$work"
cargo build --release --quiet --bin docgate --example gen_tree
bin=$PWD/target/release/docgate

measure() { # measure LABEL CMD…: wall time and peak RSS of CMD
  local label=$1
  shift
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "$label: %e s wall, peak RSS %M KB" "$@"
  else
    local t0=$SECONDS
    "$@"
    echo "$label: $((SECONDS - t0)) s wall (install GNU time for peak memory)"
  fi
}

tree=../shared/corpus/github-docs-2021
if [ -d "$tree" ]; then
  echo "== render --all, 2021 tree, one thread"
  for fmt in markdown html; do
    for versions in fpt,ghes@3.1 supported all; do
      rm -rf "$work/out"
      # Exit 2 is expected: the pages that include the reference engine's own
      # templates fail, naming the template.
      "$bin" --today 2021-06-08 --root "$tree" render --all --version "$versions" \
        --format "$fmt" --out "$work/out" -j 1 2>&1 | tail -n 1 | sed "s/^/$fmt $versions: /" || true
    done
  done
else
  echo "== $tree is absent: skipping the 2021 tree"
fi

echo "== check, generated tree of 5,000 pages"
rm -rf "$work/big-tree"
./target/release/examples/gen_tree "$work/big-tree" 5000
for c in redirects lint links all; do
  sel=$c
  [ "$c" = all ] && sel=
  # shellcheck disable=SC2086
  measure "check $c" "$bin" --root "$work/big-tree" check $sel >/dev/null
done

echo "== sync report, 1,000,000 people from the emulator"
"$bin" emulate --users 1000000 >"$work/emulator.url" 2>/dev/null &
emu=$!
trap 'kill $emu 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  [ -s "$work/emulator.url" ] && break
  sleep 0.1
done
url=$(head -n 1 "$work/emulator.url")
GITHUB_TOKEN=emulator-admin-token measure "report 1M" "$bin" sync --state "$work/history.db" \
  --ghec-url "$url" --enterprise acme --ghes-version 3.16 \
  report --out "$work/report.csv" --analysis "$work/analysis.json" --show 0 | tail -n 3
echo "CSV rows: $(($(wc -l <"$work/report.csv") - 1))"
