#!/usr/bin/env bash
# SciFact cross-encoder measurement (issue 14): BM25 negatives on SciFact train -> train-ce from
# all-MiniLM-L6-v2 -> export-onnx -> bm25-search on test -> rerank top 100 -> evaluate.
# Every step is skipped when its output exists; train-ce resumes from its checkpoint. Rerun to resume.
set -euo pipefail
cd /work/ce-run
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 DJL_CACHE_DIR="$HOME/.djl.ai"
J=("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true -Xmx8g -jar /work/ce-run/app/target/negbench.jar)
D=/work/shared/data/scifact
step() { echo "== $(date -u +%FT%TZ) $*"; }
if [ ! -f bm25-train-neg.jsonl ]; then
  step mine-bm25
  "${J[@]}" mine-bm25 --work-dir work --dataset $D --split train --num-negatives 3 --range-min 1 --range-max 50 --sampling random --seed 1 --out bm25-train-neg.jsonl
fi
if [ ! -f ce-minilm/training.json ]; then
  step train-ce
  "${J[@]}" train-ce --work-dir work --dataset $D --negatives bm25-train-neg.jsonl --model minilm --epochs 1 --batch-size 8 --lr 7e-5 \
    --warmup-ratio 0.1 --max-length 256 --negatives-per-query 3 --loss softmax --seed 1 --checkpoint-every 10 --out ce-minilm
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
