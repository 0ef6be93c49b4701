#!/usr/bin/env bash
# CrossEncoderMiningBenchmark at one thread, two commits in turn (A B A B A B), so that a drift of
# the machine's speed hits both alike. Each side is a clone of this repository checked out at its
# commit and built once (bin/negbench builds it). Results: ab-COMMIT-I.json beside this script.
#
# Usage, from the repository root: results/baselines/ce-mining-ab/run.sh CLONE_A CLONE_B
set -euo pipefail
[[ $# -eq 2 && -x "$1/bin/negbench" && -x "$2/bin/negbench" ]] || {
  echo "usage: $0 CLONE_A CLONE_B (two clones of negbench, each at the commit to measure)" >&2
  exit 2
}
out="$(cd "$(dirname "$0")" && pwd)"
for i in 1 2 3; do
  for clone in "$1" "$2"; do
    commit=$(git -C "$clone" rev-parse --short=7 HEAD)
    (cd "$clone" && bin/negbench bench -Djmh.profile=full -Djmh.include=CrossEncoderMiningBenchmark \
      -Djmh.params='maxLength=128;model=tiny;threads=1' -Djmh.args='-f 1 -wi 1 -w 10s -i 3 -r 10s' \
      -Djmh.resultFile="$out/ab-$commit-$i.json" > "$out/ab-$commit-$i.log" 2>&1)
    echo "$commit $i $(grep -E '^CrossEncoderMiningBenchmark.mine ' "$out/ab-$commit-$i.log")"
  done
done
