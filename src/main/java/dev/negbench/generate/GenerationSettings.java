package dev.negbench.generate;

import dev.negbench.io.EnumNames;
import java.nio.file.Path;

/**
 * How a generation sends its requests.
 *
 * @param concurrency most requests in flight at once
 * @param requestRate mean requests per second (Poisson arrivals); infinity sends as fast as the
 *     concurrency limit allows
 * @param burstiness shape of the gamma-distributed gaps (1 = Poisson), as vLLM's benchmark
 * @param limit most queries to generate for, in qrels order (0 = all)
 * @param maxPairs most (query, positive) pairs to generate for, so requests before retries, the
 *     first in qrels order (0 = all); applied after {@code limit}
 * @param numNegatives passages per query, or 0 for the profile's
 * @param seed seed of the arrival times and retry jitter
 * @param backoffBaseMs first retry's backoff ceiling; doubles each attempt (full jitter)
 * @param backoffCapMs largest backoff ceiling
 * @param retryFailed whether a rerun tries again the queries an earlier generation recorded as
 *     failed
 * @param ttftSloMs TTFT limit of goodput
 * @param tpotSloMs TPOT limit of goodput
 * @param cacheFile the append-only cache, or null for {@code OUT.cache.jsonl}
 * @param syncEveryMs how often the cache is forced to disk
 * @param positives which positives of a query get negatives: each (query, positive) pair, or the
 *     query's first positive only
 * @param health when a replica counts as down, how it is probed, how long a generation waits when
 *     all are
 */
