package dev.negbench.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.data.HardNegatives;
import dev.negbench.data.Negative;
import dev.negbench.data.NegativesJsonl;
import dev.negbench.data.Query;
import dev.negbench.io.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The output line of one (query, positive) pair: the miners' schema ({@link NegativesJsonl}, a row
 * for one positive: {@code positive_id}) with the passages that passed {@link NegativeValidator} as
 * negatives ({@code gen:QUERY:POSITIVE:N}), plus:
 *
 * <pre>
 * "status", "reason", "rejected": [{"doc_id", "text", "reason"}], "attempt_count",
 * "attempts": [{request metrics}], "metrics": {the answered request's}, "finish_reason",
 * "generator", "model", "simulated", "key", "session", "started_at_ms", "finished_at_ms"</pre>
 *
 * {@code status} is {@code accepted} (at least one valid passage), {@code rejected} (an answer, but
 * no valid passage; {@code reason} says why) or {@code failed} (no answer after the last attempt;
 * {@code reason} is the last error).
 */
final class GenerationLine {
  private GenerationLine() {}

  /**
   * The line of a pair.
   *
   * @param answer the answered attempt, or null when none was
   * @param failure why the last attempt failed, when none was answered
   * @param attempts every attempt's {@link #attempt} object, in order
   * @param session the id of this call of {@link Generation#run}
   */
  static ObjectNode of(
      GeneratorProfile gen,
      String session,
      QueryPositivePair pair,
      ChatClient.Attempt answer,
      String failure,
      ArrayNode attempts,
      long startedAtMs) {
    Query q = pair.query();
    List<Negative> accepted = new ArrayList<>();
    ArrayNode rejected = Json.PLAIN.createArrayNode();
    String status;
    String reason = null;
    if (answer == null) {
      status = "failed";
      reason = failure;
    } else {
      List<String> passages = CompletionParser.passages(answer.content());
      NegativeValidator validator =
          new NegativeValidator(gen.validation(), q.text(), pair.positive());
      int n = 0;
      for (String p : passages) {
        n++;
        String id = "gen:" + q.id() + ":" + pair.positiveId() + ":" + n;
        String why = validator.reject(p);
        if (why == null) {
          accepted.add(new Negative(id, 0, 0.0, p));
        } else {
          rejected.addObject().put("doc_id", id).put("text", p).put("reason", why);
        }
      }
      if (!accepted.isEmpty()) {
        status = "accepted";
      } else {
        status = "rejected";
        reason =
            answer.content().isBlank()
                ? "empty_content"
                : passages.isEmpty() ? "no_passages_parsed" : "all_passages_rejected";
      }
    }
    ObjectNode line =
        parse(
            NegativesJsonl.toJson(
                HardNegatives.forPositive(q.id(), q.text(), pair.positiveId(), accepted)));
    line.put("status", status);
    if (reason != null) {
      line.put("reason", reason);
    }
    line.set("rejected", rejected);
    line.put("attempt_count", attempts.size());
    line.set("attempts", attempts);
    if (answer != null) {
      line.set("metrics", attempts.get(attempts.size() - 1));
      line.put("finish_reason", answer.finishReason());
    }
    String model = answer == null ? "" : answer.model();
    line.put("generator", gen.name());
    line.put("model", model.isEmpty() ? gen.model() : model);
    line.put("simulated", model.startsWith(Simulator.MODEL_PREFIX));
    line.put("key", pair.key());
    line.put("session", session);
    line.put("started_at_ms", startedAtMs);
    line.put("finished_at_ms", System.currentTimeMillis());
    return line;
  }

  /**
   * One attempt as an element of {@code attempts}: its {@link RequestMetrics}, the error (first 300
   * characters) and Retry-After when there were any; unknown timings and token counts left out.
   */
  static ObjectNode attempt(ChatClient.Attempt a) {
    RequestMetrics m = a.metrics();
    ObjectNode o = Json.PLAIN.createObjectNode();
    o.put("request_id", m.requestId());
    o.put("endpoint", m.endpoint());
    o.put("status", m.status());
    o.put("http_status", m.httpStatus());
    if (a.error() != null) {
      o.put("error", a.error().length() > 300 ? a.error().substring(0, 300) : a.error());
    }
    if (a.retryAfterMs() >= 0) {
      o.put("retry_after_ms", a.retryAfterMs());
    }
    num(o, "ttft_ms", m.ttftMs());
    num(o, "tpot_ms", m.tpotMs());
    num(o, "e2e_ms", m.e2eMs());
    num(o, "send_ms", m.sendMs());
    if (m.promptTokens() >= 0) {
      o.put("prompt_tokens", m.promptTokens());
    }
    if (m.completionTokens() >= 0) {
      o.put("completion_tokens", m.completionTokens());
    }
    o.put("token_source", m.tokenSource());
    ArrayNode itl = o.putArray("itl_ms");
    for (double d : m.itlMs()) {
      itl.add(Math.round(d * 1000) / 1000.0);
    }
    return o;
  }

  private static void num(ObjectNode o, String k, double v) {
    if (!Double.isNaN(v)) {
      o.put(k, v);
    }
  }

  private static ObjectNode parse(String json) {
    try {
      return (ObjectNode) Json.PLAIN.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
