#!/usr/bin/env bash
# TrainingStepBenchmark (DistilBERT-base shape, random weights, batch 32 of 32+256+256 tokens, libtorch's
# default 2 intra-op threads on this 2-core VM) under several process environments, one after the other
# with nothing else running. First sitting (13:02-13:19 UTC): glibc's default malloc (plain.json);
# glibc.malloc.hugetlb=1, transparent huge pages for malloc's large mappings (hugetlb.json); that and
# tools/mkl-amd/mkl-amd.c preloaded, so that MKL takes its AVX-512 kernels on this AMD CPU (both.json).
# Second sitting (13:49-13:59): hugetlb, the shim and malloc never mapping (mmap_max=0, trim threshold
# 64 GiB: what NEGBENCH_MKL_AMD=1 sets; nommap.json), hugetlb and the shim again (both2.json), and
# the no-mapping settings without the shim (nommap-noshim.json). One step takes 20 to 110 s, so each
# iteration is one step: one warmup, two measured. The environments are written as they are with
# today's bin/negbench, which sets glibc.malloc.hugetlb=1 unless NEGBENCH_HUGEPAGES=0 (it did not when
# the first sitting ran; run.log has the environments as they were given). The shim was given as an
# LD_PRELOAD of the one-line source built with `gcc -shared -fPIC -O2` (first sitting: a copy in
# another folder; second: target/libnegbench-mkl-amd.so). Here NEGBENCH_MKL_AMD=1 has bin/negbench
# build and preload that file, and, with NEGBENCH_HUGEPAGES=0 in every environment, add no malloc
# settings of its own: GLIBC_TUNABLES is each time exactly what is written below.
#
# Run from the repository root: results/jmh/training-step-malloc/run.sh
# Writes NAME.json (JMH's result) and NAME.log (Maven's and JMH's output) into
# $NEGBENCH_WORK/envbench (default work/envbench); the committed *.json are those files.
set -uo pipefail
[[ -x bin/negbench ]] || { echo "run from the repository root (bin/negbench not found in $PWD)" >&2; exit 1; }
out="$(mkdir -p "${NEGBENCH_WORK:-work}/envbench" && cd "${NEGBENCH_WORK:-work}/envbench" && pwd)"
run() {
  local name=$1; shift
  echo "== $(date -u +%FT%TZ) $name: $*"
  env "$@" bin/negbench bench -B -o -Djmh.include=TrainingStepBenchmark -Djmh.params='model=distilbert-base' \
    -Djmh.args='-f 1 -wi 1 -i 2 -w 1s -r 1s' -Djmh.resultFile="$out/$name.json" > "$out/$name.log" 2>&1
  grep -E "TrainingStepBenchmark.trainingStep +" "$out/$name.log" | tail -2
}
tun=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=68719476736
run plain NEGBENCH_HUGEPAGES=0
run hugetlb NEGBENCH_HUGEPAGES=0 GLIBC_TUNABLES=glibc.malloc.hugetlb=1
run both NEGBENCH_HUGEPAGES=0 GLIBC_TUNABLES=glibc.malloc.hugetlb=1 NEGBENCH_MKL_AMD=1
run nommap NEGBENCH_HUGEPAGES=0 GLIBC_TUNABLES=glibc.malloc.hugetlb=1:$tun NEGBENCH_MKL_AMD=1
run both2 NEGBENCH_HUGEPAGES=0 GLIBC_TUNABLES=glibc.malloc.hugetlb=1 NEGBENCH_MKL_AMD=1
run nommap-noshim NEGBENCH_HUGEPAGES=0 GLIBC_TUNABLES=glibc.malloc.hugetlb=1:$tun
