package dev.negbench.generate;

import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Every endpoint of a generation stayed down for the down timeout: the generation stops. Finished
 * queries are in its cache, so the same command, run again once an endpoint answers, continues from
 * there.
 */
public final class EndpointsDownException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  EndpointsDownException(EndpointPool pool, long downTimeoutMs) {
    this(describe(pool, downTimeoutMs));
  }

  EndpointsDownException(String message) {
    super(message);
  }

  private static String describe(EndpointPool pool, long downTimeoutMs) {
    String each =
        pool.stats().stream()
            .map(
                s ->
                    s.endpoint()
                        + (s.errors().isEmpty()
                            ? ""
                            : " ("
                                + s.errors().entrySet().stream()
                                    .map(e -> e.getKey() + " " + e.getValue())
                                    .collect(Collectors.joining(", "))
                                + ")"))
            .collect(Collectors.joining(", "));
    return String.format(
        Locale.ROOT,
        "every endpoint has been down for %.1f s (--down-timeout): %s",
        downTimeoutMs / 1000.0,
        each);
  }

  /** The same failure with more said about it (what the generation kept, what to do). */
  EndpointsDownException withDetail(String detail) {
    return new EndpointsDownException(getMessage() + "; " + detail);
  }
}
