#!/usr/bin/env bash
# The three-seed SciFact run (issue 14): configs/scifact-trained-ce.yaml as configs/scifact.yaml (name
# scifact; uncommitted in a clone of main at /work/runsci, so provenance says +dirty), run as a user
# would on this AMD VM: NEGBENCH_MKL_AMD=1 bin/negbench reproduce (README "Training speed on this VM").
# Resumable: the stage cache in /work/ce-work keeps every finished stage. The ce source's first
# training round is the standalone train-ce run of /work/ce-run2 (same negatives, same settings:
# Trainer's identity check compares the negatives' SHA-256, the settings, model and dataset), so its
# finished folder is placed in WORK/training-ce/KEY/model (the pipeline paused while it is copied) as
# soon as the pipeline creates the folder; if the pipeline's negatives differ, Trainer's identity check
# ignores the copy and trains anew. The second round trains in the pipeline.
set -euo pipefail
cd /work/runsci
export NEGBENCH_MKL_AMD=1 NEGBENCH_JAVA_OPTS=-Xmx8g JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
bin/negbench reproduce --config configs/scifact.yaml --work-dir /work/ce-work --results /work/ce-results &
launcher=$!
java_pid() { pgrep -f "runsci/target/negbench.jar reproduce" | head -1; }
if [ -z "$(ls -d /work/ce-work/training-ce/*/ 2>/dev/null)" ]; then
  # compgen is a bash builtin: the wait forks only sleep.
  while kill -0 $launcher 2>/dev/null && ! compgen -G "/work/ce-work/training-ce/*/" >/dev/null; do sleep 0.1; done
  pid=$(java_pid)
  kill -STOP $pid
  key=$(ls -d /work/ce-work/training-ce/*/ | head -1)
  mkdir -p "$key/model"
  for f in /work/ce-run2/ce-minilm/*; do [ "$(basename "$f")" = training.json ] || cp -r "$f" "$key/model/"; done
  cp /work/ce-run2/ce-minilm/training.json "$key/model/"  # last: it marks a finished run
  kill -CONT $pid
  echo "== $(date -u +%FT%TZ) placed the standalone cross-encoder in $key/model"
  while kill -0 $launcher 2>/dev/null && [ ! -f "$key/bm25-negatives.jsonl" ]; do sleep 1; done
  cmp "$key/bm25-negatives.jsonl" /work/ce-run2/bm25-train-neg7.jsonl && echo "== negatives equal the standalone run's"
fi
wait $launcher
