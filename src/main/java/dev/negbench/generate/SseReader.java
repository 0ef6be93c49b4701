package dev.negbench.generate;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Server-sent events (WHATWG HTML, "event stream interpretation"), decoded as bytes arrive: lines
 * end with LF, CRLF or a lone CR; {@code data:} lines accumulate (joined by LF) and a blank line
 * dispatches them; comment lines ({@code :}) and other fields are ignored. {@link #finish}
 * dispatches a pending event too, for servers that close without the final blank line.
 */
final class SseReader {
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private StringBuilder data;
  private boolean skipLf;

  /** Feeds bytes; calls {@code onEvent} with each complete event's data. */
  void feed(ByteBuffer buf, Consumer<String> onEvent) {
    while (buf.hasRemaining()) {
      byte b = buf.get();
      if (skipLf) {
        skipLf = false;
        if (b == '\n') {
          continue;
        }
      }
      if (b == '\n' || b == '\r') {
        skipLf = b == '\r';
        endLine(onEvent);
      } else {
        line.write(b);
      }
    }
  }

  /** The end of the stream: a last unterminated line and a pending event are dispatched. */
  void finish(Consumer<String> onEvent) {
    if (line.size() > 0) {
      endLine(onEvent);
    }
    if (data != null) {
      String d = data.toString();
      data = null;
      onEvent.accept(d);
    }
  }

  private void endLine(Consumer<String> onEvent) {
    String l = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (l.isEmpty()) {
      if (data != null) {
        String d = data.toString();
        data = null;
        onEvent.accept(d);
      }
      return;
    }
    if (l.startsWith("data:")) {
      String v = l.startsWith("data: ") ? l.substring(6) : l.substring(5);
      if (data == null) {
        data = new StringBuilder(v);
      } else {
        data.append('\n').append(v);
      }
    }
  }
}
