package dev.negbench.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local OpenAI-compatible server ({@code POST /v1/chat/completions}, streaming and not; {@code
 * GET /v1/models}) that answers with {@link SimPassages}, on the timings of a {@link SimProfile},
 * with its faults and quirks. Every answer names the model {@code sim:<requested model>}, so
 * outputs made from it are labelled simulated. It writes the timings it really applied, one JSON
 * line per request, to the profile's timings log, keyed by the client's {@code X-Request-Id}.
 *
 * <pre>
 * try (Simulator sim = Simulator.start(SimProfile.load(file))) { URI url = sim.baseUrl(); ... }
 * </pre>
 */
public final class Simulator implements AutoCloseable {
  /** Model names the simulator answers with start with this. */
  public static final String MODEL_PREFIX = "sim:";

  private static final Pattern TOKEN = Pattern.compile("\\s*\\S+");

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
    // the
    // profile never asked for (the bare HttpClient loop failed at 1,000 in flight).
    if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
      System.setProperty("sun.net.httpserver.maxIdleConnections", "100000");
    }
  }

  private final SimProfile profile;
  private final HttpServer server;
  private final ExecutorService executor;
  private final BufferedWriter log;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicInteger peakInFlight = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ConcurrentHashMap<String, AtomicInteger> seen = new ConcurrentHashMap<>();

  private Simulator(
      SimProfile profile, HttpServer server, ExecutorService executor, BufferedWriter log) {
    this.profile = profile;
    this.server = server;
    this.executor = executor;
    this.log = log;
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
    BufferedWriter log = null;
    try {
      if (profile.timingsLog() != null) {
        Path parent = profile.timingsLog().toAbsolutePath().getParent();
        Files.createDirectories(parent);
        log =
            Files.newBufferedWriter(
                profile.timingsLog(),
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
      }
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
        } catch (IOException ignored) {
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
    Map<String, Integer> counts = new HashMap<>();
    seen.forEach((k, v) -> counts.put(k, v.get()));
    return counts;
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
    if (log != null) {
      synchronized (log) {
        try {
          log.close();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write " + profile.timingsLog(), e);
        }
      }
    }
  }

  private enum Fault {
    NONE,
    TOO_MANY,
    SERVER_ERROR,
    SLOW,
    CUT,
    MALFORMED,
    EMPTY,
    COPY
  }

  /** Thrown to drop the connection mid-response: the server then closes the socket unfinished. */
  private static final class StreamCut extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StreamCut() {
      super("simulated stream cut", null, false, false);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    long entered = System.nanoTime();
    boolean cut = false;
    try {
      String path = ex.getRequestURI().getPath();
      if (ex.getRequestMethod().equals("GET")
          && (path.equals("/v1/models") || path.equals("/models"))) {
        reply(
            ex,
            200,
            "{\"object\":\"list\",\"data\":[{\"id\":\""
                + MODEL_PREFIX
                + profile.name()
                + "\",\"object\":\"model\"}]}");
        return;
      }
      if (ex.getRequestMethod().equals("GET") && path.equals("/health")) {
        reply(ex, 200, "{}");
        return;
      }
      if (!ex.getRequestMethod().equals("POST") || !path.endsWith("/chat/completions")) {
        reply(ex, 404, error("not found: " + ex.getRequestMethod() + " " + path));
        return;
      }
      JsonNode body;
      try {
        body = Json.PLAIN.readTree(ex.getRequestBody());
      } catch (JsonProcessingException e) {
        reply(ex, 400, error("request body is not JSON"));
        return;
      }
      if (body == null || !body.path("messages").isArray() || body.path("messages").isEmpty()) {
        reply(ex, 400, error("expected a JSON body with a non-empty \"messages\" array"));
        return;
      }
      requests.incrementAndGet();
      int load = inFlight.incrementAndGet();
      peakInFlight.accumulateAndGet(load, Math::max);
      try {
        complete(ex, body, entered, load);
      } finally {
        inFlight.decrementAndGet();
      }
    } catch (StreamCut c) {
      cut = true; // not closed: closing would end the chunked body properly
      throw c;
    } finally {
      if (!cut) {
        ex.close();
      }
    }
  }

  private void complete(HttpExchange ex, JsonNode body, long entered, int load) throws IOException {
    String requestId = ex.getRequestHeaders().getFirst("X-Request-Id");
    StringBuilder prompt = new StringBuilder();
    String user = "";
    for (JsonNode m : body.path("messages")) {
      String content = m.path("content").asText("");
      prompt.append(content).append('\n');
      if (m.path("role").asText("").equals("user")) {
        user = content;
      }
    }
    String promptHash = AtomicFiles.sha256(prompt.toString());
    int occurrence = seen.computeIfAbsent(promptHash, k -> new AtomicInteger()).getAndIncrement();
    Fault fault = drawFault(promptHash, occurrence);
    String model = MODEL_PREFIX + body.path("model").asText(profile.name());
    boolean stream = body.path("stream").asBoolean(false);
    boolean json = body.path("response_format").path("type").asText("").startsWith("json");
    long maxTokens = body.path("max_tokens").asLong(Long.MAX_VALUE);
    int promptTokens = countTokens(prompt.toString());

    ObjectNode record = Json.PLAIN.createObjectNode();
    record.put("request_id", requestId);
    record.put("prompt_hash", promptHash);
    record.put("occurrence", occurrence);
    record.put("fault", fault.name().toLowerCase(Locale.ROOT));
    record.put("stream", stream);
    record.put("in_flight", load);
    record.put("prompt_tokens", promptTokens);

    if (fault == Fault.TOO_MANY || fault == Fault.SERVER_ERROR) {
      int code = fault == Fault.TOO_MANY ? 429 : 500;
      if (code == 429) {
        long ms = profile.faults().retryAfterMs();
        ex.getResponseHeaders().set("Retry-After", Long.toString((ms + 999) / 1000));
        ex.getResponseHeaders().set("retry-after-ms", Long.toString(ms));
      }
      reply(
          ex, code, error(code == 429 ? "rate limited (simulated)" : "internal error (simulated)"));
      record.put("status", code);
      write(record);
      return;
    }

    String content = render(SimPassages.generate(user, fault == Fault.COPY), json);
    if (fault == Fault.EMPTY) {
      content = "";
    }
    List<String> tokens = new ArrayList<>();
    Matcher m = TOKEN.matcher(content);
    while (m.find()) {
      tokens.add(m.group());
    }
    String finish = "stop";
    if (tokens.size() > maxTokens) {
      tokens = new ArrayList<>(tokens.subList(0, (int) maxTokens));
      finish = "length";
    }
    double slow = fault == Fault.SLOW ? profile.faults().slowFactor() : 1;
    double ttftMs =
        (profile.ttftMs() + profile.ttftPerPromptTokenMs() * promptTokens)
            * (1 + profile.ttftLoadFactor() * (load - 1))
            * slow;
    double tpotMs = profile.tpotMs() * (1 + profile.tpotLoadFactor() * (load - 1)) * slow;
    record.put("status", 200);
    record.put("completion_tokens", tokens.size());
    record.put("planned_ttft_ms", ttftMs);
    record.put("planned_tpot_ms", tpotMs);
    String id = "chatcmpl-sim-" + requests.get();
    if (stream) {
      stream(
          ex,
          record,
          id,
          model,
          tokens,
          finish,
          promptTokens,
          fault,
          entered,
          ttftMs,
          tpotMs,
          body.path("stream_options").path("include_usage").asBoolean(false));
    } else {
      whole(
          ex,
          record,
          id,
          model,
          String.join("", tokens),
          tokens.size(),
          finish,
          promptTokens,
          fault,
          entered,
          ttftMs,
          tpotMs);
    }
  }

  private void stream(
      HttpExchange ex,
      ObjectNode record,
      String id,
      String model,
      List<String> tokens,
      String finish,
      int promptTokens,
      Fault fault,
      long entered,
      double ttftMs,
      double tpotMs,
      boolean includeUsage)
      throws IOException {
    String eol = profile.quirks().crlf() ? "\r\n" : "\n";
    ex.getResponseHeaders().set("Content-Type", "text/event-stream");
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
    ex.sendResponseHeaders(200, 0); // chunked transfer
    OutputStream out = ex.getResponseBody();
    out.flush(); // headers now, as vLLM sends them, not with the first token
    String head =
        "data: {\"id\":\""
            + id
            + "\",\"object\":\"chat.completion.chunk\",\"model\":"
            + quote(model)
            + ",\"choices\":[{\"index\":0,\"delta\":{";
    long first = -1;
    long previous = -1;
    ArrayNode itl = record.putArray("itl_ms");
    int cutAt = fault == Fault.CUT ? Math.max(1, tokens.size() / 2) : -1;
    int malformedAt = fault == Fault.MALFORMED ? Math.max(0, tokens.size() / 2) : -1;
    for (int i = 0; i < tokens.size(); i++) {
      if (i == cutAt) {
        record.put("status", "cut");
        write(record);
        throw new StreamCut();
      }
      long due = i == 0 ? entered + (long) (ttftMs * 1e6) : first + (long) (i * tpotMs * 1e6);
      sleepUntil(due);
      String delta =
          (i == 0 ? "\"role\":\"assistant\"," : "") + "\"content\":" + quote(tokens.get(i));
      String event =
          i == malformedAt
              ? "data: {\"id\":\"" + id + "\",\"choices\":[{\"delta\":{\"content\":" + eol + eol
              : head + delta + "},\"finish_reason\":null}]}" + eol + eol;
      out.write(event.getBytes(StandardCharsets.UTF_8));
      out.flush();
      long now = System.nanoTime();
      if (i == 0) {
        first = now;
        record.put("ttft_ms", (now - entered) / 1e6);
      } else {
        itl.add((now - previous) / 1e6);
      }
      previous = now;
    }
    if (tokens.isEmpty()) {
      sleepUntil(entered + (long) (ttftMs * 1e6));
    }
    StringBuilder tail = new StringBuilder();
    tail.append(head)
        .append("},\"finish_reason\":\"")
        .append(finish)
        .append("\"}]}")
        .append(eol)
        .append(eol);
    if (includeUsage && !profile.quirks().omitUsage()) {
      tail.append("data: {\"id\":\"")
          .append(id)
          .append("\",\"object\":\"chat.completion.chunk\",\"model\":")
          .append(quote(model))
          .append(",\"choices\":[],\"usage\":")
          .append(usage(promptTokens, tokens.size()))
          .append('}')
          .append(eol)
          .append(eol);
    }
    if (!profile.quirks().noDone()) {
      tail.append("data: [DONE]").append(eol).append(eol);
    }
    out.write(tail.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
    long end = System.nanoTime();
    if (tokens.size() > 1) {
      record.put("tpot_ms", (previous - first) / 1e6 / (tokens.size() - 1));
    }
    record.put("e2e_ms", (end - entered) / 1e6);
    write(record);
  }

  private void whole(
      HttpExchange ex,
      ObjectNode record,
      String id,
      String model,
      String content,
      int completionTokens,
      String finish,
      int promptTokens,
      Fault fault,
      long entered,
      double ttftMs,
      double tpotMs)
      throws IOException {
    sleepUntil(entered + (long) ((ttftMs + Math.max(0, completionTokens - 1) * tpotMs) * 1e6));
    String message = "{\"role\":\"assistant\",\"content\":" + quote(content) + "}";
    String text =
        "{\"id\":\""
            + id
            + "\",\"object\":\"chat.completion\",\"model\":"
            + quote(model)
            + ",\"choices\":[{\"index\":0,\"message\":"
            + message
            + ",\"finish_reason\":\""
            + finish
            + "\"}]"
            + (profile.quirks().omitUsage()
                ? ""
                : ",\"usage\":" + usage(promptTokens, completionTokens))
            + "}";
    if (fault == Fault.MALFORMED) {
      text = text.substring(0, text.length() / 2);
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(200, bytes.length);
    if (fault == Fault.CUT) {
      ex.getResponseBody().write(bytes, 0, bytes.length / 2);
      ex.getResponseBody().flush();
      record.put("status", "cut");
      write(record);
      throw new StreamCut();
    }
    ex.getResponseBody().write(bytes);
    record.put("e2e_ms", (System.nanoTime() - entered) / 1e6);
    write(record);
  }

  private static String render(List<String> passages, boolean json) {
    if (json) {
      ObjectNode o = Json.PLAIN.createObjectNode();
      ArrayNode a = o.putArray("passages");
      passages.forEach(a::add);
      return o.toString();
    }
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < passages.size(); i++) {
      s.append(i + 1).append(". ").append(passages.get(i)).append('\n');
    }
    return s.toString();
  }

  private Fault drawFault(String promptHash, int occurrence) {
    SimProfile.Faults f = profile.faults();
    long h = Long.parseUnsignedLong(promptHash.substring(0, 15), 16);
    double u =
        new SplittableRandom(
                profile.seed() * 0x9E3779B97F4A7C15L ^ h ^ (occurrence * 0xBF58476D1CE4E5B9L))
            .nextDouble();
    double[] rates = {
      f.rate429(),
      f.rate500(),
      f.rateSlow(),
      f.rateCut(),
      f.rateMalformed(),
      f.rateEmpty(),
      f.rateCopy()
    };
    Fault[] faults = {
      Fault.TOO_MANY,
      Fault.SERVER_ERROR,
      Fault.SLOW,
      Fault.CUT,
      Fault.MALFORMED,
      Fault.EMPTY,
      Fault.COPY
    };
    double acc = 0;
    for (int i = 0; i < rates.length; i++) {
      acc += rates[i];
      if (u < acc) {
        return faults[i];
      }
    }
    return Fault.NONE;
  }

  /** The simulator's tokens: runs of whitespace with the word after them. */
  static int countTokens(String text) {
    int n = 0;
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static void sleepUntil(long deadline) {
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }

  private void write(ObjectNode record) {
    if (log == null) {
      return;
    }
    String line = record.toString();
    synchronized (log) {
      try {
        log.write(line);
        log.write('\n');
        log.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + profile.timingsLog(), e);
      }
    }
  }

  private static String usage(int prompt, int completion) {
    return "{\"prompt_tokens\":"
        + prompt
        + ",\"completion_tokens\":"
        + completion
        + ",\"total_tokens\":"
        + (prompt + completion)
        + "}";
  }

  private static void reply(HttpExchange ex, int code, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(code, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  private static String error(String message) {
    return "{\"error\":{\"message\":" + quote(message) + ",\"type\":\"simulated\"}}";
  }

  private static String quote(String s) {
    try {
      return Json.PLAIN.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
