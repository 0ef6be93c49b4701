#!/usr/bin/env bash
# SciFact cross-encoder chosen on a development split (issue 31): configs/scifact.yaml's ce recipe
# (two rounds of train-ce from all-MiniLM-L6-v2) trained on SciFact train minus 100 held-out
# queries, the fusion weight W chosen on those 100 (dev), then test reranked and evaluated once.
#   hold-out (100 dev queries, seed 1)
#   -> round 1: mine-bm25 on train-minus-dev (7 negatives, random from ranks 1-50, seed 1)
#      -> train-ce from minilm (4 groups a step, 1 epoch, lr 7e-5, 256 tokens, softmax, seed 1)
#   -> round 2: mine-bm25 afresh (seed 2) -> train-ce from round 1 (lr 3e-5, seed 2) -> export-onnx
#   -> bm25-search on dev -> rerank its top 100 with --fuse run:W, W = 1, 0.7, 0.5, 0.3 -> evaluate
#   -> the W of the best dev nDCG@10 (the first of equals, in that order)
#   -> bm25-search on test -> rerank its top 100 with that W -> evaluate, once.
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

# The two rounds of configs/scifact.yaml's ce source (its train: and then: blocks).
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
if [ ! -f ce-round2-onnx/model.onnx ]; then
  step export-onnx
  "${J[@]}" export-onnx --model ce-round2 --out ce-round2-onnx
fi

# Neither round saw a dev query: both training.json files list the held-out ids, which must be dev's.
for r in ce-round1 ce-round2; do
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
best=""
for w in 1 0.7 0.5 0.3; do
  if [ ! -f "dev-$w.run" ]; then
    step rerank dev W=$w
    "${J[@]}" rerank --dataset "$C" --split dev --run bm25-dev.run --model ce-round2-onnx --depth 100 --max-length 256 --batch-size 32 --fuse "run:$w" --out "dev-$w.run"
  fi
  "${J[@]}" evaluate --qrels "$C/qrels/dev.tsv" --run "dev-$w.run" > "dev-$w.eval"
  echo "dev W=$w nDCG@10 $(ndcg "dev-$w.eval")"
  if [ -z "$best" ] || awk -v a="$(ndcg "dev-$w.eval")" -v b="$(ndcg "dev-$best.eval")" 'BEGIN { exit !(a > b) }'; then
    best=$w
  fi
done
echo "dev BM25 nDCG@10 $(ndcg bm25-dev.eval); chosen on dev: W=$best"
echo "$best" > chosen-w.txt

# Test, once, with the W chosen on dev.
if [ ! -f bm25-test.run ]; then
  step bm25-search test
  "${J[@]}" bm25-search --work-dir work --dataset "$D" --split test --top-k 1000 --run bm25-test.run
fi
if [ ! -f test.run ]; then
  step rerank test W=$best
  "${J[@]}" rerank --dataset "$D" --split test --run bm25-test.run --model ce-round2-onnx --depth 100 --max-length 256 --batch-size 32 --fuse "run:$best" --out test.run
fi
step evaluate test
"${J[@]}" evaluate --qrels "$D/qrels/test.tsv" --run bm25-test.run | tee bm25-test.eval
"${J[@]}" evaluate --qrels "$D/qrels/test.tsv" --run test.run | tee test.eval
step done
