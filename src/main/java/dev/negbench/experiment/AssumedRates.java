package dev.negbench.experiment;

/**
 * The throughputs {@link CostEstimator} assumes where nothing measured one, each stated with where
 * it comes from; every one is marked assumed in the estimate.
 */
final class AssumedRates {
  /** Lucene indexing of short BEIR documents, one thread. */
  static final double INDEX_DOCS_PER_S = 5_000;

  /** MiniLM-sized encoder at 256 tokens on 2 cores. */
  static final double ENCODE_TEXTS_PER_S_CPU = 15;

  /** An H100 over 2 CPU cores for encoder inference and training. */
  static final double GPU_SPEEDUP = 50;

  /** MiniLM-sized MNRL training at 256 tokens on 2 cores. */
  static final double TRIPLES_PER_S_CPU = 2;

  /** Cross-encoder scoring, MiniLM-sized, 512 tokens. */
  static final double PAIRS_PER_S_CPU = 100;

  /**
   * train-ce of all-MiniLM-L6-v2 at 256 tokens on 2 cores: 7.6 pairs/s measured with
   * glibc.malloc.hugetlb=1 and NEGBENCH_MKL_AMD=1
   * (results/baselines/scifact-ce-rerank/third-recipe), 1.9 with neither.
   */
  static final double CE_TRAIN_PAIRS_PER_S_CPU = 7.6;

  /** One hard negative passage per request. */
  static final double COMPLETION_TOKENS = 150;

  /**
   * The default prompt's 157 words and a 56-word passage (MS MARCO's mean, BEIR's Table 1), at
   * about 1.3 tokens a word.
   */
  static final double PROMPT_TOKENS = 280;

  /** vLLM decode throughput of an 8B-14B model per GPU at high concurrency. */
  static final double TOKENS_PER_S_GPU = 2_500;

  /** BM25 queries per second when no mining kernel was measured. */
  static final double BM25_QUERIES_PER_S = 1_000;

  private AssumedRates() {}

  /** Documents per second building a BM25 index on {@code threads} threads. */
  static Throughput index(int threads) {
    return new Throughput(
        INDEX_DOCS_PER_S * threads,
        false,
        "Lucene indexing, " + (long) INDEX_DOCS_PER_S + " documents/s a thread");
  }

  /** Texts per second encoding a corpus with the base model or, slower, a checkpoint. */
  static Throughput encode(boolean checkpoint, String device) {
    double cpu = ENCODE_TEXTS_PER_S_CPU * (checkpoint ? 0.6 : 1);
    return device.equals("cpu")
        ? new Throughput(cpu, false, (long) cpu + " texts/s on 2 cores")
        : new Throughput(
            cpu * GPU_SPEEDUP,
            false,
            (long) (cpu * GPU_SPEEDUP) + " texts/s on a GPU (" + (long) GPU_SPEEDUP + "x 2 cores)");
  }

  /**
   * Pairs per second training a cross-encoder: always an assumption (no result records a train-ce
   * run's time).
   */
  static Throughput ceTraining(String device) {
    double cpu = CE_TRAIN_PAIRS_PER_S_CPU;
    return device.equals("cpu")
        ? new Throughput(
            cpu,
            false,
            cpu + " pairs/s on 2 cores (train-ce, MiniLM, 256 tokens, docs/results/cpu-tuning.md)")
        : new Throughput(cpu * GPU_SPEEDUP, false, cpu * GPU_SPEEDUP + " pairs/s on a GPU");
  }

  /** Training triples per second. */
  static Throughput training(String device) {
    return device.equals("cpu")
        ? new Throughput(TRIPLES_PER_S_CPU, false, TRIPLES_PER_S_CPU + " triples/s on 2 cores")
        : new Throughput(
            TRIPLES_PER_S_CPU * GPU_SPEEDUP,
            false,
            TRIPLES_PER_S_CPU * GPU_SPEEDUP + " triples/s on a GPU");
  }

  /** BM25 queries per second mining. */
  static Throughput bm25() {
    return new Throughput(BM25_QUERIES_PER_S, false, "1,000 queries/s");
  }

  /** Cross-encoder pairs per second scoring. */
  static Throughput pairs(String device) {
    double r = device.equals("cpu") ? PAIRS_PER_S_CPU : PAIRS_PER_S_CPU * GPU_SPEEDUP;
    return new Throughput(r, false, (long) r + " pairs/s");
  }

  /** Completion tokens per second generating. */
  static Throughput generation() {
    return new Throughput(
        TOKENS_PER_S_GPU, false, (long) TOKENS_PER_S_GPU + " completion tokens/s a GPU (vLLM)");
  }
}
