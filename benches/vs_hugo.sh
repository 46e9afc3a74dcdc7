#!/usr/bin/env bash
# Side-by-side build benchmark against Hugo, in one hyperfine run per size: karnameh with charts
# and downloads (CSV, XLSX, JSON per table and a data package: the default), with charts and
# without downloads (the pages Hugo builds, plus charts), with neither, and Hugo building the same
# tables (Persian number formatting, no charts, no downloads). Also prints peak memory and
# `karnameh check` time per size.
#
#   apt-get install -y hugo hyperfine                # Debian's packages
#   bash benches/vs_hugo.sh [SIZES] [RUNS]           # SIZES: "150:70 1500:700 15000:7000"
#
# The generators (gen_karnameh_site.py, gen_hugo_site.py: the same tables from the same seed)
# come from the workplace's shared bench folder; set KARNAMEH_BENCH_GENERATORS to their folder
# (default: ../shared/bench beside the checkout). Generated sites go to $SCRATCH (default: a
# temporary folder; a folder on tmpfs such as /dev/shm/vs leaves the disk out of it). Check that
# nothing else uses the CPU first (`cat /proc/loadavg`).
#
# Each size is timed twice: from an empty output (`rm -rf` before every run: on ext4 without a
# journal, each new inode is then looked for past the thousands just deleted, system time that
# grows with the square of the file count, for Hugo as for karnameh), and again over the
# previous output (what a rebuild does: Hugo writes over its files, karnameh links the files
# that did not change into the new output and swaps it in).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
generators=${KARNAMEH_BENCH_GENERATORS:-$root/../shared/bench}
sizes=${1:-"150:70 1500:700 15000:7000"}
runs=${2:-10}
scratch=${SCRATCH:-$(mktemp -d)}
for tool in hugo hyperfine python3; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install -y hugo hyperfine)" >&2; exit 2; }
done
[ -f "$generators/gen_karnameh_site.py" ] || { echo "no generators in $generators" >&2; exit 2; }

cargo build --release --quiet
bin=$root/target/release/karnameh
echo "karnameh $($bin --version | cut -d' ' -f2), $(hugo version | cut -d' ' -f1-2), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# The four builds of one size in one hyperfine run, its table written to $1 and printed; further
# arguments go to hyperfine (`--prepare`).
side_by_side() {
  local result=$1
  shift
  hyperfine --warmup 1 --runs "$runs" --export-markdown "$result" "$@" \
    -n karnameh "$bin build --root $k --output $scratch/out_k --allow-errors" \
    -n karnameh-nodownloads "$bin build --root $kp --output $scratch/out_kp --allow-errors" \
    -n karnameh-nocharts-nodownloads "$bin build --root $nc --output $scratch/out_nc --allow-errors" \
    -n hugo "hugo --quiet -s $h -d $scratch/out_h"
  cat "$result"
}

for size in $sizes; do
  tables=${size%%:*}
  pages=${size##*:}
  k=$scratch/k_$tables kp=$scratch/kp_$tables nc=$scratch/knc_$tables h=$scratch/h_$tables
  KARNAMEH_ROOT=$root python3 "$generators/gen_karnameh_site.py" "$k" --tables "$tables" --pages "$pages" --force >/dev/null
  KARNAMEH_ROOT=$root python3 "$generators/gen_karnameh_site.py" "$kp" --tables "$tables" --pages "$pages" --force >/dev/null
  echo "downloads = false" >> "$kp/site.toml"
  KARNAMEH_ROOT=$root python3 "$generators/gen_karnameh_site.py" "$nc" --tables "$tables" --pages "$pages" --charts off --force >/dev/null
  echo "downloads = false" >> "$nc/site.toml"
  python3 "$generators/gen_hugo_site.py" "$h" --tables "$tables" --pages "$pages" --force >/dev/null
  echo
  echo "== $tables tables / $pages pages"
  # The generated captions name the year 1402 in a 1400 report, which `check` finds (rule
  # foreign-year): the bench publishes them as a draft would be (the work is the same).
  side_by_side "$scratch/result_$tables.md" \
    --prepare "rm -rf $scratch/out_k $scratch/out_kp $scratch/out_nc $scratch/out_h"
  echo "-- again, over the previous output"
  side_by_side "$scratch/result_${tables}_rebuild.md"
  for site in "$k" "$kp" "$nc"; do
    rm -rf "$scratch/out_mem"
    /usr/bin/time -f "peak memory, $(basename "$site"): %M KB" "$bin" build --root "$site" --output "$scratch/out_mem" --allow-errors >/dev/null
  done
  rm -rf "$scratch/out_h"
  /usr/bin/time -f "peak memory, hugo: %M KB" hugo --quiet -s "$h" -d "$scratch/out_h"
  hyperfine --warmup 1 --runs "$runs" -N -i -n check "$bin check --root $k" | grep -E "Time|Range"
  du -sh "$scratch/out_k" "$scratch/out_kp" "$scratch/out_nc" "$scratch/out_h" 2>/dev/null || true
done
