#!/usr/bin/env bash
# all-MiniLM-L6-v2 dense retrieval on BEIR SciFact test, three ways: float (the built-in model),
# negbench's dynamic int8 (--quantize int8), and langchain4j's published int8 file (the built-in
# minilm-q-langchain4j). Exact search, 256 tokens, 2 threads; each run is evaluated with evaluate.
# Run from anywhere; the runs go under $NEGBENCH_WORK/int8-dense (default work/), the measured
# output (timings and metrics) into results/baselines/int8-dense/.
set -euo pipefail
cd "$(dirname "$0")/../../.."
data=../shared/data/scifact
work="${NEGBENCH_WORK:-work}/int8-dense"
out=results/baselines/int8-dense
mkdir -p "$work"
for variant in float:minilm:none int8:minilm:int8 langchain4j-int8:minilm-q-langchain4j:none; do
  IFS=: read -r name model quantize <<< "$variant"
  # A fresh work folder per model, so every corpus is encoded in this run and timed.
  rm -rf "$work/$name-cache"
  echo "== $name: dense-search --model $model --quantize $quantize"
  /usr/bin/time -f "$name: wall %e s, max RSS %M KB" \
    bin/negbench dense-search --dataset "$data" --split test --model "$model" --quantize "$quantize" \
      --index exact --max-length 256 --batch-size 64 --threads 2 --top-k 100 \
      --work-dir "$work/$name-cache" --run "$work/$name.run" --tag "minilm-$name"
  bin/negbench evaluate --qrels "$data/qrels/test.tsv" --run "$work/$name.run" \
    --metrics ndcg@10,recall@100,mrr@10 > "$out/$name.eval"
  cat "$out/$name.eval"
done
