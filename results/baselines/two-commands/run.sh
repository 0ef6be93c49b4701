#!/usr/bin/env bash
# Times the README's two commands on a fresh clone of this checkout's HEAD, as a newcomer runs
# them. Run from the repository root, on a quiet machine:
#   results/baselines/two-commands/run.sh
# The clone goes beside the checkout (../negbench-two-commands, removed first), so that ../shared
# is beside it as in CI; Maven's local repository is used as it is (dependencies already fetched).
# Writes demo.log and test.log (each command's output, then GNU time's report) into this folder.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
clone="$(cd .. && pwd)/negbench-two-commands"
rm -rf "$clone"
git clone -q . "$clone"
cd "$clone"
echo "commit $(git rev-parse --short HEAD), $(nproc) cores, $(uname -m)" >"$here/demo.log"
cp "$here/demo.log" "$here/test.log"
/usr/bin/time -v bin/negbench demo >>"$here/demo.log" 2>&1
/usr/bin/time -v bin/negbench test >>"$here/test.log" 2>&1
git status --porcelain >"$here/git-status-after.txt"
cd - >/dev/null
rm -rf "$clone"
