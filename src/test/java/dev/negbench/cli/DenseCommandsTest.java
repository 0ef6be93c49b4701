package dev.negbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.negbench.data.BeirDataset;
import dev.negbench.data.Qrels;
import dev.negbench.data.Query;
import dev.negbench.data.RankedList;
import dev.negbench.data.SyntheticDataset;
import dev.negbench.data.TrecRun;
import dev.negbench.io.Progress;
import dev.negbench.model.Fixtures;
import dev.negbench.model.OnnxEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dense-search and mine-dense on a 300-document synthetic dataset with the tiny DistilBERT fixture.
 */
class DenseCommandsTest {
  @TempDir static Path tmp;
  static Path data;
  static Path model;

  @BeforeAll
  static void synth() {
    data = tmp.resolve("synth");
    SyntheticDataset.write(new SyntheticDataset.Settings(300, 60, 5), data);
    model = Fixtures.dir(Fixtures.BI_ENCODER);
  }

  private static CliTest.Outcome search(Path dataset, Path work, Path run, int k) {
    return CliTest.run(
        "dense-search",
        "--work-dir=" + work,
        "--dataset=" + dataset,
        "--split=test",
        "--model=" + model,
        "--top-k=" + k,
        "--batch-size=7",
        "--threads=2",
        "--run=" + run);
  }

  private static float dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return (float) s;
  }

  @Test
  void runHasTopKSortedHitsWhoseScoresAreNormalisedDotProducts() throws IOException {
    Path work = tmp.resolve("work-scores");
    Path run = tmp.resolve("scores.run");
    var o = search(data, work, run, 20);
    assertEquals(0, o.code(), o.err());
    assertTrue(o.err().contains(": built (300 documents x 32"), o.err());
    BeirDataset ds = BeirDataset.open(data);
    List<Query> queries = ds.queries(ds.qrels("test"), ds.queries());
    TrecRun hits = TrecRun.read(run);
    assertEquals(queries.size(), hits.queryCount());
    List<String> lines = Files.readAllLines(run);
    assertTrue(lines.get(0).endsWith(" negbench-dense-distilbert-tiny-synthetic"), lines.get(0));
    for (Query q : queries) {
      RankedList list = hits.hits(q.id());
      assertEquals(20, list.size(), q.id());
      for (int i = 1; i < list.size(); i++) {
        assertTrue(list.scores()[i - 1] >= list.scores()[i], "sorted by score: " + q.id());
      }
    }
    // Scores recomputed independently: normalised embeddings of the query and of title + " " +
    // text.
    Map<String, String> contents = new HashMap<>();
    ds.forEachDocument(d -> contents.put(d.id(), d.contents()));
    try (OnnxEncoder encoder = OnnxEncoder.open(model, 256, 1, 1)) {
      for (Query q : queries.subList(0, 3)) {
        RankedList list = hits.hits(q.id());
        float[] qv = encoder.encode(List.of(q.text()), true, Progress.NONE)[0];
        for (int i : new int[] {0, 1, 19}) {
          float[] dv =
              encoder.encode(List.of(contents.get(list.docIds()[i])), true, Progress.NONE)[0];
          assertEquals(dot(qv, dv), list.scores()[i], 2e-5, q.id() + " rank " + (i + 1));
        }
      }
    }
  }

  @Test
  void cacheIsReusedThenRebuiltWhenTheCorpusChangesAndTheSelfHitIsLeftOut() throws IOException {
    Path copy = tmp.resolve("synth-copy");
    try (Stream<Path> files = Files.walk(data)) {
      for (Path f : files.toList()) {
        Path to = copy.resolve(data.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    Path work = tmp.resolve("work-cache");
    Path run1 = tmp.resolve("a.run");
    Path run2 = tmp.resolve("b.run");
    Path run3 = tmp.resolve("c.run");
    var first = search(copy, work, run1, 10);
    assertEquals(0, first.code(), first.err());
    assertTrue(first.err().contains(": built ("), first.err());
    var second = search(copy, work, run2, 10);
    assertEquals(0, second.code(), second.err());
    assertTrue(second.err().contains(": reused ("), second.err());
    assertEquals(Files.readString(run1), Files.readString(run2));

    // A document whose id and text are those of a test query: its best hit, unless left out.
    BeirDataset ds = BeirDataset.open(copy);
    Query q = ds.queries(ds.qrels("test"), ds.queries()).get(0);
    String doc =
        new ObjectMapper()
            .createObjectNode()
            .put("_id", q.id())
            .put("title", "")
            .put("text", q.text())
            .toString();
    Files.writeString(copy.resolve("corpus.jsonl"), doc + "\n", StandardOpenOption.APPEND);
    var third = search(copy, work, run3, 10);
    assertEquals(0, third.code(), third.err());
    assertTrue(third.err().contains(": rebuilt (301 documents"), third.err());
    try (Stream<Path> cache = Files.list(work.resolve("embeddings"))) {
      List<Path> manifests = cache.filter(p -> p.toString().endsWith(".json")).toList();
      assertEquals(1, manifests.size());
      JsonNode manifest = new ObjectMapper().readTree(manifests.get(0).toFile());
      assertEquals(301, manifest.get("documents").asInt());
      assertEquals(ds.corpusChecksum(), manifest.get("corpus_sha256").asText());
      assertEquals(256, manifest.get("max_length").asInt());
    }
    TrecRun hits = TrecRun.read(run3);
    RankedList list = hits.hits(q.id());
    assertEquals(10, list.size());
    for (int i = 0; i < list.size(); i++) {
      assertTrue(!list.docIds()[i].equals(q.id()), "self-hit left out");
    }
  }

  @Test
  void mineDenseNegativesAreNeverPositivesOrSelf() throws IOException {
    Path out = tmp.resolve("dense-negatives.jsonl");
    var o =
        CliTest.run(
            "mine-dense",
            "-q",
            "--work-dir=" + tmp.resolve("work-mine"),
            "--dataset=" + data,
            "--split=train",
            "--model=" + model,
            "--num-negatives=4",
            "--range-min=2",
            "--range-max=40",
            "--out=" + out);
    assertEquals(0, o.code(), o.err());
    Qrels train = Qrels.read(data.resolve("qrels/train.tsv"));
    ObjectMapper json = new ObjectMapper();
    List<String> lines = Files.readAllLines(out);
    assertTrue(lines.size() > 0);
    for (String line : lines) {
      JsonNode row = json.readTree(line);
      String q = row.get("query_id").asText();
      Set<String> positives = new HashSet<>(train.relevant(q));
      assertEquals(4, row.get("negatives").size(), q);
      int previous = 0;
      for (JsonNode n : row.get("negatives")) {
        String doc = n.get("doc_id").asText();
        assertTrue(!positives.contains(doc) && !doc.equals(q), q + " -> " + doc);
        int rank = n.get("rank").asInt();
        assertTrue(rank >= 2 && rank <= 40 && rank > previous, q + " rank " + rank);
        previous = rank;
      }
    }
    JsonNode summary = json.readTree(Files.readString(Path.of(out + ".summary.json")));
    assertEquals("dense", summary.get("source").asText());
    assertEquals(lines.size(), summary.get("queries").asInt());
  }

  @Test
  void missingModelFolderExitsTwo() {
    var o =
        CliTest.run(
            "dense-search",
            "-q",
            "--work-dir=" + tmp.resolve("work-bad"),
            "--dataset=" + data,
            "--model=" + tmp.resolve("no-model"),
            "--run=" + tmp.resolve("bad.run"));
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains("no-model"), o.err());
    assertTrue(!Files.exists(tmp.resolve("bad.run")));
  }
}
