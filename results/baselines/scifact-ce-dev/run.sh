#!/usr/bin/env bash
# SciFact cross-encoder recipe and fusion weight chosen on a development split (issue 31): the three
# recipes of issue 14 (results/baselines/scifact-ce-rerank/) trained on SciFact train minus 100
# held-out queries, the (recipe, W) pair chosen on those 100 (dev), then test reranked and evaluated once.
#   hold-out (100 dev queries, seed 1)
#   -> recipe 2 = round 1 of configs/scifact.yaml's ce source: mine-bm25 on train-minus-dev
#      (7 negatives, random from ranks 1-50, seed 1) -> train-ce from minilm (4 groups a step,
#      1 epoch, lr 7e-5, 256 tokens, softmax, seed 1)
#   -> recipe 3 = round 2: mine-bm25 afresh (seed 2) -> train-ce from recipe 2 (lr 3e-5, seed 2)
#   -> recipe 1 = issue 14's first: 3 negatives (seed 1) -> train-ce from minilm (8 groups a step,
#      1 epoch, lr 7e-5, seed 1)
#   -> export-onnx each -> bm25-search on dev -> rerank its top 100 with each recipe, scored once
#      and ranked at W = 1, 0.7, 0.5, 0.3 (--fuse run:W, repeated) -> evaluate on dev
#   -> the (recipe, W) of the best dev nDCG@10 (the first of equals, in that order)
#   -> bm25-search on test -> rerank its top 100 with that recipe and W -> evaluate, once.
# Every step is skipped when its output exists; train-ce resumes from its checkpoint. Rerun to resume.
#
# Run from the repository root: results/baselines/scifact-ce-dev/run.sh
# Writes into $NEGBENCH_WORK/ce-dev (default work/ce-dev); reads SciFact from
# $NEGBENCH_DATA/scifact (default ../shared/data/scifact).
set -euo pipefail
[[ -x bin/negbench ]] || { echo "run from the repository root (bin/negbench not found in $PWD)" >&2; exit 1; }
root="$PWD"
work="$(mkdir -p "${NEGBENCH_WORK:-work}" && cd "${NEGBENCH_WORK:-work}" && pwd)"
D="$(cd "${NEGBENCH_DATA:-../shared/data}/scifact" && pwd)"
mkdir -p "$work/ce-dev"
cd "$work/ce-dev"
J=("$root/bin/negbench")
C="$PWD/scifact-dev" # the carve: SciFact with qrels/train-minus-dev.tsv and qrels/dev.tsv
step() { echo "== $(date -u +%FT%TZ) $*"; }
ndcg() { awk '$1 == "ndcg@10" && $2 == "all" { print $3 }' "$1"; }

step hold-out
"${J[@]}" hold-out --dataset "$D" --split train --queries 100 --seed 1 --out "$C"

# Recipes 2 and 3: the two rounds of configs/scifact.yaml's ce source (its train: and then: blocks).
if [ ! -f neg-round1.jsonl ]; then
  step mine-bm25 round 1
  "${J[@]}" mine-bm25 --work-dir work --dataset "$C" --split train-minus-dev --num-negatives 7 --range-min 1 --range-max 50 --sampling random --seed 1 --out neg-round1.jsonl
fi
if [ ! -f ce-round1/training.json ]; then
  step train-ce round 1
  "${J[@]}" train-ce --work-dir work --dataset "$C" --split train-minus-dev --negatives neg-round1.jsonl --model minilm --epochs 1 --batch-size 4 --lr 7e-5 \
    --max-length 256 --negatives-per-query 7 --loss softmax --seed 1 --checkpoint-every 10 --out ce-round1
fi
if [ ! -f neg-round2.jsonl ]; then
  step mine-bm25 round 2
  "${J[@]}" mine-bm25 --work-dir work --dataset "$C" --split train-minus-dev --num-negatives 7 --range-min 1 --range-max 50 --sampling random --seed 2 --out neg-round2.jsonl
fi
if [ ! -f ce-round2/training.json ]; then
  step train-ce round 2
  "${J[@]}" train-ce --work-dir work --dataset "$C" --split train-minus-dev --negatives neg-round2.jsonl --model "$PWD/ce-round1" --epochs 1 --batch-size 4 --lr 3e-5 \
    --max-length 256 --negatives-per-query 7 --loss softmax --seed 2 --checkpoint-every 10 --out ce-round2
fi