public record GenerationSettings(
    int concurrency,
    double requestRate,
    double burstiness,
    int limit,
    int maxPairs,
    int numNegatives,
    long seed,
    long backoffBaseMs,
    long backoffCapMs,
    boolean retryFailed,
    double ttftSloMs,
    double tpotSloMs,
    Path cacheFile,
    long syncEveryMs,
    Positives positives,
    Health health) {

  /** Which of a query's positives a generation asks negatives for. */
  public enum Positives {
    /**
     * One request per (query, positive) pair, as the paper makes one negative per pair (arXiv
     * 2504.21015).
     */
    ALL,
    /**
     * One request per query, with its first positive in qrels order: what negbench did before
     * {@code ALL}.
     */
    FIRST;

    /** {@code all} or {@code first}, in any case: how options and configs name it. */
    public static Positives parse(String text) {
      return EnumNames.parse(Positives.class, "positives", text);
    }

    /** The lower-case name {@link #parse} reads back. */
    public String label() {
      return EnumNames.label(this);
    }
  }

  /**
   * Replica health, a circuit breaker per endpoint ({@link EndpointPool}).
   *
   * @param markDownAfter consecutive failed requests (connection reset, timeout, 5xx) that mark a
   *     replica down; a refused connection marks it down at once
   * @param probeBaseMs wait before the first {@code GET /v1/models} probe of a down replica;
   *     doubles after each failed probe
   * @param probeCapMs longest wait between probes
   * @param downTimeoutMs how long requests wait while every replica is down before the generation
   *     ends
   */
  public record Health(int markDownAfter, long probeBaseMs, long probeCapMs, long downTimeoutMs) {
    public Health {
      if (markDownAfter < 1) {
        throw new IllegalArgumentException(
            "--mark-down-after must be at least 1, was " + markDownAfter);
      }
      if (probeBaseMs < 1 || probeCapMs < probeBaseMs) {
        throw new IllegalArgumentException(
            "probe backoff: expected 1 <= base <= cap, was " + probeBaseMs + " and " + probeCapMs);
      }
      if (downTimeoutMs < 0) {
        throw new IllegalArgumentException(
            "--down-timeout must not be negative, was " + downTimeoutMs / 1000.0 + " s");
      }
    }

    /**
     * Down after 5 consecutive failures (Envoy's outlier detection ejects a host after 5
     * consecutive 5xx by default); probes after 1 s, doubling to 30 s; a generation waits 5 minutes
     * with every replica down, about what a vLLM replica takes to restart and load an 8-14B model.
     */
    public static Health defaults() {
      return new Health(5, 1000, 30_000, 300_000);
    }
  }

  public GenerationSettings {
    if (positives == null) {
      throw new IllegalArgumentException("positives: expected all or first");
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("--concurrency must be at least 1, was " + concurrency);
    }
    if (maxPairs < 0) {
      throw new IllegalArgumentException(
          "max_requests must be 0 (all) or positive, was " + maxPairs);
    }
    if (limit < 0) {
      throw new IllegalArgumentException("--limit must be 0 (all) or positive, was " + limit);
    }
    if (numNegatives < 0) {
      throw new IllegalArgumentException("--num-negatives must be positive, was " + numNegatives);
    }
    if (backoffBaseMs < 0 || backoffCapMs < backoffBaseMs) {
      throw new IllegalArgumentException(
          "backoff: expected 0 <= base <= cap, was " + backoffBaseMs + " and " + backoffCapMs);
    }
    new Arrivals(requestRate, burstiness, seed); // validates rate and burstiness
    if (health == null) {
      throw new IllegalArgumentException("health settings are required");
    }
  }

  /**
   * 16 in flight (a single vLLM replica's useful batch for 8B models at 1K output tokens), no rate
   * limit, Poisson, all queries, backoff 0.5 s doubling to 30 s, goodput limits (TTFT 2,000 ms,
   * TPOT 100 ms), cache synced every second, {@link Health#defaults()}, every positive of a query.
   */
  public static GenerationSettings defaults() {
    return new GenerationSettings(
        16,
        Double.POSITIVE_INFINITY,
        1.0,
        0,
        0,
        0,
        0,
        500,
        30_000,
        false,
        2000,
        100,
        null,
        1000,
        Positives.ALL,
        Health.defaults());
  }

  public GenerationSettings withConcurrency(int c) {
    return new GenerationSettings(
        c,
        requestRate,
        burstiness,
        limit,
        maxPairs,
        numNegatives,
        seed,
        backoffBaseMs,
        backoffCapMs,
        retryFailed,
        ttftSloMs,
        tpotSloMs,
        cacheFile,
        syncEveryMs,
        positives,
        health);
  }

  public GenerationSettings withLimit(int n) {
    return new GenerationSettings(
        concurrency,
        requestRate,
        burstiness,
        n,
        maxPairs,
        numNegatives,
        seed,
        backoffBaseMs,
        backoffCapMs,
        retryFailed,
        ttftSloMs,
        tpotSloMs,
        cacheFile,
        syncEveryMs,
        positives,
        health);
  }

  /** A copy that generates for at most {@code n} (query, positive) pairs (0: all). */
  public GenerationSettings withMaxPairs(int n) {
    return new GenerationSettings(
        concurrency,
        requestRate,
        burstiness,
        limit,
        n,
        numNegatives,
        seed,
        backoffBaseMs,
        backoffCapMs,
        retryFailed,
        ttftSloMs,
        tpotSloMs,
        cacheFile,
        syncEveryMs,
        positives,
        health);
  }

  public GenerationSettings withRate(double rate, double burst) {
    return new GenerationSettings(
        concurrency,
        rate,
        burst,
        limit,
        maxPairs,
        numNegatives,
        seed,
        backoffBaseMs,
        backoffCapMs,
        retryFailed,
        ttftSloMs,
        tpotSloMs,
        cacheFile,
        syncEveryMs,
        positives,
        health);
  }

  public GenerationSettings withBackoff(long baseMs, long capMs) {
    return new GenerationSettings(
        concurrency,
        requestRate,
        burstiness,
        limit,
        maxPairs,
        numNegatives,
        seed,
        baseMs,
        capMs,
        retryFailed,
        ttftSloMs,
        tpotSloMs,
        cacheFile,
        syncEveryMs,
        positives,
        health);
  }

  public GenerationSettings withNumNegatives(int n) {
    return new GenerationSettings(
        concurrency,
        requestRate,
        burstiness,
        limit,
        maxPairs,
        n,
        seed,
        backoffBaseMs,
        backoffCapMs,
        retryFailed,
        ttftSloMs,
        tpotSloMs,
        cacheFile,
        syncEveryMs,
        positives,
        health);
  }

  public GenerationSettings withSeed(long s) {
    return new GenerationSettings(
        concurrency,
        requestRate,
        burstiness,
        limit,
        maxPairs,
        numNegatives,
        s,
        backoffBaseMs,
        backoffCapMs,
        retryFailed,
        ttftSloMs,
        tpotSloMs,
        cacheFile,
        syncEveryMs,
        positives,
        health);
  }

  public GenerationSettings withCacheFile(Path file) {
    return new GenerationSettings(
        concurrency,
        requestRate,
        burstiness,
        limit,
        maxPairs,
        numNegatives,
        seed,
        backoffBaseMs,
        backoffCapMs,
        retryFailed,
        ttftSloMs,
        tpotSloMs,
        file,
        syncEveryMs,
        positives,
        health);
  }

  public GenerationSettings withPositives(Positives p) {
    return new GenerationSettings(
        concurrency,
        requestRate,
        burstiness,
        limit,
        maxPairs,
        numNegatives,
        seed,
        backoffBaseMs,
        backoffCapMs,
        retryFailed,
        ttftSloMs,
        tpotSloMs,
        cacheFile,
        syncEveryMs,
        p,
        health);
  }

  public GenerationSettings withHealth(Health h) {
    return new GenerationSettings(
        concurrency,
        requestRate,
        burstiness,
        limit,
        maxPairs,
        numNegatives,
        seed,
        backoffBaseMs,
        backoffCapMs,
        retryFailed,
        ttftSloMs,
        tpotSloMs,
        cacheFile,
        syncEveryMs,
        positives,
        h);
  }
}
