"""The exact dense scan's peer: torch.mm + torch.topk on the shape of DenseSearchBenchmark.search
(1,000,000 documents x 384 floats, 100 queries, top 100), on N threads. Prints queries/s of each
of ITERATIONS timed rounds after WARMUP rounds, and their mean.

Usage: python3 torch_peer.py [threads] [docs]   (Debian's python3-torch 1.13 with OpenBLAS)
"""
import sys
import time

import torch

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
docs = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
DIM, QUERIES, K, WARMUP, ITERATIONS = 384, 100, 100, 3, 10

torch.set_num_threads(threads)
g = torch.Generator().manual_seed(7)
corpus = torch.randn(docs, DIM, generator=g)
corpus = corpus / corpus.norm(dim=1, keepdim=True)
queries = torch.randn(QUERIES, DIM, generator=g)
queries = queries / queries.norm(dim=1, keepdim=True)


def search():
    scores = torch.mm(queries, corpus.t())
    return torch.topk(scores, K, dim=1)


for _ in range(WARMUP):
    search()
with open("/proc/self/maps") as maps:
    blas = sorted({line.split()[-1] for line in maps if "blas" in line.lower()})
print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, docs {docs}, dim {DIM}, "
      f"queries {QUERIES}, top {K}; BLAS loaded: {', '.join(blas) or 'none found'}")
rates = []
for i in range(ITERATIONS):
    start = time.perf_counter()
    search()
    rates.append(QUERIES / (time.perf_counter() - start))
    print(f"iteration {i + 1}: {rates[-1]:.1f} queries/s")
print(f"torch.mm + topk: {sum(rates) / len(rates):.1f} queries/s (mean of {ITERATIONS})")
