package dev.negbench.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.negbench.io.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes the simulator's HTTP answers as vLLM's OpenAI server does: a chat completion streamed as
 * server-sent events token by token on the planned TTFT and TPOT, or whole as one JSON body after
 * the time the stream would have taken, and the error replies. The profile's quirks (no usage, no
 * {@code [DONE]}, CRLF) and the cut and malformed faults are applied here; the timings each answer
 * really had go to the timings log.
 */
final class SimResponses {
  /** Thrown to drop the connection mid-response: the server then closes the socket unfinished. */
  static final class StreamCut extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StreamCut() {
      super("simulated stream cut", null, false, false);
    }
  }

  /**
   * One planned answer: its tokens (the content in pieces of whitespace and a word) and why they
   * end, the prompt's tokens for the usage, the fault drawn, when the request came in ({@link
   * System#nanoTime}) and the planned time to the first token and between tokens.
   */
  record Answer(
      String id,
      String model,
      List<String> tokens,
      String finish,
      int promptTokens,
      SimFault fault,
      long entered,
      double ttftMs,
      double tpotMs) {}

  private final SimProfile.Quirks quirks;
  private final SimTimingsLog log;

  SimResponses(SimProfile.Quirks quirks, SimTimingsLog log) {
    this.quirks = quirks;
    this.log = log;
  }

  /**
   * Streams {@code a} as {@code chat.completion.chunk} events, each token due at TTFT + i x TPOT
   * from the first; {@code record} gets the TTFT, inter-token latencies, TPOT and end-to-end time
   * it had and is logged.
   */
  void stream(HttpExchange ex, ObjectNode record, Answer a, boolean includeUsage)
      throws IOException {
    List<String> tokens = a.tokens();
    String eol = quirks.crlf() ? "\r\n" : "\n";
    ex.getResponseHeaders().set("Content-Type", "text/event-stream");
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
    ex.sendResponseHeaders(200, 0); // chunked transfer
    OutputStream out = ex.getResponseBody();
    out.flush(); // headers now, as vLLM sends them, not with the first token
    String head =
        "data: {\"id\":\""
            + a.id()
            + "\",\"object\":\"chat.completion.chunk\",\"model\":"
            + quote(a.model())
            + ",\"choices\":[{\"index\":0,\"delta\":{";
    long first = -1;
    long previous = -1;
    ArrayNode itl = record.putArray("itl_ms");
    int cutAt = a.fault() == SimFault.CUT ? Math.max(1, tokens.size() / 2) : -1;
    int malformedAt = a.fault() == SimFault.MALFORMED ? Math.max(0, tokens.size() / 2) : -1;
    for (int i = 0; i < tokens.size(); i++) {
      if (i == cutAt) {
        record.put("status", "cut");
        log.write(record);
        throw new StreamCut();
      }
      long due =
          i == 0 ? a.entered() + (long) (a.ttftMs() * 1e6) : first + (long) (i * a.tpotMs() * 1e6);
      sleepUntil(due);
      String delta =
          (i == 0 ? "\"role\":\"assistant\"," : "") + "\"content\":" + quote(tokens.get(i));
      String event =
          i == malformedAt
              ? "data: {\"id\":\"" + a.id() + "\",\"choices\":[{\"delta\":{\"content\":" + eol + eol
              : head + delta + "},\"finish_reason\":null}]}" + eol + eol;
      out.write(event.getBytes(StandardCharsets.UTF_8));
      out.flush();
      long now = System.nanoTime();
      if (i == 0) {
        first = now;
        record.put("ttft_ms", (now - a.entered()) / 1e6);
      } else {
        itl.add((now - previous) / 1e6);
      }
      previous = now;
    }
    if (tokens.isEmpty()) {
      sleepUntil(a.entered() + (long) (a.ttftMs() * 1e6));
    }
    StringBuilder tail = new StringBuilder();
    tail.append(head)
        .append("},\"finish_reason\":\"")
        .append(a.finish())
        .append("\"}]}")
        .append(eol)
        .append(eol);
    if (includeUsage && !quirks.omitUsage()) {
      tail.append("data: {\"id\":\"")
          .append(a.id())
          .append("\",\"object\":\"chat.completion.chunk\",\"model\":")
          .append(quote(a.model()))
          .append(",\"choices\":[],\"usage\":")
          .append(usage(a.promptTokens(), tokens.size()))
          .append('}')
          .append(eol)
          .append(eol);
    }
    if (!quirks.noDone()) {
      tail.append("data: [DONE]").append(eol).append(eol);
    }
    out.write(tail.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
    long end = System.nanoTime();
    if (tokens.size() > 1) {
      record.put("tpot_ms", (previous - first) / 1e6 / (tokens.size() - 1));
    }
    record.put("e2e_ms", (end - a.entered()) / 1e6);
    log.write(record);
  }

  /**
   * Answers {@code a} as one {@code chat.completion} body once its last token would have been
   * streamed; {@code record} gets the end-to-end time and is logged.
   */
  void whole(HttpExchange ex, ObjectNode record, Answer a) throws IOException {
    String content = String.join("", a.tokens());
    int completionTokens = a.tokens().size();
    sleepUntil(
        a.entered() + (long) ((a.ttftMs() + Math.max(0, completionTokens - 1) * a.tpotMs()) * 1e6));
    String message = "{\"role\":\"assistant\",\"content\":" + quote(content) + "}";
    String text =
        "{\"id\":\""
            + a.id()
            + "\",\"object\":\"chat.completion\",\"model\":"
            + quote(a.model())
            + ",\"choices\":[{\"index\":0,\"message\":"
            + message
            + ",\"finish_reason\":\""
            + a.finish()
            + "\"}]"
            + (quirks.omitUsage() ? "" : ",\"usage\":" + usage(a.promptTokens(), completionTokens))
            + "}";
    if (a.fault() == SimFault.MALFORMED) {
      text = text.substring(0, text.length() / 2);
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(200, bytes.length);
    if (a.fault() == SimFault.CUT) {
      ex.getResponseBody().write(bytes, 0, bytes.length / 2);
      ex.getResponseBody().flush();
      record.put("status", "cut");
      log.write(record);
      throw new StreamCut();
    }
    ex.getResponseBody().write(bytes);
    record.put("e2e_ms", (System.nanoTime() - a.entered()) / 1e6);
    log.write(record);
  }

  /** A whole JSON reply with status {@code code}. */
  static void reply(HttpExchange ex, int code, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(code, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  /** An OpenAI error body. */
  static String error(String message) {
    return "{\"error\":{\"message\":" + quote(message) + ",\"type\":\"simulated\"}}";
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

  private static String quote(String s) {
    try {
      return Json.PLAIN.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleepUntil(long deadline) {
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }
}
