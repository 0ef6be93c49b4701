package dev.negbench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.results.CellResult;
import dev.negbench.results.GenerationSummary;
import dev.negbench.results.NegativesCost;
import dev.negbench.results.Provenance;
import dev.negbench.results.ResultsStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tables a paper takes: every pair tested, across datasets too, the LaTeX table, the cost of
 * every source.
 */
class ReportPaperTablesTest {
  @TempDir Path dir;

  private static final Provenance PROV = ReportTest.PROV;

  private static CellResult cell(
      String dataset, String source, String type, long seed, double... values) {
    return ReportTest.cell(dataset, source, type, seed, values);
  }

  private static double[] plus(double[] base, double d) {
    double[] v = base.clone();
    for (int i = 0; i < v.length; i++) {
      v[i] += d;
    }
    return v;
  }

  /** Two datasets, bm25 / dense / an LLM source; dense 0.1 above bm25 on d1 and 0.2 on d2. */
  private Path results() {
    Path results = dir.resolve("results");
    ResultsStore store = new ResultsStore(results);
    double[] base = new double[12];
    for (int i = 0; i < base.length; i++) {
      base[i] = 0.3 + 0.02 * i;
    }
    store.write(cell("d1", "bm25", "bm25", 1, base), PROV);
    store.write(cell("d1", "dense", "dense", 1, plus(base, 0.1)), PROV);
    store.write(cell("d1", "llm", "llm", 1, plus(base, -0.05)), PROV);
    store.write(cell("d2", "bm25", "bm25", 1, base), PROV);
    store.write(cell("d2", "dense", "dense", 1, plus(base, 0.2)), PROV);
    store.write(cell("d2", "llm", "llm", 1, plus(base, -0.05)), PROV);
    for (String ds : List.of("d1", "d2")) {
      new NegativesCost(
              "bm25",
              "bm25",
              200,
              List.of(
                  new NegativesCost.Part(
                      "mine (bm25)",
                      2.0,
                      "cpu",
                      0.09,
                      1,
                      Map.of(NegativesCost.QUERIES_SEARCHED, 100L)),
                  new NegativesCost.Part(
                      "BM25 index",
                      34.0,
                      "cpu",
                      0.09,
                      1,
                      Map.of(NegativesCost.DOCUMENTS_INDEXED, 1000L))),
              "test")
          .write(store.cellDir("exp", ds, "bm25", 1).resolve(ResultsStore.COST));
      // The LLM source has only generation.json, as results from before cost.json: its cost is
      // derived from it.
      new GenerationSummary(
              "qwen3-4b",
              "sim:Qwen/Qwen3-4B",
              4.0,
              "simulator",
              "H100",
              3.0,
              true,
              100,
              100,
              100,
              1000,
              5000,
              36.0,
              1,
              2,
              3,
              2)
          .write(store.cellDir("exp", ds, "llm", 1).resolve(ResultsStore.GENERATION));
    }
    return results;
  }

  @Test
  void everyPairPerDatasetAndAcrossDatasets() throws IOException {
    Report.build(results()).write(dir.resolve("report"));
    List<String> sig = Files.readAllLines(dir.resolve("report/significance.csv"));
    assertEquals(
        "experiment,dataset,source_a,source_b,delta,ci_low,ci_high,p,p_holm,fixture_models",
        sig.get(0));
    // Three sources: three pairs on each dataset and three across them.
    assertEquals(1 + 3 + 3 + 3, sig.size(), String.join("\n", sig));
    // d1: dense 0.1 above bm25 on each of 12 queries: every bootstrap resample gives 0.1; the
    // randomization test enumerates 2^12 sign patterns, 2 reach it: p = 2/4096; all three pairs of
    // d1 have constant differences, so Holm multiplies the smallest by 3: 0.0015.
    assertTrue(
        sig.contains("exp,d1,dense,bm25,0.1000,0.1000,0.1000,0.0005,0.0015,"),
        String.join("\n", sig));
    // Across the two datasets: mean difference (0.1 + 0.2) / 2 = 0.15; the bootstrap over two
    // datasets draws {d1,d1} 0.1, {d1,d2} and {d2,d1} 0.15, {d2,d2} 0.2, so the 95% interval is
    // [0.1, 0.2]; Wilcoxon on two positive differences: ranks 1 and 2, |sum| 3 in 2 of 4 sign
    // patterns, p = 0.5; Holm over the three pairs: sorted p's 0.5, 0.5 and llm-dense's 0.5 give 1.
    String all =
        sig.stream().filter(l -> l.startsWith("exp,ALL,dense,bm25,")).findFirst().orElseThrow();
    assertEquals("exp,ALL,dense,bm25,0.1500,0.1000,0.2000,0.5000,1.0000,", all);
  }

