#!/usr/bin/env bash
# The plan of configs/paper.yaml on GPUs (--device cuda), on 8 cooperating workers, at the
# committed results' rates: no work is done, nothing is fetched (datasets not downloaded are
# counted from the BEIR catalogue). Run from the repository root:
#   bash results/baselines/paper-plan/run.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
bin/negbench reproduce --config configs/paper.yaml --device cuda --plan --workers 8 --results results \
  > results/baselines/paper-plan/plan.txt.tmp
mv results/baselines/paper-plan/plan.txt.tmp results/baselines/paper-plan/plan.txt
