package dev.negbench.generate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent events (WHATWG HTML, "event stream interpretation"): lines end with LF, CRLF or a
 * lone CR; {@code data:} lines accumulate (joined by LF) and a blank line dispatches them; comment
 * lines ({@code :}) and other fields are ignored. At the end of the stream a pending event is
 * dispatched too, for servers that close without the final blank line.
 */
final class SseReader {
  private final InputStream in;
  private final byte[] buf = new byte[8192];
  private int pos;
  private int limit;
  private boolean skipLf;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

  SseReader(InputStream in) {
    this.in = in;
  }

  /** The next event's data, or null at the end of the stream. */
  String next() throws IOException {
    StringBuilder data = null;
    String l;
    while ((l = readLine()) != null) {
      if (l.isEmpty()) {
        if (data != null) {
          return data.toString();
        }
        continue;
      }
      if (l.startsWith("data:")) {
        String v = l.substring(5);
        if (v.startsWith(" ")) {
          v = v.substring(1);
        }
        if (data == null) {
          data = new StringBuilder(v);
        } else {
          data.append('\n').append(v);
        }
      }
    }
    return data == null ? null : data.toString();
  }

  private String readLine() throws IOException {
    line.reset();
    while (true) {
      if (pos == limit) {
        limit = in.read(buf);
        pos = 0;
        if (limit <= 0) {
          limit = 0;
          return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
        }
      }
      byte b = buf[pos++];
      if (skipLf) {
        skipLf = false;
        if (b == '\n') {
          continue;
        }
      }
      if (b == '\n') {
        return line.toString(StandardCharsets.UTF_8);
      }
      if (b == '\r') {
        skipLf = true;
        return line.toString(StandardCharsets.UTF_8);
      }
      line.write(b);
    }
  }
}
