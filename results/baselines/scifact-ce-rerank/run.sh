#!/usr/bin/env bash
# SciFact cross-encoder, second recipe (issue 14): BM25 negatives on SciFact train (7 per query, random from the top 50, as the ce source's train block mines them)
# -> train-ce from all-MiniLM-L6-v2, 7 negatives per group, 4 groups a step, 1 epoch -> export-onnx
# -> bm25-search on test -> rerank top 100 -> evaluate. Every step is skipped when its output exists;
# train-ce resumes from its checkpoint. Rerun to resume.
#
# Run from the repository root: results/baselines/scifact-ce-rerank/run.sh
# Writes into $NEGBENCH_WORK/ce-run2 (default work/ce-run2), which third-recipe/run.sh and
# ../scifact-run/reproduce.sh read; reads SciFact from $NEGBENCH_DATA/scifact (default
# ../shared/data/scifact). As measured: each step is a plain `java -Xmx8g` of the CLI (no malloc
# settings: the run predates bin/negbench's glibc.malloc.hugetlb=1, hence NEGBENCH_HUGEPAGES=0).
set -euo pipefail
[[ -x bin/negbench ]] || { echo "run from the repository root (bin/negbench not found in $PWD)" >&2; exit 1; }
root="$PWD"
work="$(mkdir -p "${NEGBENCH_WORK:-work}" && cd "${NEGBENCH_WORK:-work}" && pwd)"
D="$(cd "${NEGBENCH_DATA:-../shared/data}/scifact" && pwd)"
mkdir -p "$work/ce-run2"
cd "$work/ce-run2"
export NEGBENCH_HUGEPAGES=0 NEGBENCH_JAVA_OPTS=-Xmx8g
J=("$root/bin/negbench")
step() { echo "== $(date -u +%FT%TZ) $*"; }
if [ ! -f bm25-train-neg7.jsonl ]; then
  step mine-bm25
  "${J[@]}" mine-bm25 --work-dir work --dataset $D --split train --num-negatives 7 --range-min 1 --range-max 50 --sampling random --seed 1 --out bm25-train-neg7.jsonl
fi
if [ ! -f ce-minilm/training.json ]; then
  step train-ce
  "${J[@]}" train-ce --work-dir work --dataset $D --negatives bm25-train-neg7.jsonl --model minilm --epochs 1 --batch-size 4 --lr 7e-5 \
    --warmup-ratio 0.1 --max-length 256 --negatives-per-query 7 --loss softmax --seed 1 --checkpoint-every 10 --out ce-minilm
fi
if [ ! -f ce-minilm-onnx/model.onnx ]; then
  step export-onnx
  "${J[@]}" export-onnx --model ce-minilm --out ce-minilm-onnx
fi
if [ ! -f bm25-test.run ]; then
  step bm25-search
  "${J[@]}" bm25-search --work-dir work --dataset $D --split test --top-k 1000 --run bm25-test.run
fi
if [ ! -f ce-test.run ]; then
  step rerank
  "${J[@]}" rerank --dataset $D --split test --run bm25-test.run --model ce-minilm-onnx --depth 100 --max-length 256 --batch-size 32 --out ce-test.run
fi
step evaluate
"${J[@]}" evaluate --qrels $D/qrels/test.tsv --run bm25-test.run | tee bm25-test.eval
"${J[@]}" evaluate --qrels $D/qrels/test.tsv --run ce-test.run | tee ce-test.eval
step done
