package dev.negbench.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulator's {@code /chat/completions}: plans the answer to one request and hands it to {@link
 * SimResponses}. The plan: the prompt's hash and how many times it was asked for before, the fault
 * they draw ({@link SimFault}), {@link SimPassages} for the user message (as a numbered list or,
 * for a JSON response format, {@code {"passages": [...]}}) cut at {@code max_tokens}, and the TTFT
 * and TPOT of the profile at the present load. Each request's plan starts its line in the timings
 * log.
 */
final class SimCompletions {
  private static final Pattern TOKEN = Pattern.compile("\\s*\\S+");

  private final SimProfile profile;
  private final SimTimingsLog log;
  private final SimResponses responses;
  private final LongSupplier requests;
  private final ConcurrentHashMap<String, AtomicInteger> seen = new ConcurrentHashMap<>();

  /** {@code requests} counts the chat requests so far: the answers' ids are numbered by it. */
  SimCompletions(SimProfile profile, SimTimingsLog log, LongSupplier requests) {
    this.profile = profile;
    this.log = log;
    this.responses = new SimResponses(profile.quirks(), log);
    this.requests = requests;
  }

  /** How many times each distinct prompt was asked for, by prompt hash. */
  Map<String, Integer> promptCounts() {
    Map<String, Integer> counts = new HashMap<>();
    seen.forEach((k, v) -> counts.put(k, v.get()));
    return counts;
  }

  /**
   * Answers the chat request {@code body} (a non-empty {@code messages} array) that came in at
   * {@code entered} with {@code load} requests in flight, itself included.
   */
  void complete(HttpExchange ex, JsonNode body, long entered, int load) throws IOException {
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
    SimFault fault = SimFault.draw(profile, promptHash, occurrence);
    String model = Simulator.MODEL_PREFIX + body.path("model").asText(profile.name());
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

    if (fault == SimFault.TOO_MANY || fault == SimFault.SERVER_ERROR) {
      int code = fault == SimFault.TOO_MANY ? 429 : 500;
      if (code == 429) {
        long ms = profile.faults().retryAfterMs();
        ex.getResponseHeaders().set("Retry-After", Long.toString((ms + 999) / 1000));
        ex.getResponseHeaders().set("retry-after-ms", Long.toString(ms));
      }
      SimResponses.reply(
          ex,
          code,
          SimResponses.error(
              code == 429 ? "rate limited (simulated)" : "internal error (simulated)"));
      record.put("status", code);
      log.write(record);
      return;
    }

    Long seed = body.path("seed").isIntegralNumber() ? body.path("seed").asLong() : null;
    String content = render(SimPassages.generate(user, fault == SimFault.COPY, seed), json);
    if (fault == SimFault.EMPTY) {
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
    double slow = fault == SimFault.SLOW ? profile.faults().slowFactor() : 1;
    double ttftMs =
        (profile.ttftMs() + profile.ttftPerPromptTokenMs() * promptTokens)
            * (1 + profile.ttftLoadFactor() * (load - 1))
            * slow;
    double tpotMs = profile.tpotMs() * (1 + profile.tpotLoadFactor() * (load - 1)) * slow;
    record.put("status", 200);
    record.put("completion_tokens", tokens.size());
    record.put("planned_ttft_ms", ttftMs);
    record.put("planned_tpot_ms", tpotMs);
    String id = "chatcmpl-sim-" + requests.getAsLong();
    SimResponses.Answer answer =
        new SimResponses.Answer(
            id, model, tokens, finish, promptTokens, fault, entered, ttftMs, tpotMs);
    if (stream) {
      responses.stream(
          ex, record, answer, body.path("stream_options").path("include_usage").asBoolean(false));
    } else {
      responses.whole(ex, record, answer);
    }
  }

  /** The passages as the model's answer: a JSON object, or a numbered list. */
  static String render(List<String> passages, boolean json) {
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

  /** The simulator's tokens: runs of whitespace with the word after them. */
  static int countTokens(String text) {
    int n = 0;
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      n++;
    }
    return n;
  }
}
