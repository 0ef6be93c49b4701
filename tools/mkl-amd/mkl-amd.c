/*
 * Intel MKL, which libtorch (and so DJL's PyTorch engine) links statically, picks its AVX2 and
 * AVX-512 kernels only after asking mkl_serv_intel_cpu_true() whether the processor is Intel's; on
 * AMD it answers no and MKL falls back to slower code. Preloaded (LD_PRELOAD), this definition
 * answers yes; MKL still checks the instruction sets the processor has. bin/negbench builds and
 * preloads it when NEGBENCH_MKL_AMD=1 (docs/results/cpu-tuning.md).
 */
int mkl_serv_intel_cpu_true(void) { return 1; }
