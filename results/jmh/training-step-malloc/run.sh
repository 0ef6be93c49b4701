#!/usr/bin/env bash
# TrainingStepBenchmark (DistilBERT-base shape, random weights, batch 32 of 32+256+256 tokens, libtorch's
# default 2 intra-op threads on this 2-core VM) under several process environments, one after the other
# with nothing else running. First sitting (13:02-13:19 UTC): glibc's default malloc (plain.json);
# glibc.malloc.hugetlb=1, transparent huge pages for malloc's large mappings (hugetlb.json); that and
# tools/mkl-amd/mkl-amd.c preloaded, so that MKL takes its AVX-512 kernels on this AMD CPU (both.json).
# Second sitting (13:49-13:59): hugetlb, the shim and malloc never mapping (mmap_max=0, trim threshold
# 64 GiB: what NEGBENCH_MKL_AMD=1 sets; nommap.json), hugetlb and the shim again (both2.json), and
# the no-mapping settings without the shim (nommap-noshim.json). The shim was built with
# `gcc -shared -fPIC -O2` from the same one-line source. One step takes 20 to 110 s, so each iteration
# is one step: one warmup, two measured. The environments are written as they are with today's
# bin/negbench, which sets glibc.malloc.hugetlb=1 unless NEGBENCH_HUGEPAGES=0 (it did not when the
# first sitting ran; run.log has the environments as they were given).
set -uo pipefail
cd /work/main
shim=/work/main/target/libnegbench-mkl-amd.so  # NEGBENCH_MKL_AMD=1 bin/negbench --version builds it
run() {
  local name=$1; shift
  echo "== $(date -u +%FT%TZ) $name: $*"
  env "$@" bin/negbench bench -B -o -Djmh.include=TrainingStepBenchmark -Djmh.params='model=distilbert-base' \
    -Djmh.args='-f 1 -wi 1 -i 2 -w 1s -r 1s' -Djmh.resultFile=/work/envbench/$name.json > /work/envbench/$name.log 2>&1
  grep -E "TrainingStepBenchmark.trainingStep +" /work/envbench/$name.log | tail -2
}
tun=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=68719476736
run plain NEGBENCH_HUGEPAGES=0
run hugetlb NEGBENCH_HUGEPAGES=0 GLIBC_TUNABLES=glibc.malloc.hugetlb=1
run both NEGBENCH_HUGEPAGES=0 GLIBC_TUNABLES=glibc.malloc.hugetlb=1 LD_PRELOAD=$shim
run nommap NEGBENCH_HUGEPAGES=0 GLIBC_TUNABLES=glibc.malloc.hugetlb=1:$tun LD_PRELOAD=$shim
run both2 NEGBENCH_HUGEPAGES=0 GLIBC_TUNABLES=glibc.malloc.hugetlb=1 LD_PRELOAD=$shim
run nommap-noshim NEGBENCH_HUGEPAGES=0 GLIBC_TUNABLES=glibc.malloc.hugetlb=1:$tun
