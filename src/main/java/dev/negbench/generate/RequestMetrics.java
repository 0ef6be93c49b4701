package dev.negbench.generate;

import java.util.List;

/**
 * What the client measured on one HTTP request (one attempt), in milliseconds from just before the
 * request was sent. Definitions follow vLLM's {@code benchmark_serving}: TTFT is the time to the
 * first streamed output token; TPOT is {@code (e2e - ttft) / (completionTokens - 1)}; ITLs are the
 * gaps between successive streamed chunks that carry output. Non-streaming requests have TTFT =
 * E2E and no TPOT. Token counts come from {@code usage}, else from the profile's tokenizer, else
 * from counting streamed chunks ({@code tokenSource} says which); -1 when unknown.
 */
public record RequestMetrics(
    String requestId,
    String endpoint,
    String status,
    int httpStatus,
    double ttftMs,
    double tpotMs,
    List<Double> itlMs,
    double e2eMs,
    long promptTokens,
    long completionTokens,
    String tokenSource,
    double startedAtMs) {

  /** Attempt statuses: {@code ok} or why it failed. */
  public static final String OK = "ok";

  public boolean ok() {
    return OK.equals(status);
  }
}
