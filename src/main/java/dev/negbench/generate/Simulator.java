package dev.negbench.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.negbench.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local OpenAI-compatible server ({@code POST /v1/chat/completions}, streaming and not; {@code
 * GET /v1/models}) that answers with {@link SimPassages}, on the timings of a {@link SimProfile},
 * with its faults and quirks. Every answer names the model {@code sim:<requested model>}, so
 * outputs made from it are labelled simulated. It writes the timings it really applied, one JSON
 * line per request, to the profile's timings log, keyed by the client's {@code X-Request-Id}.
 *
 * <p>This class is the server: its life, its routes and its counts. A chat request is planned by
 * {@link SimCompletions} (faults by {@link SimFault}) and written by {@link SimResponses}; the
 * timings go to {@link SimTimingsLog}.
 *
 * <pre>
 * try (Simulator sim = Simulator.start(SimProfile.load(file))) { URI url = sim.baseUrl(); ... }
 * </pre>
 */
public final class Simulator implements AutoCloseable {
  /** Model names the simulator answers with start with this. */
  public static final String MODEL_PREFIX = "sim:";

  static {
    // Streamed tokens are small writes: without TCP_NODELAY, Nagle's algorithm holds each one back
    // until the previous is acknowledged (and the client delays its ACKs), adding up to ~40 ms.
    // The JDK server reads these properties once, when its first server starts.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    // The JDK server closes a finished keep-alive connection when 200 are idle already, with no
    // "Connection: close": a client that reuses it then reads EOF. vLLM (uvicorn) keeps each one
    // until its keep-alive timeout; past 200 concurrent clients the JDK's limit would be a fault
    // the profile never asked for (the bare HttpClient loop failed at 1,000 in flight).
    if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
      System.setProperty("sun.net.httpserver.maxIdleConnections", "100000");
    }
  }

  private final SimProfile profile;
  private final HttpServer server;
  private final ExecutorService executor;
  private final SimTimingsLog log;
  private final SimCompletions completions;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicInteger peakInFlight = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();

  private Simulator(
      SimProfile profile, HttpServer server, ExecutorService executor, SimTimingsLog log) {
    this.profile = profile;
    this.server = server;
    this.executor = executor;
    this.log = log;
    this.completions = new SimCompletions(profile, log, requests::get);
  }

  /** Starts on 127.0.0.1 on a free port with the profile in {@code profileFile}. */
  public static Simulator start(Path profileFile) {
    return start(SimProfile.load(profileFile));
  }

  /** Starts on 127.0.0.1 on a free port. */
  public static Simulator start(SimProfile profile) {
    return start(profile, "127.0.0.1", 0);
  }

  /** Starts on {@code host:port} (port 0 picks a free one). */
  public static Simulator start(SimProfile profile, String host, int port) {
    SimTimingsLog log = null;
    try {
      log = SimTimingsLog.open(profile.timingsLog());
      HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 4096);
      ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
      server.setExecutor(executor);
      Simulator sim = new Simulator(profile, server, executor, log);
      server.createContext("/", sim::handle);
      server.start();
      return sim;
    } catch (IOException e) {
      if (log != null) {
        try {
          log.close();
        } catch (UncheckedIOException ignored) {
          // reporting the bind failure matters more
        }
      }
      throw new UncheckedIOException("cannot start the simulator on " + host + ":" + port, e);
    }
  }

  /** The base URL clients use, e.g. {@code http://127.0.0.1:40123/v1}. */
  public URI baseUrl() {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getHostString();
    return URI.create(
        "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/v1");
  }

  public SimProfile profile() {
    return profile;
  }

  /** Requests answered so far, faults included. */
  public long requests() {
    return requests.get();
  }

  /** The most chat requests it was answering at once. */
  public int peakInFlight() {
    return peakInFlight.get();
  }

  /** How many times each distinct prompt was asked for, by prompt hash. */
  public Map<String, Integer> promptCounts() {
    return completions.promptCounts();
  }

  /**
   * Stops at once: open connections are dropped, as when the process dies. Closing again does
   * nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(0);
    executor.shutdownNow();
    log.close();
  }

  private void handle(HttpExchange ex) throws IOException {
    long entered = System.nanoTime();
    boolean cut = false;
    try {
      String path = ex.getRequestURI().getPath();
      if (ex.getRequestMethod().equals("GET")
          && (path.equals("/v1/models") || path.equals("/models"))) {
        SimResponses.reply(
            ex,
            200,
            "{\"object\":\"list\",\"data\":[{\"id\":\""
                + MODEL_PREFIX
                + profile.name()
                + "\",\"object\":\"model\"}]}");
        return;
      }
      if (ex.getRequestMethod().equals("GET") && path.equals("/health")) {
        SimResponses.reply(ex, 200, "{}");
        return;
      }
      if (!ex.getRequestMethod().equals("POST") || !path.endsWith("/chat/completions")) {
        SimResponses.reply(
            ex, 404, SimResponses.error("not found: " + ex.getRequestMethod() + " " + path));
        return;
      }
      JsonNode body;
      try {
        body = Json.PLAIN.readTree(ex.getRequestBody());
      } catch (JsonProcessingException e) {
        SimResponses.reply(ex, 400, SimResponses.error("request body is not JSON"));
        return;
      }
      if (body == null || !body.path("messages").isArray() || body.path("messages").isEmpty()) {
        SimResponses.reply(
            ex,
            400,
            SimResponses.error("expected a JSON body with a non-empty \"messages\" array"));
        return;
      }
      requests.incrementAndGet();
      int load = inFlight.incrementAndGet();
      peakInFlight.accumulateAndGet(load, Math::max);
      try {
        completions.complete(ex, body, entered, load);
      } finally {
        inFlight.decrementAndGet();
      }
    } catch (SimResponses.StreamCut c) {
      cut = true; // not closed: closing would end the chunked body properly
      throw c;
    } finally {
      if (!cut) {
        ex.close();
      }
    }
  }
}
