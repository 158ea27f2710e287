#!/usr/bin/env bash
# Time against the number of Liquid tags: a page with one `{% data %}` tag per
# line, at 1, 2, 4 and 8 MB, rendered by the release binary (markdown and html)
# and checked. Cost must be linear: the 8 MB time within 10× the 1 MB time × 8
# (SECURITY.md, "What is limited"). Prints each time and the 8 MB / 1 MB ratio.
# Usage: bash benches/tag-count.sh [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
mkdir -p "$work"
cargo build --release --quiet --bin docgate
bin=$PWD/target/release/docgate

seconds() { # seconds CMD…: the best wall time of three runs
  local best=
  for _ in 1 2 3; do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s.%N)
    best=$(echo "$t0 $t1 ${best:-999999}" | awk '{d = $2 - $1; print (d < $3) ? d : $3}')
  done
  echo "$best"
}

declare -A md html check
for mb in 1 2 4 8; do
  tree="$work/tags-$mb"
  rm -rf "$tree"
  mkdir -p "$tree/content" "$tree/data/variables"
  printf 'name: Product\n' >"$tree/data/variables/product.yml"
  line='{% data variables.product.name %}'
  lines=$((mb * 1024 * 1024 / (${#line} + 1)))
  {
    printf -- "---\ntitle: Tags\nversions:\n  ghes: '*'\n---\n"
    awk -v n="$lines" -v l="$line" 'BEGIN { for (i = 0; i < n; i++) print l }'
  } >"$tree/content/page.md"
  md[$mb]=$(seconds "$bin" --root "$tree" render page --version 3.5 --format markdown)
  html[$mb]=$(seconds "$bin" --root "$tree" render page --version 3.5 --format html)
  check[$mb]=$(seconds "$bin" --root "$tree" check --version 3.5)
  printf '%s MB (%s tags): markdown %.2f s, html %.2f s, check %.2f s\n' \
    "$mb" "$lines" "${md[$mb]}" "${html[$mb]}" "${check[$mb]}"
done
for kind in md html check; do
  declare -n t=$kind
  awk -v a="${t[1]}" -v b="${t[8]}" -v k="$kind" \
    'BEGIN { r = b / a; printf "%s: 8 MB / 1 MB = %.1f (linear: 8; limit: 80) %s\n", k, r, (r <= 80) ? "ok" : "TOO SLOW" }'
done
