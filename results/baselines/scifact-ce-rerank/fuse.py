#!/usr/bin/env python3
"""Diagnostic only (issue 14): the reranked run's cross-encoder scores fused with the BM25 run's
scores of the same 100 hits per query, each min-max normalised per query, weight ALPHA on the
cross-encoder; written as TREC runs fused-ALPHA.run for `negbench evaluate`. Measured on the test
split with untuned weights, so not a claimed result: it asks whether the cross-encoder's signal
adds to BM25's.

Run from the repository root after run.sh (W: its run folder, ${NEGBENCH_WORK:-work}/ce-run2):
  python3 results/baselines/scifact-ce-rerank/fuse.py "$W/bm25-test.run" "$W/ce-test.run" "$W"
  bin/negbench evaluate --qrels ../shared/data/scifact/qrels/test.tsv --run "$W/fused-0.3.run"
and likewise for 0.5 and 0.7 (fused-ALPHA.eval holds each evaluate's output). The third argument,
the folder to write into, defaults to the current one."""
import os
import sys
from collections import defaultdict


def read(path):
    runs = defaultdict(dict)
    for line in open(path):
        q, _, doc, _, score, _ = line.split()
        runs[q][doc] = float(score)
    return runs


bm25, ce = read(sys.argv[1]), read(sys.argv[2])
out_dir = sys.argv[3] if len(sys.argv) > 3 else "."
for alpha in (0.3, 0.5, 0.7):
    with open(os.path.join(out_dir, f"fused-{alpha}.run"), "w") as out:
        for q, hits in ce.items():
            b = [bm25[q][d] for d in hits]
            c = list(hits.values())
            def norm(x, xs):
                return (x - min(xs)) / (max(xs) - min(xs) + 1e-9)
            fused = sorted(((alpha * norm(hits[d], c) + (1 - alpha) * norm(bm25[q][d], b), d) for d in hits), reverse=True)
            for rank, (score, d) in enumerate(fused, 1):
                out.write(f"{q} Q0 {d} {rank} {score:.6f} fused-{alpha}\n")