  @Test
  void latexTableHasTheHtmlTablesNumbers() throws IOException {
    Report.build(results()).write(dir.resolve("report"));
    String tex = Files.readString(dir.resolve("report/ndcg10.tex"));
    String html = Files.readString(dir.resolve("report/index.html"));
    assertTrue(
        tex.contains("\\toprule") && tex.contains("\\midrule") && tex.contains("\\bottomrule"),
        tex);
    // Rows d1, d2, Average; columns bm25, dense, llm (report order: mined, then generated).
    List<String> texNumbers = numbers(Pattern.compile("(?<=[ {])(\\d\\.\\d{4})(?=[ }\\\\])"), tex);
    String table =
        html.substring(
            html.indexOf("<table class=\"ndcg\">"),
            html.indexOf("</table>", html.indexOf("<table class=\"ndcg\">")));
    List<String> htmlNumbers =
        numbers(Pattern.compile("<span class=\"v\">(\\d\\.\\d{4})</span>"), table);
    assertEquals(9, htmlNumbers.size(), table);
    assertEquals(htmlNumbers, texNumbers);
    // Best of each row in bold in both: dense everywhere.
    assertTrue(tex.contains("d1 & 0.4100 & \\textbf{0.5100}"), tex);
    assertTrue(tex.contains("Average & 0.4100 & \\textbf{0.5600}"), tex);
    assertTrue(table.contains("<td class=\"best\"><span class=\"v\">0.5600</span>"), table);
    // d1: dense beats bm25 on every query by 0.1 (relabelling p exact: 2 / 2^12, Holm x3 < 0.05):
    // marked in both.
    assertTrue(
        tex.contains("\\textbf{0.5100}\\textsuperscript{\\ensuremath{\\blacktriangle}}"), tex);
    assertTrue(tex.contains("0.3600\\textsuperscript{\\ensuremath{\\blacktriangledown}}"), tex);
    assertTrue(table.contains("▲") && table.contains("▼"));
  }

  @Test
  void costOfEverySourceMinedAndGenerated() throws IOException {
    Report r = Report.build(results());
    r.write(dir.resolve("report"));
    List<String> cost = Files.readAllLines(dir.resolve("report/cost.csv"));
    assertEquals(
        "experiment,dataset,source,negatives,seconds,device,usd,usd_per_1000_negatives,ndcg@10,delta_vs_bm25,fixture_models",
        cost.get(0));
    assertEquals(1 + 2 * 3, cost.size(), String.join("\n", cost));
    // bm25 on d1: 36 s on a US$ 0.09 CPU hour = US$ 0.0009 for 200 negatives = 0.0045 per 1,000.
    assertEquals("exp,d1,bm25,200,36.0,cpu,0.000900,0.004500,0.4100,0.0000,", cost.get(1));
    // llm from generation.json: 36 s on 2 H100 at US$ 3 = US$ 0.06 for 100 negatives, 0.6 per
    // 1,000.
    assertTrue(
        cost.contains("exp,d1,llm,100,36.0,2x H100 (simulated),0.060000,0.600000,0.3600,-0.0500,"),
        String.join("\n", cost));
    // dense has no cost recorded: its row says so with empty cells.
    assertTrue(cost.contains("exp,d1,dense,,,,,,0.5100,0.1000,"), String.join("\n", cost));
    String html = Files.readString(dir.resolve("report/index.html"));
    assertTrue(html.contains("US$ per 1,000 negatives (log scale)"));
    assertFalse(r.stageRates().isEmpty());
  }

  @Test
  void aPartSharedBySeedsIsCountedOnce() throws IOException {
    Path results = dir.resolve("shared");
    ResultsStore store = new ResultsStore(results);
    NegativesCost.Part index =
        new NegativesCost.Part(
            "bm25: BM25 index",
            30.0,
            "cpu",
            0.1,
            1,
            Map.of(NegativesCost.DOCUMENTS_INDEXED, 1000L));
    for (long seed : new long[] {1, 2}) {
      store.write(cell("d1", "mix", "mix", seed, 0.5, 0.6), PROV);
      // Each seed's mix: its own part (per seed) and the BM25 index both seeds' mixes read.
      new NegativesCost(
              "mix",
              "mix",
              100,
              List.of(new NegativesCost.Part("mix", 3.0 * seed, "cpu", 0.1, 1, Map.of()), index),
              "test")
          .write(store.cellDir("exp", "d1", "mix", seed).resolve(ResultsStore.COST));
    }
    Report.build(results).write(dir.resolve("shared-report"));
    // 3 s + 6 s of mixing and the index's 30 s once: 39 s at US$ 0.1 an hour for 200 negatives.
    assertEquals(
        "exp,d1,mix,200,39.0,cpu,0.001083,0.005417,0.5500,,",
        Files.readAllLines(dir.resolve("shared-report/cost.csv")).get(1));
  }

  private static List<String> numbers(Pattern p, String text) {
    List<String> out = new ArrayList<>();
    Matcher m = p.matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
