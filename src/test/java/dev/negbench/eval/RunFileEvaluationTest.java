package dev.negbench.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.data.Qrels;
import dev.negbench.data.TrecRun;
import dev.negbench.io.DatasetFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streamed evaluation of a run file equals the in-memory one ({@link TrecEval#evaluate} of
 * {@link TrecRun#read}) value for value, however the file is cut into ranges and whether or not its
 * queries' lines are consecutive.
 */
class RunFileEvaluationTest {
  private static final List<Metric> METRICS =
      Metric.parseAll(List.of("ndcg@10", "recall@100", "mrr", "map", "precision@5"));

  @TempDir Path dir;

  static void assertSameValues(EvaluationResult expected, EvaluationResult actual) {
    assertEquals(expected.queryIds(), actual.queryIds());
    for (Metric m : expected.metrics()) {
      for (String q : expected.queryIds()) {
        assertEquals(expected.value(m, q), actual.value(m, q), 0.0, m.name() + " of " + q);
      }
      assertEquals(expected.mean(m), actual.mean(m), 0.0, m.name());
    }
  }

  /**
   * 60 queries of up to 300 hits, scores with ties, several number forms; qrels with grades 0-2.
   */
  private static Map<String, List<String>> randomRun(Random random, StringBuilder qrels) {
    Map<String, List<String>> lines = new LinkedHashMap<>();
    qrels.append("query-id\tcorpus-id\tscore\n");
    for (int q = 0; q < 60; q++) {
      String qid = "q" + q;
      List<String> hits = new ArrayList<>();
      int n = q == 7 ? 0 : 1 + random.nextInt(300);
      for (int i = 0; i < n; i++) {
        double score = random.nextInt(4) == 0 ? random.nextInt(5) : random.nextGaussian() * 10;
        String text =
            switch (random.nextInt(5)) {
              case 0 -> String.format(Locale.ROOT, "%.6f", score);
              case 1 -> Double.toString(score);
              case 2 -> String.format(Locale.ROOT, "%.3e", score);
              case 3 -> String.format(Locale.ROOT, "%.17f", score);
              default -> String.format(Locale.ROOT, "%+.2f", score);
            };
        hits.add(
            qid
                + (random.nextBoolean() ? " Q0 " : "\tQ0\t")
                + "d"
                + i
                + " "
                + (i + 1)
                + " "
                + text
                + " tag");
        if (random.nextInt(20) == 0) {
          qrels
              .append(qid)
              .append('\t')
              .append("d")
              .append(i)
              .append('\t')
              .append(random.nextInt(3))
              .append('\n');
        }
      }
      if (q % 3 == 0) {
        qrels.append(qid).append("\tunretrieved\t1\n");
      }
      if (n > 0) {
        lines.put(qid, hits);
      }
    }
    return lines;
  }

  /** A random run into {@code run} (query id to its lines), its qrels written and read back. */
  private Qrels writeRandom(Random random, Map<String, List<String>> run) throws IOException {
    StringBuilder qrelsText = new StringBuilder();
    run.putAll(randomRun(random, qrelsText));
    Files.writeString(dir.resolve("qrels.tsv"), qrelsText);
    return Qrels.read(dir.resolve("qrels.tsv"));
  }

  private Path write(String name, List<String> lines) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, lines);
    return file;
  }

  @Test
  void aGroupedRunCutIntoManyRangesScoresAsInMemory() throws IOException {
    Random random = new Random(11);
    Map<String, List<String>> run = new LinkedHashMap<>();
    Qrels qrels = writeRandom(random, run);
    List<String> lines = new ArrayList<>();
    run.values().forEach(lines::addAll);
    lines.add(5, ""); // a blank line is skipped
    Path file = write("grouped.run", lines);
    EvaluationResult expected = TrecEval.evaluate(qrels, TrecRun.read(file), METRICS);
    for (int threads : new int[] {1, 2, 3, 7, 64}) {
      // minRangeBytes 1: as many ranges as threads, so queries are cut at range boundaries.
      RunFileEvaluation.Outcome outcome =
          RunFileEvaluation.evaluate(qrels, file, METRICS, threads, 1);
      assertTrue(outcome.grouped(), "threads " + threads);
      assertSameValues(expected, outcome.result());
      // q7 has no hits; of the qrels queries, those without a single judged hit still count
      assertEquals(
          qrels.queryIds().stream().filter(q -> !run.containsKey(q)).count(),
          outcome.queriesWithoutHits());
    }
  }

  @Test
  void aRunWhoseQueriesAreScatteredIsGroupedThroughTemporaryFiles() throws IOException {
    Random random = new Random(12);
    Map<String, List<String>> run = new LinkedHashMap<>();
    Qrels qrels = writeRandom(random, run);
    List<String> lines = new ArrayList<>();
    run.values().forEach(lines::addAll);
    Collections.shuffle(lines, random);
    Path file = write("scattered.run", lines);
    EvaluationResult expected = TrecEval.evaluate(qrels, TrecRun.read(file), METRICS);
    List<Path> before = spillFolders();
    for (int threads : new int[] {1, 4}) {
      RunFileEvaluation.Outcome outcome =
          RunFileEvaluation.evaluate(qrels, file, METRICS, threads, 1);
      assertFalse(outcome.grouped());
      assertSameValues(expected, outcome.result());
    }
    assertEquals(before, spillFolders(), "the spill folders are removed");
  }

  private static List<Path> spillFolders() throws IOException {
    try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files
          .filter(p -> p.getFileName().toString().startsWith("negbench-run-groups"))
          .sorted()
          .toList();
    }
  }

  @Test
  void aQueryThatComesBackInALaterRangeIsNotTakenForGrouped() throws IOException {
    // q1's lines sit at the start and at the end, far apart: each range alone looks grouped.
    List<String> lines = new ArrayList<>();
    lines.add("q1 Q0 a 1 9.0 t");
    for (int i = 0; i < 40; i++) {
      lines.add("q2 Q0 d" + i + " " + (i + 1) + " " + (40 - i) + ".0 t");
    }
    lines.add("q1 Q0 b 2 8.0 t");
    Path file = write("split.run", lines);
    Files.writeString(
        dir.resolve("qrels.tsv"), "query-id\tcorpus-id\tscore\nq1\tb\t1\nq2\td3\t1\n");
    Qrels qrels = Qrels.read(dir.resolve("qrels.tsv"));
    RunFileEvaluation.Outcome outcome = RunFileEvaluation.evaluate(qrels, file, METRICS, 4, 1);
    assertFalse(outcome.grouped());
    // q1: b is the relevant one, at rank 2 of (a, b): mrr 1/2
    assertEquals(0.5, outcome.result().value(Metric.parse("mrr"), "q1"), 0.0);
    assertSameValues(TrecEval.evaluate(qrels, TrecRun.read(file), METRICS), outcome.result());
  }

  @Test
  void aDuplicateDocumentNamesTheRunFile() throws IOException {
    Path file = write("dup.run", List.of("q1 Q0 a 1 2.0 t", "q1 Q0 a 2 1.0 t"));
    Files.writeString(dir.resolve("qrels.tsv"), "query-id\tcorpus-id\tscore\nq1\ta\t1\n");
    DatasetFormatException e =
        assertThrows(
            DatasetFormatException.class,
            () ->
                RunFileEvaluation.evaluate(Qrels.read(dir.resolve("qrels.tsv")), file, METRICS, 2));
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("'a'"), e.getMessage());
  }
}
