package dev.negbench.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.analysis.Significance;
import dev.negbench.results.CellResult;
import dev.negbench.results.GenerationSummary;
import dev.negbench.results.HardnessSummary;
import dev.negbench.results.JmhRatios;
import dev.negbench.results.Provenance;
import dev.negbench.results.ResultsStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  @TempDir Path dir;

  static final Provenance PROV =
      new Provenance(
          "abc",
          "sha",
          "c.yaml",
          Map.of(),
          Map.of("negbench", "dev"),
          "jvm",
          "os",
          "hw",
          "cpu",
          1.0,
          null);

  /** A result whose per-query nDCG@10 is {@code values}; queries q0, q1, ... */
  static CellResult cell(String dataset, String source, String type, long seed, double... values) {
    List<String> ids = new ArrayList<>();
    double sum = 0;
    for (int i = 0; i < values.length; i++) {
      ids.add("q" + i);
      sum += values[i];
    }
    Map<String, Double> means = new LinkedHashMap<>();
    means.put("ndcg@10", sum / values.length);
    return new CellResult(
        "exp",
        dataset,
        source,
        type,
        seed,
        "test",
        false,
        means,
        ids,
        Map.of("ndcg@10", values),
        Map.of());
  }

  private Path results() throws IOException {
    Path results = dir.resolve("results");
    ResultsStore store = new ResultsStore(results);
    double[] base = new double[20];
    double[] better = new double[20];
    double[] same = new double[20];
    for (int i = 0; i < 20; i++) {
      base[i] = 0.3 + 0.01 * i;
      better[i] = base[i] + 0.2;
      same[i] = base[i] + (i % 2 == 0 ? 0.01 : -0.01);
    }
    for (long seed : new long[] {1, 2}) {
      store.write(cell("scifact", "bm25", "bm25", seed, base), PROV);
      store.write(cell("scifact", "llm-<script>x", "llm", seed, better), PROV);
      store.write(cell("scifact", "dense", "dense", seed, same), PROV);
    }
    store.write(cell("scifact", CellResult.ZERO_SHOT, CellResult.ZERO_SHOT, 0, base), PROV);
    Path llm = store.cellDir("exp", "scifact", "llm-<script>x", 1);
    new GenerationSummary(
            "<script>gen</script>",
            "<script>alert(1)</script>",
            14.8,
            "1x H100",
            "H100",
            2.0,
            false,
            10,
            50,
            10,
            1000,
            5000,
            36.0,
            100,
            200,
            300,
            1)
        .write(llm.resolve(ResultsStore.GENERATION));
    new HardnessSummary("bm25", 10, 50, 0.5, 0.6, 0.7, 0.1, 0.8, 0.2, null, null, 0.3, 100, 120)
        .write(store.cellDir("exp", "scifact", "bm25", 1).resolve(ResultsStore.HARDNESS));
    Files.createDirectories(results.resolve("jmh"));
    Files.copy(Path.of("results/jmh/jmh-full.json"), results.resolve("jmh/jmh-full.json"));
    Files.copy(
        Path.of("results/jmh/bm25-mining-paired-1m.json"),
        results.resolve("jmh/bm25-mining-paired-1m.json"));
    Files.createDirectories(results.resolve("reference"));
    Files.copy(
        Path.of("results/reference/published.csv"), results.resolve("reference/published.csv"));
    return results;
  }

  @Test
  void tablesCarrySignificanceBestAndReferences() throws IOException {
    Report r = Report.build(results());
    assertEquals(1, r.datasets().size());
    Report.DatasetRow row = r.datasets().get(0);
    assertEquals(
        List.of(CellResult.ZERO_SHOT, "bm25", "dense", "llm-<script>x"),
        row.scores().stream().map(Report.Score::source).toList());
    Report.Score llm = row.score("llm-<script>x");
    assertTrue(llm.significant() && llm.direction() == 1 && llm.best(), llm.toString());
    // Every query better by 0.2: exact p would be 2 / 2^20; sampled with 10,000 permutations.
    assertTrue(llm.p() < 1e-3, llm.toString());
    Report.Score dense = row.score("dense");
    assertFalse(dense.significant(), dense.toString());
    assertEquals(1.0, dense.p(), 1e-12, "alternating +-0.01 on 20 queries sums to 0: p = 1");
    assertNull(row.score("bm25").p());
    assertEquals(2, llm.seeds());
    assertEquals(0.0, llm.sd(), 1e-12);
    // Every pair of the four sources tested, Holm over the six; the mark against bm25 is that
    // pair's.
    assertEquals(6, row.comparisons().size());
    var llmVsBm25 = SignificanceTests.pair(row.comparisons(), "llm-<script>x", "bm25");
    assertEquals("llm-<script>x", llmVsBm25.sourceA());
    assertEquals(0.2, llmVsBm25.delta(), 1e-9);
    assertEquals(llmVsBm25.pHolm(), llm.pHolm(), 0.0);
    assertTrue(llmVsBm25.ciLow() > 0.19 && llmVsBm25.ciHigh() < 0.21, llmVsBm25.toString());
    assertTrue(llm.ciLow() < llm.mean() && llm.mean() < llm.ciHigh(), llm.toString());
    assertEquals(1, r.generators().size());
    assertEquals(
        2.0 * 36 / 3600 / 50 * 1000,
        r.generators().get(0).generation().usdPer1000Negatives(),
        1e-12);
    assertEquals(1, r.hardness().size());
    assertFalse(r.jmh().isEmpty());
    assertTrue(
        r.reference().stream().anyMatch(x -> x.dataset().equals("scifact") && x.value() == 0.6789));

    Path out = dir.resolve("report");
    r.write(out);
    List<String> ndcg = Files.readAllLines(out.resolve("ndcg10.csv"));
    assertEquals(5, ndcg.size());
    assertTrue(
        ndcg.get(2).startsWith("exp,scifact,false,20,bm25,bm25,2,0.3950,0.0000,"), ndcg.get(2));
    String html = Files.readString(out.resolve("index.html"));
    assertTrue(html.contains("0.6789"), "published BM25 SciFact beside ours");
    assertTrue(html.contains("Bm25MiningBenchmark.mine"));
    // Mining and plain search timed in the same forks: their ratio from the seconds, per fork
    // beside it.
    var paired =
        JmhRatios.pairedRatios(
            r.jmh().stream()
                .filter(f -> f.file().equals("bm25-mining-paired-1m.json"))
                .findFirst()
                .orElseThrow()
                .kernels());
    assertEquals(2, paired.size());
    assertTrue(html.contains("paired, plainSeconds / mineSeconds"), "the paired table's heading");
    for (var x : paired) {
      assertTrue(
          html.contains(
              String.format(
                  Locale.ROOT,
                  "<td>%.3f</td><td>%.3f–%.3f</td>",
                  x.ratio(),
                  x.lowestFork(),
                  x.highestFork())),
          x.toString());
    }
    assertTrue(html.contains("<svg"));
  }

  @Test
  void dataIsEscapedAndThePageIsSelfContained() throws IOException {
    Report.build(results()).write(dir.resolve("report"));
    String html = Files.readString(dir.resolve("report/index.html"));
    assertFalse(html.contains("<script"), "no script element, from data or otherwise");
    assertTrue(html.contains("llm-&lt;script&gt;x"));
    assertTrue(html.contains("&lt;script&gt;gen&lt;/script&gt;"));
    assertFalse(
        html.contains("http://")
            && html.replace("http://www.w3.org/2000/svg", "").contains("http://"),
        "no external resources");
    assertFalse(html.contains("https://"));
    assertFalse(html.contains("<link"));
    assertFalse(html.contains("src="));
  }

  @Test
  void renderingTwiceGivesTheSameBytes() throws IOException {
    Path results = results();
    Report.build(results).write(dir.resolve("a"));
    Report.build(results).write(dir.resolve("b"));
    List<Path> files;
    try (Stream<Path> s = Files.list(dir.resolve("a"))) {
      files = s.sorted().toList();
    }
    assertEquals(
        List.of(
            "cost.csv",
            "generators.csv",
            "hardness.csv",
            "index.html",
            "jmh.csv",
            "metrics.csv",
            "ndcg10.csv",
            "ndcg10.tex",
            "significance.csv"),
        files.stream().map(f -> f.getFileName().toString()).toList());
    for (Path f : files) {
      assertArrayEquals(
          Files.readAllBytes(f),
          Files.readAllBytes(dir.resolve("b").resolve(f.getFileName())),
          f.toString());
    }
  }

  @Test
  void aResultMadeWithATestFixtureIsMarkedWhereverItAppears() throws IOException {
    Path results = results();
    ResultsStore store = new ResultsStore(results);
    String fixture = "source ce: ../src/test/resources/fixtures/bert-tiny-cross-encoder";
    double[] v = new double[20];
    for (int i = 0; i < 20; i++) {
      v[i] = 0.7 + 0.01 * i;
    }
    for (long seed : new long[] {1, 2}) {
      CellResult c = cell("scifact", "ce", "ce", seed, v);
      Map<String, Object> training =
          seed == 1
              ? Map.of("trained", true, "fixture_models", List.of(fixture))
              : Map.of("trained", true);
      store.write(
          new CellResult(
              c.experiment(),
              c.dataset(),
              c.source(),
              c.sourceType(),
              c.seed(),
              c.split(),
              c.synthetic(),
              c.metrics(),
              c.queryIds(),
              c.perQuery(),
              training),
          PROV);
    }
    new HardnessSummary("ce", 10, 50, 0.5, 0.6, 0.7, 0.1, 0.8, 0.2, null, null, 0.3, 100, 120)
        .write(store.cellDir("exp", "scifact", "ce", 1).resolve(ResultsStore.HARDNESS));
    Report r = Report.build(results);
    assertEquals(
        List.of(fixture),
        r.fixtureModels("exp", "scifact", "ce"),
        "one seed's record marks the source");
    assertEquals(List.of(fixture), r.fixtureModels("exp", null, "ce"));
    assertEquals(List.of(), r.fixtureModels("exp", "scifact", "bm25"));
    assertEquals("ce" + Report.FIXTURE_MARK, r.label("exp", "scifact", "ce"));
    assertEquals("bm25", r.label("exp", "scifact", "bm25"));

    // The fixture's 0.795 is the highest, but the row's best (bold) is the best real source, llm's
    // 0.595.
    assertFalse(r.datasets().get(0).score("ce").best());
    assertTrue(r.datasets().get(0).score("llm-<script>x").best());

    Path out = dir.resolve("report");
    r.write(out);
    String html = Files.readString(out.resolve("index.html"));
    // Each section on its own: the page's h2 headings in order.
    Map<String, String> sections = new LinkedHashMap<>();
    String[] parts = html.split("<h2>");
    for (int i = 1; i < parts.length; i++) {
      sections.put(parts[i].substring(0, parts[i].indexOf("</h2>")), parts[i]);
    }
    String ndcg = sections.get("nDCG@10 by dataset and negative source");
    assertTrue(
        ndcg.contains("title=\"test fixture: " + fixture + "\">†</span>"), "the nDCG@10 cell");
    assertTrue(
        ndcg.contains("exp / scifact / ce: " + fixture),
        "the note under the table names the model");
    assertTrue(ndcg.contains(">ce †</text>"), "the chart's label");
    for (String h :
        List.of(
            "Every pair of sources",
            "Retrieve or generate: what each source's negatives cost",
            "Negative hardness")) {
      String section = sections.get(h);
      assertNotNull(section, h + " in " + sections.keySet());
      assertTrue(
          section.contains("<td class=\"l\">ce †</td>")
              && section.contains("<p class=\"note\">†: made with a TEST FIXTURE"),
          h);
      assertFalse(section.contains("<td class=\"l\">bm25 †</td>"), h);
    }
    String generators = sections.get("Generators: cost and quality");
    assertFalse(generators.contains("†"), "no fixture among the generators: no mark, no note");
    String tex = Files.readString(out.resolve("ndcg10.tex"));
    assertTrue(
        tex.contains("\\textsuperscript{\\dag}")
            && tex.contains(
                "% \\dag scifact / ce: source ce: ../src/test/resources/fixtures/bert-tiny-cross-encoder"),
        tex);
    for (String csv :
        List.of("ndcg10.csv", "cost.csv", "hardness.csv", "significance.csv", "metrics.csv")) {
      List<String> lines = Files.readAllLines(out.resolve(csv));
      assertTrue(lines.get(0).endsWith(",fixture_models"), csv + ": " + lines.get(0));
      assertTrue(
          lines.stream().anyMatch(l -> l.contains(",ce,") && l.endsWith("," + fixture)), csv);
      assertTrue(
          lines.stream()
              .filter(l -> l.contains(",bm25,") && !l.contains(",ce,"))
              .allMatch(l -> l.endsWith(",")),
          csv + ": real sources have none");
    }
  }

  @Test
  void resultsRoundTrip() throws IOException {
    Path results = results();
    CellResult back =
        ResultsStore.read(new ResultsStore(results).cellDir("exp", "scifact", "dense", 2));
    assertEquals("dense", back.source());
    assertEquals(2, back.seed());
    assertEquals(20, back.queryIds().size());
    assertEquals(0.31, back.perQuery().get("ndcg@10")[0], 1e-9);
    assertEquals(
        Significance.MeanSd.of(back.perQuery().get("ndcg@10")).mean(),
        back.metric("ndcg@10"),
        1e-4);
    assertNotNull(back.training());
  }
}
