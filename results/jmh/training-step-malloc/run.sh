#!/usr/bin/env bash
# TrainingStepBenchmark (DistilBERT-base shape, random weights, batch 32 of 32+256+256 tokens, libtorch's
# default 2 intra-op threads on this 2-core VM) under three process environments, one after the other
# with nothing else running: glibc's default malloc (plain.json); glibc.malloc.hugetlb=1, transparent
# huge pages for malloc's large mappings (hugetlb.json); that and tools/mkl-amd/mkl-amd.c preloaded, so
# that MKL takes its AVX-512 kernels on this AMD CPU (both.json). The shim was built with
# `gcc -shared -fPIC -O2 -o libmklshim.so` from the same one-line source. One step takes 30 to 110 s,
# so each iteration is one step: one warmup, two measured. (When this ran, bin/negbench did not set
# glibc.malloc.hugetlb=1 yet and plain was run with X=1; it sets it now, so plain turns it off.)
set -uo pipefail
cd /work/main
shim=/work/ce-run3/libmklshim.so
run() {
  local name=$1; shift
  echo "== $(date -u +%FT%TZ) $name: $*"
  env "$@" bin/negbench bench -B -o -Djmh.include=TrainingStepBenchmark -Djmh.params='model=distilbert-base' \
    -Djmh.args='-f 1 -wi 1 -i 2 -w 1s -r 1s' -Djmh.resultFile=/work/envbench/$name.json > /work/envbench/$name.log 2>&1
  grep -E "TrainingStepBenchmark.trainingStep +" /work/envbench/$name.log | tail -2
}
run plain NEGBENCH_HUGEPAGES=0
run hugetlb GLIBC_TUNABLES=glibc.malloc.hugetlb=1
run both GLIBC_TUNABLES=glibc.malloc.hugetlb=1 LD_PRELOAD=$shim
