#!/usr/bin/env bash
# Times the README's two commands, each on a fresh clone of this checkout's HEAD, as a newcomer
# runs them. Run from the repository root, on a quiet machine:
#   results/baselines/two-commands/run.sh [demo] [test]     (default: both, demo first)
# Each clone goes beside the checkout (../negbench-two-commands, removed first and afterwards), so
# that ../shared is beside it as in CI; Maven's local repository is used as it is (dependencies
# already fetched). Writes NAME.log (the command's output, then GNU time's report, with the
# clone's folder written as <clone>) and git-status-after-NAME.txt (git status --porcelain in the
# clone afterwards) into this folder.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
clone="$(cd .. && pwd)/negbench-two-commands"
for name in "${@:-demo test}"; do
  for cmd in $name; do
    rm -rf "$clone"
    git clone -q . "$clone"
    log="$here/$cmd.log"
    echo "commit $(git -C "$clone" rev-parse --short HEAD), $(nproc) cores, $(uname -m); bin/negbench $cmd on a fresh clone" >"$log"
    (cd "$clone" && /usr/bin/time -v bin/negbench "$cmd") >>"$log" 2>&1
    git -C "$clone" status --porcelain >"$here/git-status-after-$cmd.txt"
    sed -i "s|$clone|<clone>|g" "$log"
    rm -rf "$clone"
  done
done
