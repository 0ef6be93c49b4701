#!/usr/bin/env bash
# SciFact cross-encoder, third recipe (issue 14): the second recipe's model (/work/ce-run2/ce-minilm, one epoch)
# trained one more epoch on fresh BM25 negatives (7 per query, random from the top 50, seed 2), lr 3e-5
# -> export-onnx -> rerank the BM25 top 100 of test -> evaluate. train-ce ran its first 15 steps (10 kept in
# its checkpoint) with LD_PRELOAD only, at 0.060 steps/s; it was stopped and resumed with
# GLIBC_TUNABLES=glibc.malloc.hugetlb=1 added (README "Training speed on this VM"). LD_PRELOAD: a
# one-function shim (shim.c: mkl_serv_intel_cpu_true returns 1, as tools/mkl-amd/mkl-amd.c) so that libtorch's MKL takes its
# AVX-512 kernels on this AMD CPU (sgemm 1024^3, one thread: 85 -> 187 GFLOP/s measured here).
set -euo pipefail
cd /work/ce-run3
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 DJL_CACHE_DIR="$HOME/.djl.ai"
J=("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true -Xmx8g -jar /work/ce-run2/app/negbench.jar)
D=/work/shared/data/scifact
step() { echo "== $(date -u +%FT%TZ) $*"; }
[ -f libmklshim.so ] || gcc -shared -fPIC -O2 -o libmklshim.so shim.c
if [ ! -f bm25-train-neg7-seed2.jsonl ]; then
  step mine-bm25
  "${J[@]}" mine-bm25 --work-dir /work/ce-run2/work --dataset $D --split train --num-negatives 7 --range-min 1 --range-max 50 --sampling random --seed 2 --out bm25-train-neg7-seed2.jsonl
fi
if [ ! -f ce-minilm-e2/training.json ]; then
  step train-ce
  LD_PRELOAD=/work/ce-run3/libmklshim.so GLIBC_TUNABLES=glibc.malloc.hugetlb=1 "${J[@]}" train-ce --work-dir /work/ce-run2/work --dataset $D --negatives bm25-train-neg7-seed2.jsonl --model /work/ce-run2/ce-minilm --epochs 1 --batch-size 4 --lr 3e-5 \
    --warmup-ratio 0.1 --max-length 256 --negatives-per-query 7 --loss softmax --seed 2 --checkpoint-every 10 --out ce-minilm-e2
fi
if [ ! -f ce-minilm-e2-onnx/model.onnx ]; then
  step export-onnx
  "${J[@]}" export-onnx --model ce-minilm-e2 --out ce-minilm-e2-onnx
fi
if [ ! -f ce-test.run ]; then
  step rerank
  "${J[@]}" rerank --dataset $D --split test --run /work/ce-run2/bm25-test.run --model ce-minilm-e2-onnx --depth 100 --max-length 256 --batch-size 32 --out ce-test.run
fi
step evaluate
"${J[@]}" evaluate --qrels $D/qrels/test.tsv --run ce-test.run | tee ce-test.eval
step done
