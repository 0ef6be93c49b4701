#!/usr/bin/env bash
# int8 reranking with the trained SciFact cross-encoder (issue 31): configs/scifact.yaml's ce reranker
# (two rounds of train-ce from all-MiniLM-L6-v2, as its ce and ce-int8 sources train it) exported
# twice, float and --quantize int8; each reranks the BM25 top 100 of SciFact test, then evaluate.
#   bm25-search test (top 1000) -> export-onnx MODEL -> rerank --depth 100 -> evaluate     (float)
#                                -> export-onnx MODEL --quantize int8 -> rerank -> evaluate (int8)
# MODEL is the second round's train-ce checkpoint (a folder with model.safetensors and
# training.json); `reproduce --config configs/scifact.yaml` leaves it in its work folder under
# stages/train-ce/ (the folder whose training.json starts from the first round's checkpoint).
# Every step is skipped when its output exists. Each rerank's wall time is in run.log (`time`).
#
# Run from the repository root: results/baselines/int8-rerank/run.sh MODEL
# Writes into $NEGBENCH_WORK/int8-rerank (default work/int8-rerank); reads SciFact from
# $NEGBENCH_DATA/scifact (default ../shared/data/scifact).
set -euo pipefail
[[ -x bin/negbench ]] || { echo "run from the repository root (bin/negbench not found in $PWD)" >&2; exit 1; }
[[ $# -eq 1 && -f "$1/training.json" ]] || { echo "usage: $0 MODEL (a train-ce checkpoint folder with training.json)" >&2; exit 2; }
root="$PWD"
model="$(cd "$1" && pwd)"
work="$(mkdir -p "${NEGBENCH_WORK:-work}" && cd "${NEGBENCH_WORK:-work}" && pwd)"
D="$(cd "${NEGBENCH_DATA:-../shared/data}/scifact" && pwd)"
mkdir -p "$work/int8-rerank"
cd "$work/int8-rerank"
J=("$root/bin/negbench")
step() { echo "== $(date -u +%FT%TZ) $*"; }

if [ ! -f bm25-test.run ]; then
  step bm25-search test
  "${J[@]}" bm25-search --work-dir work --dataset "$D" --split test --top-k 1000 --run bm25-test.run
fi
for q in int8 none; do
  if [ ! -f "ce-$q/model.onnx" ]; then
    step export-onnx --quantize $q
    "${J[@]}" export-onnx --model "$model" --quantize $q --out "ce-$q"
  fi
  if [ ! -f "test-$q.run" ]; then
    step rerank --quantize $q
    time "${J[@]}" rerank --dataset "$D" --split test --run bm25-test.run --model "ce-$q" --depth 100 --max-length 256 --batch-size 32 --out "test-$q.run"
  fi
done
step evaluate
"${J[@]}" evaluate --qrels "$D/qrels/test.tsv" --run bm25-test.run | tee bm25-test.eval
for q in none int8; do
  "${J[@]}" evaluate --qrels "$D/qrels/test.tsv" --run "test-$q.run" | tee "test-$q.eval"
done
step done
