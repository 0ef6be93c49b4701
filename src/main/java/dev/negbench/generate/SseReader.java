package dev.negbench.generate;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Server-sent events (WHATWG HTML, "event stream interpretation"), decoded as bytes arrive: lines
 * end with LF, CRLF or a lone CR; {@code data:} lines accumulate (joined by LF) and a blank line
 * dispatches them; comment lines ({@code :}) and other fields are ignored. {@link #finish}
 * dispatches a pending event too, for servers that close without the final blank line.
 */
final class SseReader {
  private byte[] line = new byte[512];
  private int length;
  private StringBuilder data;
  private boolean skipLf;

  /** Feeds bytes; calls {@code onEvent} with each complete event's data. */
  void feed(ByteBuffer buf, Consumer<String> onEvent) {
    while (buf.hasRemaining()) {
      if (skipLf) {
        skipLf = false;
        if (buf.get(buf.position()) == '\n') {
          buf.get();
          continue;
        }
      }
      // Copy up to the next line end in one go: a streamed token is one short line.
      int start = buf.position();
      int limit = buf.limit();
      int end = start;
      while (end < limit) {
        byte b = buf.get(end);
        if (b == '\n' || b == '\r') {
          break;
        }
        end++;
      }
      int n = end - start;
      if (length + n > line.length) {
        line = Arrays.copyOf(line, Math.max(line.length * 2, length + n));
      }
      buf.get(line, length, n);
      length += n;
      if (buf.hasRemaining()) {
        skipLf = buf.get() == '\r';
        endLine(onEvent);
      }
    }
  }

  /** The end of the stream: a last unterminated line and a pending event are dispatched. */
  void finish(Consumer<String> onEvent) {
    if (length > 0) {
      endLine(onEvent);
    }
    if (data != null) {
      String d = data.toString();
      data = null;
      onEvent.accept(d);
    }
  }

  private void endLine(Consumer<String> onEvent) {
    int n = length;
    length = 0;
    if (n == 0) {
      if (data != null) {
        String d = data.toString();
        data = null;
        onEvent.accept(d);
      }
      return;
    }
    if (n >= 5
        && line[0] == 'd'
        && line[1] == 'a'
        && line[2] == 't'
        && line[3] == 'a'
        && line[4] == ':') {
      int from = n > 5 && line[5] == ' ' ? 6 : 5;
      String v = new String(line, from, n - from, StandardCharsets.UTF_8);
      if (data == null) {
        data = new StringBuilder(v);
      } else {
        data.append('\n').append(v);
      }
    }
  }
}
