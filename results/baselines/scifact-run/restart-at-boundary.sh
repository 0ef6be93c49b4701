#!/usr/bin/env bash
# Restarts the SciFact run on main's 0375c18 (cost.json charges the ce source's training rounds) once
# bm25 seed 1's result is written, so that no finished work is lost. The checkout was on 0375c18 by
# then; the restarted bin/negbench rebuilt its jar from it (reproduce.log's first line).
#
# Run from the repository root while reproduce.sh runs (started as its header says), e.g.:
#   nohup results/baselines/scifact-run/restart-at-boundary.sh > work/scifact-run/restart.log 2>&1 &
# It stops the run by the pids reproduce.sh wrote to $NEGBENCH_WORK/scifact-run/reproduce.pids (the
# script, then its JVM), keeps the log as reproduce.log.prev-HHMM and starts reproduce.sh again into
# $NEGBENCH_WORK/scifact-run/reproduce.log (default work/).
[[ -x bin/negbench ]] || { echo "run from the repository root (bin/negbench not found in $PWD)" >&2; exit 1; }
work="$(mkdir -p "${NEGBENCH_WORK:-work}" && cd "${NEGBENCH_WORK:-work}" && pwd)"
log="$work/scifact-run"
while [ ! -f "$work/ce-results/scifact/scifact/bm25/seed-1/metrics.json" ]; do sleep 2; done
echo "== $(date -u +%FT%TZ) bm25 seed 1 written; restarting on the new code"
read -r script launcher < "$log/reproduce.pids"
jvm=$(ps -o pid=,comm= --ppid "$launcher" | awk '$2 == "java" { print $1; exit }')
kill "$script"; [ -n "$jvm" ] && kill "$jvm"
sleep 5
cp "$log/reproduce.log" "$log/reproduce.log.prev-$(date -u +%H%M)"
nohup bash results/baselines/scifact-run/reproduce.sh > "$log/reproduce.log" 2>&1 &
