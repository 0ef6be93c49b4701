package dev.negbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.results.CellResult;
import dev.negbench.results.JmhRatios;
import dev.negbench.results.JmhResults;
import dev.negbench.results.ResultsStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The tables of measured numbers in the README and docs/ (docs/results/ holds most of them) agree
 * with the committed result files they come from: the kernel tables with {@code
 * results/jmh/*.json}, the SciFact tables with {@code results/scifact} and the committed report. A
 * number that no longer holds fails here, naming the row.
 */
class ReadmeFiguresTest {
  private static final List<String> README = lines();

  /** The README's lines, then those of every page under docs/, where most figures now stand. */
  private static List<String> lines() {
    try {
      List<String> all = new ArrayList<>();
      for (Path page : DocsLinksTest.pages(Path.of(""))) {
        all.addAll(Files.readAllLines(page));
      }
      return all;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String n(double v, int decimals) {
    return String.format(Locale.ROOT, "%,." + decimals + "f", v);
  }

  private static JmhResults.Kernel run(String file, String method, Map<String, String> params) {
    for (JmhResults.Kernel r : JmhResults.read(Path.of("results/jmh", file)).kernels()) {
      if (r.method().equals(method) && r.params().entrySet().containsAll(params.entrySet())) {
        return r;
      }
    }
    throw new AssertionError(file + " has no " + method + " at " + params);
  }

  /** Every README line matching {@code p}, at least {@code min} of them. */
  private static List<Matcher> rows(Pattern p, int min) {
    List<Matcher> out = README.stream().map(p::matcher).filter(Matcher::matches).toList();
    assertEquals(true, out.size() >= min, "README rows matching " + p + ": " + out.size());
    return out;
  }

  @Test
  void bm25MiningTableIsJmhFull() {
    for (Matcher m :
        rows(
            Pattern.compile(
                "\\| (?:BM25 mining, top-100)? ?\\| ([\\d,]+) \\| (\\d) \\| ([\\d,]+) ± ([\\d,]+) \\| ([\\d,]+) ± ([\\d,]+) \\| ([\\d.]+) \\|"),
            4)) {
      Map<String, String> p = Map.of("docs", m.group(1).replace(",", ""), "threads", m.group(2));
      assertEquals(mineAgainstPlain(m, 3), mineAgainstPlain("jmh-full.json", p), m.group());
    }
  }

  /** A README row's "mine ± error | plain ± error | ratio" from group {@code first} on. */
  private static String mineAgainstPlain(Matcher m, int first) {
    return m.group(first)
        + " ± "
        + m.group(first + 1)
        + " | "
        + m.group(first + 2)
        + " ± "
        + m.group(first + 3)
        + " | "
        + m.group(first + 4);
  }

  /**
   * The same figures of Bm25MiningBenchmark's mine and plainSearch at {@code params} in {@code
   * file}.
   */
  private static String mineAgainstPlain(String file, Map<String, String> params) {
    JmhResults.Kernel mine = run(file, "mine", params);
    JmhResults.Kernel plain = run(file, "plainSearch", params);
    return n(mine.score(), 0)
        + " ± "
        + n(mine.error(), 0)
        + " | "
        + n(plain.score(), 0)
        + " ± "
        + n(plain.error(), 0)
        + " | "
        + n(mine.score() / plain.score(), 2);
  }

  @Test
  void denseSearchAtAMillionIsItsResultFiles() {
    Pattern row =
        Pattern.compile(
            "\\s*\\| (calibrated|isotropic) \\| hnsw \\| (none|int8) \\| ([\\d.]+) \\| ([\\d,.]+) ± ([\\d,.]+) \\| ([\\d.]+) \\| ([\\d,.]+) ± ([\\d,.]+) \\| ([\\d.]+)x \\|");
    for (Matcher m : rows(row, 6)) {
      Map<String, String> p =
          Map.of(
              "docs",
              "1000000",
              "threads",
              "2",
              "index",
              "hnsw",
              "vectors",
              m.group(1),
              "quantize",
              m.group(2),
              "oversample",
              m.group(3));
      JmhResults.Kernel hnsw = run("dense-search-1m.json", "search", p);
      Map<String, String> e = new HashMap<>(p);
      e.put("index", "exact");
      JmhResults.Kernel exact = run("dense-search-1m.json", "search", e);
      assertEquals(
          String.join(
              " | ", m.group(4), m.group(5), m.group(6), m.group(7), m.group(8), m.group(9)),
          String.join(
              " | ",
              n(hnsw.score(), 1),
              n(hnsw.error(), 1),
              n(hnsw.recall(), 4),
              n(exact.score(), 1),
              n(exact.error(), 1),
              n(hnsw.score() / exact.score(), 2)),
          m.group());
    }
    // The exact scan and the two GEMM references, one JMH run.
    Pattern peak =
        Pattern.compile(
            "\\s*\\| [^|]+ \\| `(search|gemmPeak|gemmVectorApi)` \\| ([\\d,.]+) ± ([\\d,.]+) \\| ([\\d,.]+) \\| (\\d+%|–) \\|");
    Map<String, String> at =
        Map.of(
            "docs",
            "1000000",
            "threads",
            "2",
            "index",
            "exact",
            "quantize",
            "none",
            "oversample",
            "2");
    double scan = run("dense-peak-1m.json", "search", at).flopRate();
    for (Matcher m : rows(peak, 3)) {
      JmhResults.Kernel r = run("dense-peak-1m.json", m.group(1), at);
      assertEquals(
          String.join(" | ", m.group(2), m.group(3), m.group(4), m.group(5)),
          String.join(
              " | ",
              n(r.score(), 1),
              n(r.error(), 1),
              n(r.flopRate() / 1e9, 1),
              m.group(1).equals("search")
                  ? "–"
                  : String.format(Locale.ROOT, "%.0f%%", 100 * scan / r.flopRate())),
          m.group());
    }
  }

  @Test
  void bm25MiningAtAMillionIsItsResultFile() {
    for (Matcher m :
        rows(
            Pattern.compile(
                "\\s*\\| (top|random) \\| (\\d) \\| ([\\d,]+) ± ([\\d,]+) \\| ([\\d,]+) ± ([\\d,]+) \\| ([\\d.]+) \\|"),
            4)) {
      Map<String, String> p =
          Map.of("docs", "1000000", "sampling", m.group(1), "threads", m.group(2));
      assertEquals(mineAgainstPlain(m, 3), mineAgainstPlain("bm25-mining-1m.json", p), m.group());
    }
  }

  /**
   * The paired rows: seconds each side of {@code paired} spent, summed over forks and iterations,
   * their ratio (plain / mine: mine's speed against plain's) and its range over the forks.
   */
  @Test
  void bm25PairedAtAMillionIsItsResultFile() {
    for (Matcher m :
        rows(
            Pattern.compile(
                "\\s*\\| (top|random) \\| (\\d) \\| ([\\d.]+) \\| ([\\d.]+) \\| ([\\d.]+) \\| ([\\d.]+)-([\\d.]+) \\|"),
            2)) {
      checkPaired("bm25-mining-1m.json", m, 1);
    }
  }

  /** The paired rows measured after the last change of the miner name their results file first. */
  @Test
  void bm25PairedAfterTheLastChangeIsItsResultFile() {
    for (Matcher m :
        rows(
            Pattern.compile(
                "\\s*\\| ([\\w-]+\\.json) \\| (top|random) \\| (\\d) \\| ([\\d.]+) \\| ([\\d.]+) \\| ([\\d.]+) \\| ([\\d.]+)-([\\d.]+) \\|"),
            2)) {
      checkPaired(m.group(1), m, 2);
    }
  }

  /**
   * Row {@code m} from group {@code first} on (sampling, threads, the two sums, ratio, range)
   * against {@code file}.
   */
  private static void checkPaired(String file, Matcher m, int first) {
    JmhRatios.PairedRatio found = null;
    for (JmhRatios.PairedRatio r :
        JmhRatios.pairedRatios(JmhResults.read(Path.of("results/jmh", file)).kernels())) {
      Map<String, String> params = r.run().params();
      if ("1000000".equals(params.get("docs"))
          && m.group(first).equals(params.get("sampling"))
          && m.group(first + 1).equals(params.get("threads"))) {
        found = r;
      }
    }
    assertNotNull(found, file + " has no paired run for " + m.group());
    assertEquals(
        String.join(
            " | ",
            m.group(first + 2),
            m.group(first + 3),
            m.group(first + 4),
            m.group(first + 5) + "-" + m.group(first + 6)),
        String.join(
            " | ",
            n(found.variantSeconds(), 2),
            n(found.baselineSeconds(), 2),
            n(found.ratio(), 3),
            n(found.lowestFork(), 2) + "-" + n(found.highestFork(), 2)),
        m.group());
  }

  @Test
  void indexBuildAtAMillionIsItsResultFile() {
    for (Matcher m :
        rows(
            Pattern.compile(
                "\\s*\\| (bm25|hnsw) \\| ([\\d,]+) \\| (\\d) \\| ([\\d,]+) \\| ([\\d,.]+) \\|"),
            2)) {
      Map<String, String> p =
          Map.of("index", m.group(1), "docs", m.group(2).replace(",", ""), "threads", m.group(3));
      JmhResults.Kernel build = run("index-build-1m.json", "build", p);
      assertEquals(
          m.group(4) + " | " + m.group(5),
          n(build.score() * Double.parseDouble(p.get("docs")), 0) + " | " + n(1 / build.score(), 1),
          m.group());
    }
  }

  @Test
  void crossEncoderTableIsItsResultFile() {
    Pattern row =
        Pattern.compile(
            "\\| (tiny|MiniLM-L6) \\| (\\d+) \\| (\\d+) \\| ([\\d,.]+) \\| ([\\d,.]+) \\| ([\\d.]+) \\| ([\\d.]+) \\| ([\\d.]+) \\|");
    for (Matcher m : rows(row, 12)) {
      Map<String, String> p =
          Map.of(
              "model",
              m.group(1).equals("tiny") ? "tiny" : "minilm",
              "maxLength",
              m.group(2),
              "batchSize",
              m.group(3));
      JmhResults.Kernel bucketed = run("cross-encoder.json", "bucketed", p);
      JmhResults.Kernel naive = run("cross-encoder.json", "naivePadding", p);
      JmhResults.Kernel peak = run("cross-encoder.json", "gemmPeak", p);
      assertEquals(
          String.join(" | ", m.group(4), m.group(5), m.group(6), m.group(7), m.group(8)),
          String.join(
              " | ",
              n(bucketed.score(), 1),
              n(naive.score(), 1),
              n(bucketed.score() / naive.score(), 2),
              n(bucketed.flopRate() / 1e9, 1),
              n(peak.flopRate() / 1e9, 1)),
          m.group());
    }
  }

  @Test
  void generationTableIsItsResultFile() {
    for (Matcher m :
        rows(
            Pattern.compile(
                "\\s*\\| ([\\d,]+) \\| ([\\d,]+) ± ([\\d,]+) \\| ([\\d,]+) ± ([\\d,]+) \\| ([\\d.]+) \\|"),
            2)) {
      Map<String, String> p = Map.of("concurrency", m.group(1).replace(",", ""));
      JmhResults.Kernel client = run("generation.json", "client", p);
      JmhResults.Kernel bare = run("generation.json", "bareHttpClient", p);
      assertEquals(
          String.join(" | ", m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)),
          String.join(
              " | ",
              n(client.score(), 0),
              n(client.error(), 0),
              n(bare.score(), 0),
              n(bare.error(), 0),
              n(client.score() / bare.score(), 2)),
          m.group());
    }
  }

  /**
   * README's SciFact table, three seeds a source: mean ± sd from the committed report, each seed's
   * nDCG@10 from its result.
   */
  @Test
  void sciFactTableIsTheCommittedResults() throws IOException {
    Map<String, String> sources =
        Map.of(
            "zero-shot all-MiniLM-L6-v2 (published: 0.6451)",
            CellResult.ZERO_SHOT,
            "BM25 negatives",
            "bm25",
            "dense (MiniLM) negatives",
            "dense",
            "cross-encoder (trained here) negatives",
            "ce",
            "the same cross-encoder in int8",
            "ce-int8");
    Pattern row =
        Pattern.compile(
            "\\s*\\| ([^|]+?) \\| (0\\.\\d{4}) ± (0\\.\\d{4}) \\| (0\\.\\d{4}) \\| (0\\.\\d{4}) \\| (0\\.\\d{4}(?:, 0\\.\\d{4})*) \\|");
    for (Matcher m : rows(row, 4)) {
      String source = sources.get(m.group(1));
      assertNotNull(source, "README SciFact row " + m.group(1) + " names no committed source");
      String[] ndcg = null;
      for (String line : Files.readAllLines(Path.of("report/ndcg10.csv"))) {
        String[] c = line.split(",", -1);
        if (c[0].equals("scifact") && c[1].equals("scifact") && c[4].equals(source)) {
          ndcg =
              c; // experiment, dataset, synthetic, queries, source, ..., ndcg@10_mean, ndcg@10_sd
        }
      }
      assertNotNull(ndcg, "report/ndcg10.csv has no row for " + source);
      List<String> seeds = new ArrayList<>();
      for (int seed : source.equals(CellResult.ZERO_SHOT) ? new int[] {0} : new int[] {1, 2, 3}) {
        CellResult r =
            ResultsStore.read(
                new ResultsStore(Path.of("results")).cellDir("scifact", "scifact", source, seed));
        seeds.add(n(r.metric("ndcg@10"), 4));
      }
      assertEquals(
          String.join(" | ", m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)),
          String.join(
              " | ",
              ndcg[7],
              ndcg[8],
              reportRow("metrics.csv", "scifact", "scifact", source, "recall@100")[5],
              reportRow("metrics.csv", "scifact", "scifact", source, "mrr@10")[5],
              String.join(", ", seeds)),
          m.group());
    }
  }

  /**
   * The reranking table: evaluate's output for each run, committed with the script that made them.
   */
  @Test
  void sciFactRerankingTableIsItsEvalFiles() {
    Map<String, String> reranked =
        Map.of(
            "BM25 (`bm25-search`)",
            "bm25-test.eval",
            "BM25 top 100 reranked by the trained cross-encoder, first recipe",
            "first-recipe/ce-test.eval",
            "BM25 top 100 reranked by the trained cross-encoder, second recipe",
            "ce-test.eval",
            "BM25 top 100 reranked by the trained cross-encoder, third recipe",
            "third-recipe/ce-test.eval");
    int found = 0;
    for (Matcher m :
        rows(
            Pattern.compile(
                "\\s*\\| ([^|]+?) \\| (0\\.\\d{4}) \\| (0\\.\\d{4}) \\| (0\\.\\d{4}) \\| [^|]*\\|"),
            4)) {
      if (reranked.containsKey(m.group(1))) {
        found++;
        Map<String, String> eval =
            evalMetrics(
                Path.of("results/baselines/scifact-ce-rerank").resolve(reranked.get(m.group(1))));
        assertEquals(
            m.group(2) + " " + m.group(3) + " " + m.group(4),
            eval.get("ndcg@10") + " " + eval.get("recall@100") + " " + eval.get("mrr@10"),
            m.group());
      }
    }
    // int8.md repeats the BM25 row (the same run's figures), so it may be found twice.
    assertTrue(found >= reranked.size(), "README's reranking rows: " + found);
  }

  @Test
  void int8SpeedTableIsItsResultFile() {
    Map<String, String> methods =
        Map.of("cross-encoder scoring, pairs/s", "bucketed", "encoding, documents/s", "encode");
    List<Matcher> found =
        rows(
            Pattern.compile(
                "\\| (cross-encoder scoring, pairs/s|encoding, documents/s) \\| ([\\d.]+ ± [\\d.]+)"
                    + " \\| ([\\d.]+ ± [\\d.]+) \\| ([\\d.]+ ± [\\d.]+) \\| ([\\d.]+)x[^|]*"
                    + "\\| ([\\d.]+)x[^|]*\\|"),
            2);
    for (Matcher m : found) {
      String method = methods.get(m.group(1));
      List<String> cells = new ArrayList<>();
      double[] scores = new double[3];
      int i = 0;
      for (String q : List.of("none", "int8", "langchain4j-int8")) {
        JmhResults.Kernel k =
            run(
                "int8.json",
                method,
                Map.of("model", "minilm", "threads", "2", "maxLength", "256", "quantize", q));
        cells.add(n(k.score(), 1) + " ± " + n(k.error(), 1));
        scores[i++] = k.score();
      }
      cells.add(n(scores[1] / scores[0], 2));
      cells.add(n(scores[1] / scores[2], 2));
      assertEquals(
          String.join(" | ", cells),
          String.join(" | ", m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)),
          m.group());
    }
  }

  @Test
  void int8QualityTableIsItsEvalFiles() {
    Map<String, String> files =
        Map.of(
            "float",
            "float.eval",
            "negbench int8 (`--quantize int8`)",
            "int8.eval",
            "langchain4j int8 (`minilm-q-langchain4j`)",
            "langchain4j-int8.eval");
    int found = 0;
    for (Matcher m :
        rows(
            Pattern.compile(
                "\\| ([^|]+?) \\| (0\\.\\d{4}) \\| (0\\.\\d{4}) \\| (0\\.\\d{4}) \\| [\\d.]+ s \\|"),
            3)) {
      if (files.containsKey(m.group(1))) {
        found++;
        Map<String, String> eval =
            evalMetrics(Path.of("results/baselines/int8-dense").resolve(files.get(m.group(1))));
        assertEquals(
            m.group(2) + " " + m.group(3) + " " + m.group(4),
            eval.get("ndcg@10") + " " + eval.get("recall@100") + " " + eval.get("mrr@10"),
            m.group());
      }
    }
    assertEquals(files.size(), found, "docs/results/int8.md's quality rows");
  }

  /**
   * The reranker recipe and fusion weight chosen on SciFact's development split: evaluate's output
   * for each run, and the choice the best dev nDCG@10 (the first of equals, recipes 1 to 3, W = 1,
   * 0.7, 0.5, 0.3).
   */
  @Test
  void sciFactDevSplitTableIsItsEvalFiles() {
    Path dir = Path.of("results/baselines/scifact-ce-dev");
    String[] chosen = readLines(dir.resolve("chosen.txt")).get(0).trim().split(" ");
    String recipe = chosen[1];
    String weight = chosen[3];
    Map<String, String> files = new HashMap<>();
    files.put("dev (100 train queries held out): BM25", "bm25-dev.eval");
    String best = null;
    double bestNdcg = -1;
    for (String r : List.of("1", "2", "3")) {
      for (String w : List.of("1", "0.7", "0.5", "0.3")) {
        String file = "dev-r" + r + "-" + w + ".eval";
        files.put(
            "dev: recipe "
                + r
                + ", W = "
                + w
                + (w.equals("1") ? " (cross-encoder alone)" : "")
                + (r.equals(recipe) && w.equals(weight) ? " (chosen)" : ""),
            file);
        double ndcg = Double.parseDouble(evalMetrics(dir.resolve(file)).get("ndcg@10"));
        if (ndcg > bestNdcg) {
          bestNdcg = ndcg;
          best = "recipe " + r + " W " + w;
        }
      }
    }
    assertEquals(best, "recipe " + recipe + " W " + weight, "chosen.txt is dev's best");
    files.put("test (300 queries): BM25", "bm25-test.eval");
    files.put(
        "test: recipe " + recipe + ", W = " + weight + ", once",
        "test-r" + recipe + "-" + weight + ".eval");
    assertEquals(
        files.size(),
        fourMetricRowsAreEvalFiles(dir.toString(), files),
        "docs/results/scifact.md's dev-split rows");
  }

  /** int8 reranking with the trained SciFact cross-encoder: evaluate's output for each run. */
  @Test
  void int8RerankTableIsItsEvalFiles() {
    Map<String, String> files =
        Map.of(
            "BM25 (`bm25-search`)",
            "bm25-test.eval",
            "reranked by the trained cross-encoder, float",
            "test-none.eval",
            "reranked by the same cross-encoder in int8",
            "test-int8.eval");
    // scifact.md's BM25 row gives the same figures, so it may be found twice.
    int found = fourMetricRowsAreEvalFiles("results/baselines/int8-rerank", files);
    assertTrue(found >= files.size(), "docs/results/int8.md's rerank rows: " + found);
  }

  /**
   * Checks every README or docs row "| LABEL | nDCG@10 | R@100 | MRR@10 | MAP |" whose label {@code
   * files} names against that {@code .eval} file in {@code dir}; the rows checked.
   */
  private static int fourMetricRowsAreEvalFiles(String dir, Map<String, String> files) {
    int found = 0;
    for (Matcher m :
        rows(
            Pattern.compile(
                "\\| ([^|]+?) \\| (0\\.\\d{4}) \\| (0\\.\\d{4}) \\| (0\\.\\d{4}) \\| (0\\.\\d{4}) \\|"),
            files.size())) {
      if (files.containsKey(m.group(1))) {
        Map<String, String> eval = evalMetrics(Path.of(dir).resolve(files.get(m.group(1))));
        assertEquals(
            String.join(" ", m.group(2), m.group(3), m.group(4), m.group(5)),
            String.join(
                " ",
                eval.get("ndcg@10"),
                eval.get("recall@100"),
                eval.get("mrr@10"),
                eval.get("map@1000")),
            m.group());
        found++;
      }
    }
    return found;
  }

  @Test
  void exportSpeedIsItsResultFile() {
    Matcher m =
        Pattern.compile(
                "at \\*\\*([\\d.]+) ± ([\\d.]+) documents/s on ONNX Runtime against ([\\d.]+) ± ([\\d.]+) on DJL, ([\\d.]+)x\\*\\*")
            .matcher(String.join(" ", README).replaceAll("\\s+", " "));
    assertTrue(m.find(), "README's export speed");
    Map<String, String> p =
        Map.of("model", "minilm", "corpus", "scifact", "maxLength", "256", "batchSize", "64");
    Map<String, String> export = new HashMap<>(p);
    export.put("engine", "export");
    Map<String, String> djl = new HashMap<>(p);
    djl.put("engine", "djl");
    JmhResults.Kernel onnx = run("encode-export.json", "encode", export);
    JmhResults.Kernel torch = run("encode-export.json", "encode", djl);
    assertEquals(
        String.join(" | ", m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)),
        String.join(
            " | ",
            n(onnx.score(), 2),
            n(onnx.error(), 2),
            n(torch.score(), 2),
            n(torch.error(), 2),
            n(onnx.score() / torch.score(), 1)));
  }

  @Test
  void trainingSpeedUnderMallocSettingsIsItsResultFiles() {
    Matcher m =
        Pattern.compile(
                "\\*\\*([\\d.]+) steps/s with glibc's defaults, ([\\d.]+) with `glibc.malloc.hugetlb=1` \\(([\\d.]+)x\\) and ([\\d.]+) with the MKL shim too \\(([\\d.]+)x\\)\\*\\*")
            .matcher(String.join(" ", README).replaceAll("\\s+", " "));
    assertTrue(m.find(), "README's training speed");
    Map<String, String> p = Map.of("model", "distilbert-base");
    double plain = run("training-step-malloc/plain.json", "trainingStep", p).score();
    double hugetlb = run("training-step-malloc/hugetlb.json", "trainingStep", p).score();
    double both = run("training-step-malloc/both.json", "trainingStep", p).score();
    assertEquals(
        String.join(" | ", m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)),
        String.join(
            " | ",
            n(plain, 4),
            n(hugetlb, 4),
            n(hugetlb / plain, 1),
            n(both, 4),
            n(both / plain, 1)));
    Matcher second =
        Pattern.compile(
                "\\*\\*([\\d.]+) with those two and ([\\d.]+) with `NEGBENCH_MKL_AMD=1`'s malloc settings added \\(([\\d.]+)x the defaults\\)\\*\\*. Without the shim, the no-mapping settings gave ([\\d.]+)")
            .matcher(String.join(" ", README).replaceAll("\\s+", " "));
    assertTrue(second.find(), "README's second sitting");
    double both2 = run("training-step-malloc/both2.json", "trainingStep", p).score();
    double mklAmd = run("training-step-malloc/nommap.json", "trainingStep", p).score();
    double noShim = run("training-step-malloc/nommap-noshim.json", "trainingStep", p).score();
    assertEquals(
        String.join(" | ", second.group(1), second.group(2), second.group(3), second.group(4)),
        String.join(" | ", n(both2, 4), n(mklAmd, 4), n(mklAmd / plain, 1), n(noShim, 4)));
  }

  @Test
  void sciFactFusionDiagnosticIsItsEvalFiles() {
    Matcher m =
        Pattern.compile(
                "give nDCG@10 (0\\.\\d{4}), (0\\.\\d{4}) and (0\\.\\d{4}) at cross-encoder weights 0\\.3, 0\\.5 and 0\\.7")
            .matcher(String.join(" ", README).replaceAll("\\s+", " "));
    assertTrue(m.find(), "README's fusion diagnostic");
    String[] weights = {"0.3", "0.5", "0.7"};
    for (int i = 0; i < weights.length; i++) {
      String ndcg =
          readLines(Path.of("results/baselines/scifact-ce-rerank/fused-" + weights[i] + ".eval"))
              .get(0)
              .trim()
              .split("\\s+")[2];
      assertEquals(m.group(i + 1), ndcg, "weight " + weights[i]);
    }
  }

  /** The committed report's CSV row whose first columns are {@code key}, split on commas. */
  private static String[] reportRow(String file, String... key) throws IOException {
    for (String line : Files.readAllLines(Path.of("report", file))) {
      String[] cols = line.split(",", -1);
      boolean match = cols.length >= key.length;
      for (int i = 0; match && i < key.length; i++) {
        match = cols[i].equals(key[i]);
      }
      if (match) {
        return cols;
      }
    }
    throw new AssertionError("report/" + file + " has no row " + String.join(",", key));
  }

  @Test
  void sciFactPairsAreTheCommittedSignificanceTable() throws IOException {
    Pattern row =
        Pattern.compile(
            "\\s*\\| (\\S+) − (\\S+) \\| ([+-]\\d\\.\\d{4}) \\| ([+-]\\d\\.\\d{4}) to ([+-]\\d\\.\\d{4}) \\| (\\d\\.\\d{4}) \\| (\\d\\.\\d{4}) \\|");
    for (Matcher m : rows(row, 3)) {
      String[] c = reportRow("significance.csv", "scifact", "scifact", m.group(1), m.group(2));
      assertEquals(
          String.join(" ", m.group(3), m.group(4), m.group(5), m.group(6), m.group(7)),
          String.join(" ", signed(c[4]), signed(c[5]), signed(c[6]), c[7], c[8]),
          m.group());
    }
  }

  @Test
  void costTablesAreTheCommittedCostCsv() throws IOException {
    Pattern row =
        Pattern.compile(
            "\\s*\\| (scifact|demo) \\| ([\\w-]+) \\| ([\\d,]+) \\| ([\\d,.]+) \\| ([^|]+) \\| (\\d+\\.\\d{6}) \\| (0\\.\\d{4}) \\| ([+-]\\d\\.\\d{4}) \\|");
    for (Matcher m : rows(row, 8)) {
      String[] c =
          reportRow(
              "cost.csv",
              m.group(1),
              m.group(1).equals("demo") ? "synthetic-1000" : "scifact",
              m.group(2));
      assertEquals(
          String.join(
              " | ",
              m.group(3).replace(",", ""),
              m.group(4).replace(",", ""),
              m.group(5),
              m.group(6),
              m.group(7),
              m.group(8)),
          String.join(" | ", c[3], c[4], c[5], c[7], c[8], signed(c[9])),
          m.group());
    }
  }

  private static String signed(String v) {
    return v.startsWith("-") ? v : "+" + v;
  }

  /** An {@code evaluate} output file: metric name to value (columns 1 and 3). */
  private static Map<String, String> evalMetrics(Path file) {
    Map<String, String> eval = new HashMap<>();
    for (String line : readLines(file)) {
      String[] cols = line.trim().split("\\s+");
      eval.put(cols[0], cols[2]);
    }
    return eval;
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
