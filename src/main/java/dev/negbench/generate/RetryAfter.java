package dev.negbench.generate;

import java.net.http.HttpHeaders;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * How long a server asks a client to wait before it retries: OpenAI's {@code retry-after-ms} when
 * present, else {@code Retry-After} in seconds or as an HTTP date (RFC 9110, section 10.2.3).
 */
final class RetryAfter {
  private RetryAfter() {}

  /** The wait in milliseconds (never negative); -1 when absent or unreadable. */
  static long millis(HttpHeaders headers) {
    var ms = headers.firstValue("retry-after-ms");
    try {
      if (ms.isPresent()) {
        return Math.max(0, (long) Double.parseDouble(ms.get().strip()));
      }
      var s = headers.firstValue("retry-after");
      if (s.isEmpty()) {
        return -1;
      }
      String v = s.get().strip();
      if (v.chars().allMatch(Character::isDigit) && !v.isEmpty()) {
        return Long.parseLong(v) * 1000;
      }
      var when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
      return Math.max(0, when.toInstant().toEpochMilli() - System.currentTimeMillis());
    } catch (RuntimeException e) {
      return -1; // an unreadable header: fall back to our own backoff
    }
  }
}
