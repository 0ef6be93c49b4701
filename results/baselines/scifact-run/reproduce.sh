#!/usr/bin/env bash
# The three-seed SciFact run (issue 14): configs/scifact-trained-ce.yaml as configs/scifact.yaml (name
# scifact; uncommitted in a clone of main, so provenance says +dirty; 33770b0 committed it byte for
# byte as configs/scifact.yaml), run as a user would on this AMD VM: NEGBENCH_MKL_AMD=1 bin/negbench
# reproduce (README "Training speed on this VM"), on Temurin 25.
# Resumable: the stage cache in $NEGBENCH_WORK/ce-work keeps every finished stage. The ce source's
# first training round is the standalone train-ce run of $NEGBENCH_WORK/ce-run2
# (../scifact-ce-rerank/run.sh; same negatives, same settings: Trainer's identity check compares the
# negatives' SHA-256, the settings, model and dataset), so its finished folder is placed in
# WORK/training-ce/KEY/model (the pipeline paused while it is copied) as soon as the pipeline creates
# the folder; if the pipeline's negatives differ, Trainer's identity check ignores the copy and trains
# anew. The second round trains in the pipeline.
#
# Run from the repository root, e.g. with NEGBENCH_WORK=work:
#   mkdir -p work/scifact-run
#   nohup results/baselines/scifact-run/reproduce.sh > work/scifact-run/reproduce.log 2>&1 &
# Stage cache $NEGBENCH_WORK/ce-work, results $NEGBENCH_WORK/ce-results (default work/); the dataset
# is the config's ../../shared/data/scifact (relative to configs/). It writes its own pid and its
# launcher's to $NEGBENCH_WORK/scifact-run/reproduce.pids, which restart-at-boundary.sh reads.
set -euo pipefail
[[ -x bin/negbench ]] || { echo "run from the repository root (bin/negbench not found in $PWD)" >&2; exit 1; }
work="$(mkdir -p "${NEGBENCH_WORK:-work}" && cd "${NEGBENCH_WORK:-work}" && pwd)"
run2="$work/ce-run2"
mkdir -p "$work/scifact-run"
export NEGBENCH_MKL_AMD=1 NEGBENCH_JAVA_OPTS=-Xmx8g
bin/negbench reproduce --config configs/scifact.yaml --work-dir "$work/ce-work" --results "$work/ce-results" &
launcher=$!
echo "$$ $launcher" > "$work/scifact-run/reproduce.pids"
# bin/negbench runs the JVM as its child (no exec): the JVM is the launcher's child named java.
java_pid() { ps -o pid=,comm= --ppid "$launcher" | awk '$2 == "java" { print $1; exit }'; }
if [ -z "$(ls -d "$work"/ce-work/training-ce/*/ 2>/dev/null)" ]; then
  # compgen is a bash builtin: the wait forks only sleep.
  while kill -0 $launcher 2>/dev/null && ! compgen -G "$work/ce-work/training-ce/*/" >/dev/null; do sleep 0.1; done
  pid=$(java_pid)
  kill -STOP $pid
  key=$(ls -d "$work"/ce-work/training-ce/*/ | head -1)
  mkdir -p "$key/model"
  for f in "$run2"/ce-minilm/*; do [ "$(basename "$f")" = training.json ] || cp -r "$f" "$key/model/"; done
  cp "$run2/ce-minilm/training.json" "$key/model/"  # last: it marks a finished run
  kill -CONT $pid
  echo "== $(date -u +%FT%TZ) placed the standalone cross-encoder in $key/model"
  while kill -0 $launcher 2>/dev/null && [ ! -f "$key/bm25-negatives.jsonl" ]; do sleep 1; done
  cmp "$key/bm25-negatives.jsonl" "$run2/bm25-train-neg7.jsonl" && echo "== negatives equal the standalone run's"
fi
wait $launcher
