#!/usr/bin/env bash
# Restarts the SciFact run on main's 0375c18 (cost.json charges the ce source's training rounds) once
# bm25 seed 1's result is written, so that no finished work is lost.
while [ ! -f /work/ce-results/scifact/scifact/bm25/seed-1/metrics.json ]; do sleep 2; done
echo "== $(date -u +%FT%TZ) bm25 seed 1 written; restarting on the new code"
pkill -f "bash reproduce.sh"; pkill -f "runsci/target/negbench.jar reproduce"
sleep 5
cp /work/runsci-log/reproduce.log /work/runsci-log/reproduce.log.prev-$(date -u +%H%M)
cd /work/runsci-log && nohup bash reproduce.sh > reproduce.log 2>&1 &
