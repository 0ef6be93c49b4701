package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.negbench.data.TinyDatasets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir Path tmp;

  /** Exit code and stderr of one CLI run. */
  record Outcome(int code, String err, String out) {}

  static Outcome run(String... args) {
    PrintStream oldErr = System.err;
    PrintStream oldOut = System.out;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new Outcome(
          code, err.toString(StandardCharsets.UTF_8), out.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(oldErr);
      System.setOut(oldOut);
    }
  }

  /**
   * The CLI in a JVM of its own with the given heap limit (e.g. {@code -Xmx512m}); stdout
   * discarded, stderr to {@code stderr}.
   */
  static Process child(String maxHeap, Path stderr, List<String> args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                maxHeap,
                "-cp",
                System.getProperty("java.class.path"),
                "dev.negbench.cli.Main"));
    cmd.addAll(args);
    return new ProcessBuilder(cmd)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(stderr.toFile())
        .start();
  }

  @Test
  void helpListsEveryCommand() {
    Outcome help = run("--help");
    assertEquals(0, help.code());
    for (String cmd : List.of("synth", "bm25-search", "mine-bm25", "evaluate", "demo")) {
      assertTrue(help.out().contains(cmd), cmd + " missing from --help");
    }
    Outcome mineHelp = run("mine-bm25", "--help");
    assertTrue(mineHelp.out().contains("--range-min=A"), mineHelp.out());
    assertTrue(mineHelp.out().contains("(default 100)"), "defaults are shown");
  }

  @Test
  void badDatasetExitsTwoNamingFileAndLineAndWritesNothing() throws IOException {
    Path data = TinyDatasets.small(tmp.resolve("data"));
    Files.writeString(
        data.resolve("corpus.jsonl"), "{\"_id\": \"d1\", \"text\": \"x\"}\n{\"_id\": \"d2\"}\n");
    Path run = tmp.resolve("out.run");
    Outcome o =
        run(
            "bm25-search",
            "-q",
            "--work-dir=" + tmp.resolve("work"),
            "--dataset=" + data,
            "--run=" + run);
    assertEquals(2, o.code());
    assertTrue(
        o.err().contains(data.resolve("corpus.jsonl") + ":2: expected a string field \"text\""),
        o.err());
    assertFalse(Files.exists(run));
    try (var left = Files.walk(tmp.resolve("work"))) {
      assertTrue(
          left.noneMatch(p -> p.getFileName().toString().startsWith(".")),
          "no half-built index left");
    }
  }

  @Test
  void nanInMetadataWarnsOncePerFileAndNanTextExitsTwo() throws IOException {
    Path data = TinyDatasets.small(tmp.resolve("data"));
    Path corpus = data.resolve("corpus.jsonl");
    Path queries = data.resolve("queries.jsonl");
    // pandas' NaN in a metadata field, as BEIR's loader (Python's json) reads it.
    Files.writeString(
        corpus, Files.readString(corpus).replace("\"d3\",", "\"d3\", \"metadata\": {\"x\": NaN},"));
    Files.writeString(
        queries,
        Files.readString(queries).replace("\"q2\",", "\"q2\", \"metadata\": {\"x\": Infinity},"));
    // Triples read the corpus twice (index, then texts): still one warning for it.
    Outcome o =
        run(
            "mine-bm25",
            "-q",
            "--work-dir=" + tmp.resolve("w"),
            "--dataset=" + data,
            "--split=train",
            "--num-negatives=1",
            "--format=triples",
            "--out=" + tmp.resolve("triples.jsonl"));
    assertEquals(0, o.code(), o.err());
    List<String> warnings = o.err().lines().filter(l -> l.startsWith("warning: ")).toList();
    assertEquals(2, warnings.size(), o.err());
    assertEquals(
        1, warnings.stream().filter(w -> w.startsWith("warning: " + corpus + ":3: NaN")).count());
    assertEquals(
        1,
        warnings.stream()
            .filter(w -> w.startsWith("warning: " + queries + ":2: Infinity"))
            .count());

    Files.writeString(
        queries,
        Files.readString(queries).replace("\"text\": \"bicycle brakes\"", "\"text\": NaN"));
    Path run = tmp.resolve("out.run");
    Outcome nanText =
        run(
            "bm25-search",
            "-q",
            "--work-dir=" + tmp.resolve("w"),
            "--dataset=" + data,
            "--run=" + run);
    assertEquals(2, nanText.code());
    assertTrue(
        nanText.err().contains(queries + ":3: expected a string field \"text\", found NaN"),
        nanText.err());
    assertFalse(Files.exists(run));
  }

  @Test
  void unknownSplitAndBadOptionsExitTwo() throws IOException {
    Path data = TinyDatasets.small(tmp.resolve("data"));
    Outcome split =
        run(
            "mine-bm25",
            "-q",
            "--work-dir=" + tmp,
            "--dataset=" + data,
            "--split=dev",
            "--out=" + tmp.resolve("n.jsonl"));
    assertEquals(2, split.code());
    assertTrue(split.err().contains("unknown split 'dev'"), split.err());
    Outcome sampling =
        run(
            "mine-bm25",
            "-q",
            "--dataset=" + data,
            "--sampling=best",
            "--out=" + tmp.resolve("n.jsonl"));
    assertEquals(2, sampling.code());
    assertEquals(2, run("mine-bm25", "--no-such-option").code());
  }

  @Test
  void strictFailsOnUnknownQrelsReferencesElseWarns() throws IOException {
    Path data = TinyDatasets.small(tmp.resolve("data"));
    Files.writeString(
        data.resolve("qrels/test.tsv"),
        "query-id\tcorpus-id\tscore\nq1\td2\t1\nq1\tghost\t1\nq9\td2\t1\n");
    Path run = tmp.resolve("r.run");
    Outcome lax =
        run("bm25-search", "--work-dir=" + tmp.resolve("w"), "--dataset=" + data, "--run=" + run);
    assertEquals(0, lax.code(), lax.err());
    assertTrue(
        lax.err().contains("1 qrels rows name unknown queries, 1 name unknown documents"),
        lax.err());
    Outcome strict =
        run(
            "bm25-search",
            "-q",
            "--strict",
            "--work-dir=" + tmp.resolve("w"),
            "--dataset=" + data,
            "--run=" + tmp.resolve("s.run"));
    assertEquals(2, strict.code());
    assertFalse(Files.exists(tmp.resolve("s.run")));
  }

  @Test
  void minesNegativesAndTriples() throws IOException {
    Path data = TinyDatasets.small(tmp.resolve("data"));
    Path out = tmp.resolve("neg.jsonl");
    Outcome o =
        run(
            "mine-bm25",
            "-q",
            "--work-dir=" + tmp.resolve("w"),
            "--dataset=" + data,
            "--split=train",
            "--num-negatives=2",
            "--range-max=10",
            "--out=" + out);
    assertEquals(0, o.code(), o.err());
    ObjectMapper json = new ObjectMapper();
    List<String> lines = Files.readAllLines(out);
    assertEquals(3, lines.size(), "q4 has no positive");
    JsonNode q1 = json.readTree(lines.get(0));
    assertEquals("q1", q1.get("query_id").asText());
    assertEquals("d2", q1.get("positive_ids").get(0).asText());
    // Only q1 (itself, left out), d2 (its positive) and d5 mention coffee or roasting.
    assertEquals(1, q1.get("negatives").size());
    JsonNode n = q1.get("negatives").get(0);
    assertEquals("d5", n.get("doc_id").asText());
    assertEquals(2, n.get("rank").asInt(), "d2 ranks first, d5 second");
    assertTrue(n.get("score").asDouble() > 0);
    JsonNode summary = json.readTree(Files.readString(Path.of(out + ".summary.json")));
    assertEquals(3, summary.get("queries").asInt());
    assertEquals(
        3, summary.get("queries_short_of_n").asInt(), "a six-document corpus has few candidates");
    assertFalse(summary.get("synthetic").asBoolean());

    Path triples = tmp.resolve("triples.jsonl");
    assertEquals(
        0,
        run(
                "mine-bm25",
                "-q",
                "--work-dir=" + tmp.resolve("w"),
                "--dataset=" + data,
                "--split=train",
                "--num-negatives=1",
                "--format=triples",
                "--out=" + triples)
            .code());
    JsonNode first = json.readTree(Files.readAllLines(triples).get(0));
    assertEquals("roasting coffee beans", first.get("query").asText());
    assertEquals(
        "Roasting coffee how to roast coffee beans at home", first.get("positive").asText());
    assertTrue(first.has("negative"));
  }

  @Test
  void synthOutputsSaySynthetic() {
    Path data = tmp.resolve("syn");
    Outcome o = run("synth", "--docs=300", "--queries=50", "--out=" + data);
    assertEquals(0, o.code(), o.err());
    assertTrue(o.err().contains("SYNTHETIC"));
    Path run = tmp.resolve("syn.run");
    Outcome search =
        run("bm25-search", "--work-dir=" + tmp.resolve("w"), "--dataset=" + data, "--run=" + run);
    assertEquals(0, search.code(), search.err());
    assertTrue(search.err().contains("SYNTHETIC"));
    assertTrue(readFirst(run).endsWith(" negbench-bm25-synthetic"));
  }

  private static String readFirst(Path file) {
    try {
      return Files.readAllLines(file).get(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
