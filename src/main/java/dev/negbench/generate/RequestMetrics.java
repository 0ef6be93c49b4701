package dev.negbench.generate;

import java.util.List;

/**
 * What the client measured on one HTTP request (one attempt), in milliseconds. E2E runs from just
 * before the request was handed to the HTTP client to the end of the answer, as in vLLM's {@code
 * benchmark_serving}. TTFT runs from the moment the HTTP client took the request body to write it
 * (connection ready, headers out) to the first streamed output token: it leaves out {@code sendMs},
 * the client library's own time before the request left (pooled connection, header writing, thread
 * hand-offs: about 1.5 ms at the median on a busy 2-core machine), which is client overhead, not
 * server latency; vLLM's TTFT is {@code sendMs + ttftMs}. TPOT is the time from the first to the
 * last token over {@code completionTokens - 1}; ITLs are the gaps between successive streamed
 * chunks that carry output. Non-streaming requests have TTFT = time to the whole answer and no
 * TPOT. Token counts come from {@code usage}, else from the profile's tokenizer, else from counting
 * streamed chunks ({@code tokenSource} says which); -1 when unknown.
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
    double sendMs,
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
