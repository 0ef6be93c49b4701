package dev.negbench.generate;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on the loopback that answers every request with one canned response: a status,
 * headers, and a body written in parts, with a pause before each part but the first (chunked, as a
 * streaming server writes). For answers the simulator does not give: exact chunks, stalls, headers.
 */
final class CannedServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  /**
   * @param pauseMs the wait before each body part after the first
   */
  CannedServer(int status, Map<String, String> headers, List<String> parts, long pauseMs)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(executor);
    server.createContext(
        "/",
        ex -> {
          try (ex) {
            ex.getRequestBody().readAllBytes();
            headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            ex.sendResponseHeaders(status, 0);
            OutputStream out = ex.getResponseBody();
            for (int i = 0; i < parts.size(); i++) {
              if (i > 0 && pauseMs > 0) {
                Thread.sleep(pauseMs);
              }
              out.write(parts.get(i).getBytes(StandardCharsets.UTF_8));
              out.flush();
            }
          } catch (IOException | InterruptedException e) {
            // the client gave up (a deadline test): nothing more to write
          }
        });
    server.start();
  }

  /** A streamed answer: each event as one {@code data:} part. */
  static CannedServer sse(List<String> events, long pauseMs) throws IOException {
    return new CannedServer(
        200,
        Map.of("Content-Type", "text/event-stream"),
        events.stream().map(e -> "data: " + e + "\n\n").toList(),
        pauseMs);
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow(); // ends a handler pausing between parts
    executor.close();
  }
}
