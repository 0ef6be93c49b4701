#!/usr/bin/env bash
# SciFact cross-encoder, third recipe (issue 14): the second recipe's model ($NEGBENCH_WORK/ce-run2/ce-minilm, one epoch)
# trained one more epoch on fresh BM25 negatives (7 per query, random from the top 50, seed 2), lr 3e-5
# -> export-onnx -> rerank the BM25 top 100 of test -> evaluate. train-ce ran its first 15 steps (10 kept in
# its checkpoint) with the MKL shim only, at 0.060 steps/s; it was stopped (run.log shows that process
# ending in a SIGSEGV report) and resumed with GLIBC_TUNABLES=glibc.malloc.hugetlb=1 added (README
# "Training speed on this VM"). The shim is tools/mkl-amd/mkl-amd.c (mkl_serv_intel_cpu_true returns 1), preloaded by
# NEGBENCH_MKL_AMD=1, so that libtorch's MKL takes its AVX-512 kernels on this AMD CPU (sgemm 1024^3,
# one thread: 85 -> 187 GFLOP/s measured here). When this ran, the same one-line function was built
# from a copy beside this script with `gcc -shared -fPIC -O2` and given as LD_PRELOAD.
#
# Run from the repository root, after ../run.sh: results/baselines/scifact-ce-rerank/third-recipe/run.sh
# Writes into $NEGBENCH_WORK/ce-run3 (default work/ce-run3); reads the second recipe's model, BM25
# index and test run from $NEGBENCH_WORK/ce-run2 and SciFact from $NEGBENCH_DATA/scifact (default
# ../shared/data/scifact). As measured: every step a plain `java -Xmx8g` of the CLI (NEGBENCH_HUGEPAGES=0:
# no malloc settings from bin/negbench), except train-ce, which had the shim and hugetlb=1 only (not
# NEGBENCH_MKL_AMD=1's mmap_max and trim threshold, which bin/negbench leaves out under NEGBENCH_HUGEPAGES=0).
set -euo pipefail
[[ -x bin/negbench ]] || { echo "run from the repository root (bin/negbench not found in $PWD)" >&2; exit 1; }
root="$PWD"
work="$(mkdir -p "${NEGBENCH_WORK:-work}" && cd "${NEGBENCH_WORK:-work}" && pwd)"
D="$(cd "${NEGBENCH_DATA:-../shared/data}/scifact" && pwd)"
run2="$work/ce-run2"
[[ -f "$run2/ce-minilm/training.json" && -f "$run2/bm25-test.run" ]] \
  || { echo "needs the second recipe's $run2 (results/baselines/scifact-ce-rerank/run.sh)" >&2; exit 1; }
mkdir -p "$work/ce-run3"
cd "$work/ce-run3"
export NEGBENCH_HUGEPAGES=0 NEGBENCH_JAVA_OPTS=-Xmx8g
J=("$root/bin/negbench")
step() { echo "== $(date -u +%FT%TZ) $*"; }
if [ ! -f bm25-train-neg7-seed2.jsonl ]; then
  step mine-bm25
  "${J[@]}" mine-bm25 --work-dir "$run2/work" --dataset $D --split train --num-negatives 7 --range-min 1 --range-max 50 --sampling random --seed 2 --out bm25-train-neg7-seed2.jsonl
fi
if [ ! -f ce-minilm-e2/training.json ]; then
  step train-ce
  NEGBENCH_MKL_AMD=1 GLIBC_TUNABLES=glibc.malloc.hugetlb=1 "${J[@]}" train-ce --work-dir "$run2/work" --dataset $D --negatives bm25-train-neg7-seed2.jsonl --model "$run2/ce-minilm" --epochs 1 --batch-size 4 --lr 3e-5 \
    --warmup-ratio 0.1 --max-length 256 --negatives-per-query 7 --loss softmax --seed 2 --checkpoint-every 10 --out ce-minilm-e2
fi
if [ ! -f ce-minilm-e2-onnx/model.onnx ]; then
  step export-onnx
  "${J[@]}" export-onnx --model ce-minilm-e2 --out ce-minilm-e2-onnx
fi
if [ ! -f ce-test.run ]; then
  step rerank
  "${J[@]}" rerank --dataset $D --split test --run "$run2/bm25-test.run" --model ce-minilm-e2-onnx --depth 100 --max-length 256 --batch-size 32 --out ce-test.run
fi
step evaluate
"${J[@]}" evaluate --qrels $D/qrels/test.tsv --run ce-test.run | tee ce-test.eval
step done
