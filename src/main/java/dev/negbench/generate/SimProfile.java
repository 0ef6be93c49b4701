package dev.negbench.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Set;

/**
 * How the simulator behaves: the timing of a model of some size, faults to inject and server quirks
 * to mimic. Timings: TTFT = {@code ttftMs + ttftPerPromptTokenMs * promptTokens}, and each further
 * token {@code tpotMs}; both grow with load by {@code (1 + loadFactor * (inFlight - 1))} (prefill
 * and decode share the GPU with the other requests in the batch). Faults are drawn per request from
 * the rates, deterministically from {@code seed}, the prompt and how many times that prompt was
 * seen before, so a rerun meets the same faults in the same order.
 */
public record SimProfile(
    String name,
    double paramsBillions,
    double ttftMs,
    double ttftPerPromptTokenMs,
    double tpotMs,
    double ttftLoadFactor,
    double tpotLoadFactor,
    long seed,
    Faults faults,
    Quirks quirks,
    Path timingsLog) {

  /**
   * Fault rates, each the probability that a request meets it: 429 with Retry-After, 500, a slow
   * response ({@code slowFactor} times the timings), a stream cut after half its tokens, a
   * malformed JSON chunk or body, empty content, a passage copied from the prompt's positive.
   */
  public record Faults(
      double rate429,
      long retryAfterMs,
      double rate500,
      double rateSlow,
      double slowFactor,
      double rateCut,
      double rateMalformed,
      double rateEmpty,
      double rateCopy) {
    public static Faults none() {
      return new Faults(0, 1000, 0, 0, 1, 0, 0, 0, 0);
    }

    public double total() {
      return rate429 + rate500 + rateSlow + rateCut + rateMalformed + rateEmpty + rateCopy;
    }
  }

  /** Server differences to mimic: no {@code usage}, no {@code data: [DONE]}, CRLF line ends. */
  public record Quirks(boolean omitUsage, boolean noDone, boolean crlf) {
    public static Quirks none() {
      return new Quirks(false, false, false);
    }
  }

  /** A fault-free, zero-think-time profile: the simulator as fast as it can answer. */
  public static SimProfile instant() {
    return new SimProfile("instant", 0, 0, 0, 0, 0, 0, 1, Faults.none(), Quirks.none(), null);
  }

  public SimProfile withFaults(Faults f) {
    return new SimProfile(
        name,
        paramsBillions,
        ttftMs,
        ttftPerPromptTokenMs,
        tpotMs,
        ttftLoadFactor,
        tpotLoadFactor,
        seed,
        f,
        quirks,
        timingsLog);
  }

  public SimProfile withQuirks(Quirks q) {
    return new SimProfile(
        name,
        paramsBillions,
        ttftMs,
        ttftPerPromptTokenMs,
        tpotMs,
        ttftLoadFactor,
        tpotLoadFactor,
        seed,
        faults,
        q,
        timingsLog);
  }

  public SimProfile withTimingsLog(Path log) {
    return new SimProfile(
        name,
        paramsBillions,
        ttftMs,
        ttftPerPromptTokenMs,
        tpotMs,
        ttftLoadFactor,
        tpotLoadFactor,
        seed,
        faults,
        quirks,
        log);
  }

  /**
   * Another seed: replicas of one profile that should not meet the same faults on the same prompts.
   */
  public SimProfile withSeed(long s) {
    return new SimProfile(
        name,
        paramsBillions,
        ttftMs,
        ttftPerPromptTokenMs,
        tpotMs,
        ttftLoadFactor,
        tpotLoadFactor,
        s,
        faults,
        quirks,
        timingsLog);
  }

  public SimProfile withTimings(double ttft, double tpot) {
    return new SimProfile(
        name,
        paramsBillions,
        ttft,
        ttftPerPromptTokenMs,
        tpot,
        ttftLoadFactor,
        tpotLoadFactor,
        seed,
        faults,
        quirks,
        timingsLog);
  }

  private static final Set<String> FIELDS =
      Set.of(
          "name",
          "params_b",
          "ttft_ms",
          "ttft_per_prompt_token_ms",
          "tpot_ms",
          "ttft_load_factor",
          "tpot_load_factor",
          "seed",
          "faults",
          "quirks",
          "timings_log",
          "description");
  private static final Set<String> FAULT_FIELDS =
      Set.of(
          "rate_429",
          "retry_after_ms",
          "rate_500",
          "rate_slow",
          "slow_factor",
          "rate_cut",
          "rate_malformed",
          "rate_empty",
          "rate_copy");
  private static final Set<String> QUIRK_FIELDS = Set.of("omit_usage", "no_done", "crlf");

  /** Reads a simulator profile; errors name the file and the field. */
  public static SimProfile load(Path file) {
    JsonFields f = new JsonFields(file);
    ObjectNode root = f.readObject();
    f.onlyKnown(root, "", FIELDS);
    JsonNode fa = f.object(root, "", "faults");
    f.onlyKnown(fa, "faults.", FAULT_FIELDS);
    Faults faults =
        new Faults(
            f.number(fa, "faults.", "rate_429", 0.0, 0, 1),
            f.integer(fa, "faults.", "retry_after_ms", 1000, 0, 3_600_000),
            f.number(fa, "faults.", "rate_500", 0.0, 0, 1),
            f.number(fa, "faults.", "rate_slow", 0.0, 0, 1),
            f.number(fa, "faults.", "slow_factor", 5.0, 1, 1000),
            f.number(fa, "faults.", "rate_cut", 0.0, 0, 1),
            f.number(fa, "faults.", "rate_malformed", 0.0, 0, 1),
            f.number(fa, "faults.", "rate_empty", 0.0, 0, 1),
            f.number(fa, "faults.", "rate_copy", 0.0, 0, 1));
    if (faults.total() > 1 + 1e-9) {
      throw f.error("faults", "the rates add up to " + faults.total() + "; expected at most 1");
    }
    JsonNode q = f.object(root, "", "quirks");
    f.onlyKnown(q, "quirks.", QUIRK_FIELDS);
    Quirks quirks =
        new Quirks(
            f.bool(q, "quirks.", "omit_usage", false),
            f.bool(q, "quirks.", "no_done", false),
            f.bool(q, "quirks.", "crlf", false));
    String fallback = file.getFileName().toString().replaceFirst("\\.json$", "");
    return new SimProfile(
        f.string(root, "", "name", fallback),
        f.number(root, "", "params_b", 0.0, 0, 100_000),
        f.number(root, "", "ttft_ms", 0.0, 0, 600_000),
        f.number(root, "", "ttft_per_prompt_token_ms", 0.0, 0, 1000),
        f.number(root, "", "tpot_ms", 0.0, 0, 60_000),
        f.number(root, "", "ttft_load_factor", 0.0, 0, 100),
        f.number(root, "", "tpot_load_factor", 0.0, 0, 100),
        f.integer(root, "", "seed", 1L, Long.MIN_VALUE, Long.MAX_VALUE),
        faults,
        quirks,
        f.path(root, "", "timings_log"));
  }
}
