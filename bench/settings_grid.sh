#!/usr/bin/env bash
# Times whole `embed encode` processes over one input file under several settings, in
# alternation (round 1: every setting, round 2: every setting, …), so that slow drifts of a
# shared machine hit every setting alike. Used to choose the defaults (docs/performance.md).
#
#   bench/settings_grid.sh [-m MODEL] [-v fp32|quantized] [-r ROUNDS] [-i FILE] [-n TEXTS] SETTING...
#
# Each SETTING is one quoted string of embed flags, e.g. "--max-batch-tokens 1024" or
# "--workers 2 --threads 1"; "" runs the defaults. Prints one line per run and, at the end,
# the median seconds of each setting.
set -euo pipefail
cd "$(dirname "$0")/.."
model=.cache/models/all-MiniLM-L6-v2
variant=fp32
rounds=3
input=.cache/corpus/texts.txt
texts=1000
while getopts "m:v:r:i:n:" flag; do
  case $flag in
    m) model=$OPTARG ;; v) variant=$OPTARG ;; r) rounds=$OPTARG ;; i) input=$OPTARG ;; n) texts=$OPTARG ;;
    *) sed -n '2,11p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { sed -n '2,11p' "$0"; exit 2; }
embed=.build/release/embed
[ -x "$embed" ] || { echo "error: $embed missing: run 'make release' first" >&2; exit 1; }
sample=$(mktemp)
results=$(mktemp)
trap 'rm -f "$sample" "$results"' EXIT
head -n "$texts" "$input" > "$sample"
for round in $(seq "$rounds"); do
  for setting in "$@"; do
    start=$(date +%s.%N)
    # shellcheck disable=SC2086 # a setting is several flags
    "$embed" encode --model "$model" --variant "$variant" $setting --input "$sample" > /dev/null
    seconds=$(echo "$(date +%s.%N) - $start" | bc)
    printf 'round %s  %-50s %6.2f s\n' "$round" "[${setting:-defaults}]" "$seconds"
    printf '%s\t%s\n' "${setting:-defaults}" "$seconds" >> "$results"
  done
done
echo "median over $rounds rounds, $(wc -l < "$sample") texts, $variant:"
python3 - "$results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    setting, seconds = line.rstrip("\n").split("\t")
    rows.setdefault(setting, []).append(float(seconds))
for setting, values in rows.items():
    print(f"  {setting:50s} {statistics.median(values):6.2f} s")
PY
