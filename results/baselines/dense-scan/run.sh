#!/usr/bin/env bash
# The exact dense scan at 1,000,000 documents (384 floats, isotropic), 2 threads, in one run:
#  1. this checkout: DenseSearchBenchmark search (exact), gemmPeak and gemmVectorApi (JMH), written
#     to results/jmh/dense-peak-1m.json;
#  2. gemmVectorApi at 049f7de^, the commit before the fixed-order lane sum (a git worktree under
#     $NEGBENCH_WORK, removed afterwards), with the same JMH settings;
#  3. the peer: torch.mm + torch.topk on the same shape and threads (torch_peer.py; Debian's
#     python3-torch 1.13 with libopenblas0-pthread: PYTHON=/usr/bin/python3 by default).
# Logs: head.log, before.log, torch.log here. Run from anywhere:
#   bash results/baselines/dense-scan/run.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
here=results/baselines/dense-scan
work="${NEGBENCH_WORK:-$PWD/work}/dense-scan"
jmh_args='-f 1 -wi 2 -w 2s -i 5 -r 2s'
params='docs=1000000;threads=2;index=exact;vectors=isotropic'
mkdir -p "$work"
# The logs keep JMH's tables and summaries, with this machine's folders written as . and $work.
portable() { grep -v -e '^\[INFO\] Running: ' -e '^WARNING: ' | sed -e "s#$work#\$work#g" -e "s#$PWD/##g" -e "s#$PWD#.#g"; }

bin/negbench bench -B -Djmh.profile=full -Djmh.include='DenseSearchBenchmark.(search|gemmPeak|gemmVectorApi)$' \
  -Djmh.params="$params" -Djmh.args="$jmh_args" -Djmh.resultFile="$PWD/results/jmh/dense-peak-1m.json" \
  2>&1 | portable | tee "$here/head.log.tmp"
mv "$here/head.log.tmp" "$here/head.log"

rm -rf "$work/before"
git worktree prune
git worktree add --detach "$work/before" 049f7de^ >/dev/null
(cd "$work/before" && bin/negbench bench -B -Djmh.profile=full -Djmh.include='DenseSearchBenchmark.gemmVectorApi$' \
  -Djmh.params="$params" -Djmh.args="$jmh_args" -Djmh.resultFile="$work/before.json") 2>&1 | portable | tee "$here/before.log.tmp"
mv "$here/before.log.tmp" "$here/before.log"
git worktree remove --force "$work/before"

"${PYTHON:-/usr/bin/python3}" "$here/torch_peer.py" 2 1000000 2>&1 | tee "$here/torch.log.tmp"
mv "$here/torch.log.tmp" "$here/torch.log"
