package dev.negbench.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Json;
import dev.negbench.io.JsonLines;
import dev.negbench.io.TextLines;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSONL schema of negatives files, one query a line:
 *
 * <pre>{"query_id": "...", "query": "...", "positive_ids": ["..."],
 *  "negatives": [{"doc_id": "...", "rank": 3, "score": 12.5}, ...]}</pre>
 *
 * plus {@code "positive_scores": {"doc_id": score, ...}} where the miner scored the positives (the
 * cross-encoder miner).
 *
 * <p>A row for one (query, positive) pair (the LLM generator's) adds {@code "positive_id"} and
 * lists that positive alone in {@code "positive_ids"}; a query then has one row per positive. Rows
 * without it (every miner's, and files written before it existed) hold the whole query's negatives.
 *
 * <p>A negative that is not in the corpus (an LLM-generated passage) carries its own {@code "text"}
 * and an id of the form {@code gen:<query id>:<positive id>:<n>}; readers use the text instead of a
 * corpus lookup.
 *
 * <p>And of triples files, {@code {"query": "...", "positive": "...", "negative": "..."}}.
 */
public final class NegativesJsonl {

  private NegativesJsonl() {}

  public static String toJson(HardNegatives h) {
    ObjectNode row = Json.PLAIN.createObjectNode();
    row.put("query_id", h.queryId());
    row.put("query", h.query());
    ArrayNode positives = row.putArray("positive_ids");
    h.positiveIds().forEach(positives::add);
    if (h.perPositive()) {
      row.put("positive_id", h.positiveId());
    }
    ArrayNode negatives = row.putArray("negatives");
    for (Negative n : h.negatives()) {
      ObjectNode neg = negatives.addObject();
      neg.put("doc_id", n.docId());
      neg.put("rank", n.rank());
      neg.put("score", n.score());
      if (n.inline()) {
        neg.put("text", n.text());
      }
    }
    if (!h.positiveScores().isEmpty()) {
      ObjectNode scores = row.putObject("positive_scores");
      h.positiveScores().forEach(scores::put);
    }
    return compact(row);
  }

  public static String toJson(Triple t) {
    ObjectNode row = Json.PLAIN.createObjectNode();
    row.put("query", t.query());
    row.put("positive", t.positive());
    row.put("negative", t.negative());
    return compact(row);
  }

  /** Writes a negatives file atomically: one {@link #toJson(HardNegatives)} line per row. */
  public static void write(Path file, List<HardNegatives> rows) {
    AtomicFiles.write(
        file,
        w -> {
          for (HardNegatives h : rows) {
            w.write(toJson(h));
            w.write('\n');
          }
        });
  }

  /** Receives each row with the reader on its line, for errors that name the file and the line. */
  @FunctionalInterface
  public interface RowHandler {
    void accept(TextLines lines, HardNegatives row);
  }

  /** Reads a whole negatives file, validating each line. */
  public static List<HardNegatives> read(Path file) {
    List<HardNegatives> rows = new ArrayList<>();
    forEachRow(file, (lines, row) -> rows.add(row));
    return rows;
  }

  /**
   * Calls {@code handler} for each row of a negatives file, in file order, validating each line.
   */
  public static void forEachRow(Path file, RowHandler handler) {
    JsonLines.forEachObject(file, (lines, node) -> handler.accept(lines, parse(lines, node)));
  }

  private static HardNegatives parse(TextLines lines, JsonNode node) {
    String queryId = JsonLines.requiredString(lines, node, "query_id");
    String query = JsonLines.requiredString(lines, node, "query");
    List<String> positives = new ArrayList<>();
    JsonNode pos = node.get("positive_ids");
    if (pos == null || !pos.isArray()) {
      throw lines.error("expected an array field \"positive_ids\"");
    }
    pos.forEach(p -> positives.add(p.asText()));
    String positiveId = null;
    JsonNode pair = node.get("positive_id");
    if (pair != null) {
      if (!pair.isTextual()) {
        throw lines.error("expected \"positive_id\" to be a string");
      }
      positiveId = pair.asText();
      if (!positives.equals(List.of(positiveId))) {
        throw lines.error(
            "expected \"positive_ids\" to be [\""
                + positiveId
                + "\"] on a row for the one positive \"positive_id\": \""
                + positiveId
                + "\", was "
                + positives);
      }
    }
    JsonNode negs = node.get("negatives");
    if (negs == null || !negs.isArray()) {
      throw lines.error("expected an array field \"negatives\"");
    }
    List<Negative> negatives = new ArrayList<>();
    for (JsonNode n : negs) {
      if (!n.isObject() || !n.path("doc_id").isTextual()) {
        throw lines.error("expected each negative to be an object with a string \"doc_id\"");
      }
      JsonNode text = n.get("text");
      if (text != null && !text.isTextual()) {
        throw lines.error("expected a negative's \"text\" to be a string");
      }
      negatives.add(
          new Negative(
              n.get("doc_id").asText(),
              n.path("rank").asInt(0),
              n.path("score").asDouble(0),
              text == null ? null : text.asText()));
    }
    Map<String, Double> positiveScores = new LinkedHashMap<>();
    JsonNode scores = node.get("positive_scores");
    if (scores != null) {
      if (!scores.isObject()) {
        throw lines.error("expected \"positive_scores\" to be an object of document id to number");
      }
      for (var e : scores.properties()) {
        if (!e.getValue().isNumber()) {
          throw lines.error(
              "expected \"positive_scores\" to be an object of document id to number");
        }
        positiveScores.put(e.getKey(), e.getValue().asDouble());
      }
    }
    return new HardNegatives(queryId, query, positives, negatives, positiveScores, positiveId);
  }

  private static String compact(ObjectNode row) {
    try {
      return Json.PLAIN.writeValueAsString(row);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
