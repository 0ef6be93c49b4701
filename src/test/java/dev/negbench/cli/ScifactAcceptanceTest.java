package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.negbench.data.Qrels;
import dev.negbench.data.SyntheticDataset;
import dev.negbench.data.TrecRun;
import dev.negbench.eval.EvaluationResult;
import dev.negbench.eval.Metric;
import dev.negbench.eval.TrecEval;
import dev.negbench.model.Fixtures;
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
            "bm25-search",
            "-q",
            "--work-dir=" + tmp.resolve("work"),
            "--dataset=" + scifact,
            "--split=test",
            "--top-k=1000",
            "--run=" + run);
    assertEquals(0, o.code(), o.err());
    TrecRun hits = TrecRun.read(run);
    assertEquals(300, hits.queryCount());
    Metric ndcg = Metric.parse("ndcg@10");
    Metric recall = Metric.parse("recall@100");
    EvaluationResult result =
        TrecEval.evaluate(
            Qrels.read(scifact.resolve("qrels/test.tsv")), hits, List.of(ndcg, recall));
    // Anserini, BEIR (v1.0.0) SciFact flat: nDCG@10 0.6789, R@100 0.9253.
    assertEquals(0.6789, result.mean(ndcg), 0.003);
    assertEquals(0.9253, result.mean(recall), 0.005);
  }

  @Test
  void minesTrainNegativesWithoutPositivesOrSelfHits() throws IOException {
    Path out = tmp.resolve("scifact-negatives.jsonl");
    var o =
        CliTest.run(
            "mine-bm25",
            "-q",
            "--work-dir=" + tmp.resolve("work"),
            "--dataset=" + scifact,
            "--split=train",
            "--num-negatives=5",
            "--range-min=2",
            "--range-max=50",
            "--out=" + out);
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
    assertEquals(
        0, summary.get("queries_short_of_n").asInt(), "49 candidates always hold 5 non-positives");
    assertEquals(809 * 5, summary.get("negatives_found").asInt());
  }

  /**
   * The BEIR protocol through {@code reproduce}: train on SciFact train, evaluate on SciFact test
   * and zero-shot on another BEIR folder that has only qrels/test.tsv (a synthetic one written
   * here). The base model is the tiny DistilBERT fixture, so the test takes seconds; the plumbing
   * is what is checked, one result per evaluated dataset.
   */
  @Test
  void trainsOnScifactAndEvaluatesZeroShotOnATestOnlyFolder() throws IOException {
    Path testOnly = tmp.resolve("test-only");
    SyntheticDataset.write(new SyntheticDataset.Settings(400, 80, 3), testOnly);
    Files.delete(testOnly.resolve("qrels/train.tsv"));
    Path config = tmp.resolve("beir.yaml");
    Files.writeString(
        config,
        """
        name: beir
        train_on: {dataset: %s, split: train}
        datasets: [%s, %s]
        sources: [{type: bm25, num_negatives: 1}]
        seeds: [1]
        training: {model: %s, batch_size: 32, max_passage_length: 64}
        evaluation: {max_length: 64, metrics: [ndcg@10], top_k: 100}
        analysis: {hardness: false}
        """
            .formatted(
                scifact.toAbsolutePath(),
                scifact.toAbsolutePath(),
                testOnly,
                Fixtures.dir(Fixtures.BI_ENCODER)));
    Path results = tmp.resolve("beir-results");
    var o =
        CliTest.run(
            "reproduce",
            "-q",
            "--config=" + config,
            "--work=" + tmp.resolve("beir-work"),
            "--results=" + results);
    assertEquals(0, o.code(), o.err());
    for (String dataset : List.of("scifact", "test-only")) {
      for (String source : List.of("zero-shot/seed-0", "bm25/seed-1")) {
        Path cell = results.resolve("beir").resolve(dataset).resolve(source);
        assertTrue(Files.isRegularFile(cell.resolve("metrics.json")), cell.toString());
      }
      JsonNode m =
          new ObjectMapper()
              .readTree(
                  results
                      .resolve("beir")
                      .resolve(dataset)
                      .resolve("bm25/seed-1/metrics.json")
                      .toFile());
      assertEquals(919, m.path("training").path("triples").asInt(), m.toString());
      assertEquals("scifact", m.path("training").path("trained_on").asText(), m.toString());
    }
  }
}