# Recipe 1, issue 14's first: 3 negatives per group, 8 groups a step.
if [ ! -f neg-r1.jsonl ]; then
  step mine-bm25 recipe 1
  "${J[@]}" mine-bm25 --work-dir work --dataset "$C" --split train-minus-dev --num-negatives 3 --range-min 1 --range-max 50 --sampling random --seed 1 --out neg-r1.jsonl
fi
if [ ! -f ce-r1/training.json ]; then
  step train-ce recipe 1
  "${J[@]}" train-ce --work-dir work --dataset "$C" --split train-minus-dev --negatives neg-r1.jsonl --model minilm --epochs 1 --batch-size 8 --lr 7e-5 \
    --warmup-ratio 0.1 --max-length 256 --negatives-per-query 3 --loss softmax --seed 1 --checkpoint-every 10 --out ce-r1
fi
# The recipes' models: recipe 1 ce-r1, recipe 2 ce-round1, recipe 3 ce-round2.
model=([1]=ce-r1 [2]=ce-round1 [3]=ce-round2)
for r in 1 2 3; do
  if [ ! -f "${model[$r]}-onnx/model.onnx" ]; then
    step export-onnx recipe $r
    "${J[@]}" export-onnx --model "${model[$r]}" --out "${model[$r]}-onnx"
  fi
done

# No recipe saw a dev query: each training.json lists the held-out ids, which must be dev's.
for r in ce-r1 ce-round1 ce-round2; do
  python3 - "$C/qrels/dev.tsv" "$r/training.json" <<'PY'
import json, sys
dev = {l.split("\t")[0] for l in open(sys.argv[1]).read().splitlines()[1:] if l}
held = set(json.load(open(sys.argv[2])).get("held_out_queries", []))
sys.exit(0 if dev and dev == held else f"{sys.argv[2]}: held_out_queries is not the dev split's queries")
PY
done

if [ ! -f bm25-dev.run ]; then
  step bm25-search dev
  "${J[@]}" bm25-search --work-dir work --dataset "$C" --split dev --top-k 1000 --run bm25-dev.run
fi
"${J[@]}" evaluate --qrels "$C/qrels/dev.tsv" --run bm25-dev.run > bm25-dev.eval
weights=(1 0.7 0.5 0.3)
best=""
for r in 1 2 3; do
  if [ ! -f "dev-r$r-0.3.run" ]; then # the last weight's run is written last
    step rerank dev recipe $r, W = ${weights[*]}
    fuse=(); for w in "${weights[@]}"; do fuse+=(--fuse "run:$w"); done
    "${J[@]}" rerank --dataset "$C" --split dev --run bm25-dev.run --model "${model[$r]}-onnx" --depth 100 --max-length 256 --batch-size 32 "${fuse[@]}" --out "dev-r$r-{W}.run"
  fi
  for w in "${weights[@]}"; do
    "${J[@]}" evaluate --qrels "$C/qrels/dev.tsv" --run "dev-r$r-$w.run" > "dev-r$r-$w.eval"
    echo "dev recipe $r W=$w nDCG@10 $(ndcg "dev-r$r-$w.eval")"
    if [ -z "$best" ] || awk -v a="$(ndcg "dev-r$r-$w.eval")" -v b="$(ndcg "dev-$best.eval")" 'BEGIN { exit !(a > b) }'; then
      best="r$r-$w"
    fi
  done
done
r="${best%%-*}"; r="${r#r}"; w="${best#*-}"
echo "dev BM25 nDCG@10 $(ndcg bm25-dev.eval); chosen on dev: recipe $r, W=$w"
echo "recipe $r W $w" > chosen.txt

# Test, once, with the recipe and W chosen on dev.
if [ ! -f bm25-test.run ]; then
  step bm25-search test
  "${J[@]}" bm25-search --work-dir work --dataset "$D" --split test --top-k 1000 --run bm25-test.run
fi
if [ ! -f "test-$best.run" ]; then
  step rerank test recipe $r W=$w
  "${J[@]}" rerank --dataset "$D" --split test --run bm25-test.run --model "${model[$r]}-onnx" --depth 100 --max-length 256 --batch-size 32 --fuse "run:$w" --out "test-$best.run"
fi
step evaluate test
"${J[@]}" evaluate --qrels "$D/qrels/test.tsv" --run bm25-test.run | tee bm25-test.eval
"${J[@]}" evaluate --qrels "$D/qrels/test.tsv" --run "test-$best.run" | tee "test-$best.eval"
step done
