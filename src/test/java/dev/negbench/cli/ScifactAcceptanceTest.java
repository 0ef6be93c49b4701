package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.negbench.data.Qrels;
import dev.negbench.data.TrecRun;
import dev.negbench.eval.EvaluationResult;
import dev.negbench.eval.Metric;
import dev.negbench.eval.TrecEval;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real data: BM25 on SciFact against Anserini's published BEIR flat regression, and mining on its
 * train split. Runs where ../shared/data/scifact exists (CI has it), skipped elsewhere.
 */
class ScifactAcceptanceTest {
  @TempDir static Path tmp;
  static Path scifact;

  @BeforeAll
  static void locate() {
    scifact = Path.of(System.getProperty("negbench.shared", "../shared"), "data", "scifact");
    assumeTrue(Files.isDirectory(scifact), "no SciFact at " + scifact);
  }

  @Test
  void bm25MatchesAnseriniFlatRegression() {
    Path run = tmp.resolve("scifact-bm25.run");
    var o =
        CliTest.run(
            "bm25-search", "-q", "--work-dir=" + tmp.resolve("work"), "--dataset=" + scifact,
            "--split=test", "--top-k=1000", "--run=" + run);
    assertEquals(0, o.code(), o.err());
    TrecRun hits = TrecRun.read(run);
    assertEquals(300, hits.queryCount());
    Metric ndcg = Metric.parse("ndcg@10");
    Metric recall = Metric.parse("recall@100");
    EvaluationResult result =
        TrecEval.evaluate(Qrels.read(scifact.resolve("qrels/test.tsv")), hits, List.of(ndcg, recall));
    // Anserini, BEIR (v1.0.0) SciFact flat: nDCG@10 0.6789, R@100 0.9253.
    assertEquals(0.6789, result.mean(ndcg), 0.003);
    assertEquals(0.9253, result.mean(recall), 0.005);
  }

  @Test
  void minesTrainNegativesWithoutPositivesOrSelfHits() throws IOException {
    Path out = tmp.resolve("scifact-negatives.jsonl");
    var o =
        CliTest.run(
            "mine-bm25", "-q", "--work-dir=" + tmp.resolve("work"), "--dataset=" + scifact, "--split=train",
            "--num-negatives=5", "--range-min=2", "--range-max=50", "--out=" + out);
    assertEquals(0, o.code(), o.err());
    Qrels train = Qrels.read(scifact.resolve("qrels/train.tsv"));
    ObjectMapper json = new ObjectMapper();
    List<String> lines = Files.readAllLines(out);
    assertEquals(809, lines.size(), "SciFact train: 809 queries with positives");
    for (String line : lines) {
      JsonNode row = json.readTree(line);
      String q = row.get("query_id").asText();
      Set<String> positives = new HashSet<>(train.relevant(q));
      for (JsonNode n : row.get("negatives")) {
        String doc = n.get("doc_id").asText();
        assertTrue(!positives.contains(doc) && !doc.equals(q), q + " -> " + doc);
        assertTrue(n.get("rank").asInt() >= 2 && n.get("rank").asInt() <= 50);
      }
    }
    JsonNode summary = json.readTree(Files.readString(Path.of(out + ".summary.json")));
    assertEquals(809, summary.get("queries").asInt());
    assertEquals(0, summary.get("queries_short_of_n").asInt(), "49 candidates always hold 5 non-positives");
    assertEquals(809 * 5, summary.get("negatives_found").asInt());
  }
}
