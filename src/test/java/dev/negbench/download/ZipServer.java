package dev.negbench.download;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server on the loopback serving zips in BEIR's path layout ({@code
 * /datasets/NAME.zip}) as BEIR's host does: 200 with the whole file, or 206 to {@code Range:
 * bytes=N-}. It counts the body bytes it sent and records each request's Range header; it can cut
 * its next answer after some bytes (closing the connection) or ignore ranges.
 */
public final class ZipServer implements AutoCloseable {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");
  private static final String ETAG = "\"fixture-1\"";

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final AtomicLong bytesSent = new AtomicLong();
  private final List<String> ranges = new CopyOnWriteArrayList<>();
  private volatile long cutAfter = -1;
  private volatile boolean ignoreRanges;

  public ZipServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(executor);
    server.createContext("/", this::answer);
    server.start();
  }

  /** Serves {@code bytes} at {@code /datasets/NAME}. */
  public ZipServer serve(String name, byte[] bytes) {
    files.put("/datasets/" + name, bytes);
    return this;
  }

  /** The base URL a {@code --mirror} names. */
  public URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/datasets/");
  }

  /** The next answer stops after {@code bytes} body bytes and the connection is closed. */
  public void cutNextAfter(long bytes) {
    cutAfter = bytes;
  }

  /** Answer every request with the whole file (200), as a server without range support. */
  public void ignoreRanges(boolean ignore) {
    ignoreRanges = ignore;
  }

  public long bytesSent() {
    return bytesSent.get();
  }

  /** The Range header of every request so far ("" where none). */
  public List<String> ranges() {
    return List.copyOf(ranges);
  }

  private void answer(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] file = files.get(ex.getRequestURI().getPath());
      String range = ex.getRequestHeaders().getFirst("Range");
      ranges.add(range == null ? "" : range);
      if (file == null) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      ex.getResponseHeaders().set("ETag", ETAG);
      ex.getResponseHeaders().set("Accept-Ranges", "bytes");
      int from = 0;
      Matcher m = range == null ? null : RANGE.matcher(range);
      String ifRange = ex.getRequestHeaders().getFirst("If-Range");
      if (m != null && m.matches() && !ignoreRanges && (ifRange == null || ifRange.equals(ETAG))) {
        from = Integer.parseInt(m.group(1));
        if (from >= file.length) {
          ex.getResponseHeaders().set("Content-Range", "bytes */" + file.length);
          ex.sendResponseHeaders(416, -1);
          return;
        }
        ex.getResponseHeaders()
            .set("Content-Range", "bytes " + from + "-" + (file.length - 1) + "/" + file.length);
        ex.sendResponseHeaders(206, file.length - from);
      } else {
        ex.sendResponseHeaders(200, file.length);
      }
      long cut = cutAfter;
      cutAfter = -1;
      int to = cut >= 0 ? (int) Math.min(file.length, from + cut) : file.length;
      OutputStream out = ex.getResponseBody();
      out.write(file, from, to - from);
      out.flush();
      bytesSent.addAndGet(to - from);
      // Fewer bytes than Content-Length: closing the exchange then closes the connection, and the
      // client sees the body end early.
    } catch (IOException e) {
      if (!e.getMessage().contains("insufficient bytes")) {
        throw e;
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.close();
  }
}
