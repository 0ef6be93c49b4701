package dev.negbench.eval;

import static dev.negbench.eval.TrecEvalTest.evaluate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.negbench.data.Qrels;
import dev.negbench.data.RankedList;
import dev.negbench.data.TrecRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The three output formats on the basic fixture (values worked out in {@link TrecEvalTest}). */
class ResultFormatTest {
  @Test
  void trecMeansOnly() {
    EvaluationResult r = evaluate("basic-qrels.tsv", "basic.run", "ndcg@10", "recall@100");
    // nDCG@10 mean 0.3658134 -> 0.3658; recall@100 3/5; names padded to 22 as trec_eval does
    assertEquals(
        "ndcg@10               \tall\t0.3658\n" + "recall@100            \tall\t0.6000\n",
        ResultFormat.TREC.render(r, false));
  }

  @Test
  void trecPerQueryComesFirstInQrelsOrder() {
    EvaluationResult r = evaluate("basic-qrels.tsv", "basic.run", "ndcg@10", "mrr");
    // q1 nDCG 0.5672074, q2 and q5 1/log2(3) = 0.6309298; q3 and q4 0
    String expected =
        """
        ndcg@10               \tq1\t0.5672
        mrr                   \tq1\t0.5000
        ndcg@10               \tq2\t0.6309
        mrr                   \tq2\t0.5000
        ndcg@10               \tq3\t0.0000
        mrr                   \tq3\t0.0000
        ndcg@10               \tq4\t0.0000
        mrr                   \tq4\t0.0000
        ndcg@10               \tq5\t0.6309
        mrr                   \tq5\t0.5000
        ndcg@10               \tall\t0.3658
        mrr                   \tall\t0.3000
        """;
    assertEquals(expected, ResultFormat.TREC.render(r, true));
  }

  @Test
  void jsonKeepsFullPrecisionAndOrder() throws Exception {
    EvaluationResult r = evaluate("basic-qrels.tsv", "basic.run", "recall@100", "ndcg@10");
    JsonNode json = new ObjectMapper().readTree(ResultFormat.JSON.render(r, true));
    assertEquals(List.of("recall@100", "ndcg@10"), fieldNames(json.get("metrics")));
    // the exact doubles, not 4-decimal roundings
    assertEquals(0.6, json.get("metrics").get("recall@100").doubleValue(), 0.0);
    assertEquals(
        r.mean(Metric.parse("ndcg@10")), json.get("metrics").get("ndcg@10").doubleValue(), 0.0);
    assertEquals(0.36581338481995716, json.get("metrics").get("ndcg@10").doubleValue(), 1e-15);
    assertEquals(5, json.get("queries").intValue());
    assertEquals(List.of("q1", "q2", "q3", "q4", "q5"), fieldNames(json.get("per_query")));
    assertEquals(
        0.5672074169568709, json.get("per_query").get("q1").get("ndcg@10").doubleValue(), 1e-15);
    assertEquals(0.0, json.get("per_query").get("q3").get("recall@100").doubleValue(), 0.0);

    JsonNode meansOnly = new ObjectMapper().readTree(ResultFormat.JSON.render(r, false));
    assertEquals(List.of("metrics", "queries"), fieldNames(meansOnly));
  }

  @Test
  void csvHasHeaderRowsAndAllLast() {
    EvaluationResult r = evaluate("basic-qrels.tsv", "basic.run", "mrr", "map");
    // MRR and AP are 1/2 for q1, q2 and q5, 0 for q3 and q4; means 1.5 / 5 = 0.3
    assertEquals(
        """
        query_id,mrr,map
        q1,0.5,0.5
        q2,0.5,0.5
        q3,0.0,0.0
        q4,0.0,0.0
        q5,0.5,0.5
        all,0.3,0.3
        """,
        ResultFormat.CSV.render(r, true));
    assertEquals("query_id,mrr,map\nall,0.3,0.3\n", ResultFormat.CSV.render(r, false));
  }

  @Test
  void csvQuotesQueryIdsWithCommasOrQuotes() {
    Map<String, Map<String, Integer>> judgments = new LinkedHashMap<>();
    judgments.put("a,b", Map.of("d1", 1));
    judgments.put("say \"hi\"", Map.of("d1", 1));
    Map<String, RankedList> hits = new LinkedHashMap<>();
    hits.put("a,b", new RankedList(new String[] {"d1"}, new double[] {1.0}));
    EvaluationResult r =
        TrecEval.evaluate(new Qrels(judgments), new TrecRun(hits), List.of(Metric.parse("mrr")));
    assertEquals(
        "query_id,mrr\n\"a,b\",1.0\n\"say \"\"hi\"\"\",0.0\nall,0.5\n",
        ResultFormat.CSV.render(r, true));
  }

  @Test
  void parsesFormatNames() {
    assertEquals(ResultFormat.TREC, ResultFormat.parse("trec"));
    assertEquals(ResultFormat.JSON, ResultFormat.parse("JSON"));
    assertEquals(ResultFormat.CSV, ResultFormat.parse(" Csv "));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ResultFormat.parse("xml"));
    assertEquals("unknown result format 'xml'; expected one of trec, json, csv", e.getMessage());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void trecFormatRoundsAsCPrintfDoesNotAsJavaFormatter() {
    // Python's '%.4f' (C's rounding of the exact binary value, ties to even) gave these.
    assertEquals("0.0312", ResultFormat.printf4(0.03125)); // Java's %.4f: 0.0313
    assertEquals("0.1562", ResultFormat.printf4(0.15625));
    assertEquals("0.0001", ResultFormat.printf4(0.00005));
    assertEquals("1.0000", ResultFormat.printf4(0.99995));
    assertEquals("0.3333", ResultFormat.printf4(1.0 / 3));
    assertEquals("0.0000", ResultFormat.printf4(0.0));
  }
}
