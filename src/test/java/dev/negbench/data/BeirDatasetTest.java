package dev.negbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.io.DatasetFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BeirDatasetTest {
  @TempDir Path tmp;

  private static final String QUERIES = "{\"_id\": \"q1\", \"text\": \"a query\"}\n";
  private static final String QRELS = "query-id\tcorpus-id\tscore\nq1\td1\t1\n";

  @Test
  void readsCorpusQueriesAndQrels() throws IOException {
    BeirDataset ds = BeirDataset.open(TinyDatasets.small(tmp));
    List<Document> docs = new ArrayList<>();
    assertEquals(6, ds.forEachDocument(docs::add));
    assertEquals(
        new Document("d2", "Roasting coffee", "how to roast coffee beans at home"), docs.get(1));
    assertEquals(
        "mountain bicycle tyres and bicycle brakes",
        docs.get(5).contents(),
        "no title: text alone");
    assertEquals("Coffee coffee beans roasting coffee cup", docs.get(0).contents());
    Map<String, Query> queries = ds.queries();
    assertEquals(List.of("q1", "q2", "q3", "q4"), List.copyOf(queries.keySet()));
    Qrels train = ds.qrels("train");
    assertEquals(Map.of("d4", 1, "d5", 0), train.judgments("q2"));
    assertEquals(Set.of("d4"), train.relevant("q2"));
    assertTrue(train.relevant("q4").isEmpty(), "grade 0 is not relevant");
    assertEquals(List.of("test", "train"), ds.splits());
    assertFalse(ds.isSynthetic());
  }

  @Test
  void toleratesCrlfAndByteOrderMark() throws IOException {
    TinyDatasets.write(
        tmp,
        "\uFEFF{\"_id\": \"d1\", \"title\": \"T\", \"text\": \"x\"}\r\n{\"_id\": \"d2\", \"text\": \"y\"}\r\n",
        "\uFEFF" + QUERIES.replace("\n", "\r\n"),
        "\uFEFFquery-id\tcorpus-id\tscore\r\nq1\td1\t1\r\nq1\td2\t0\r\n");
    BeirDataset ds = BeirDataset.open(tmp);
    List<Document> docs = new ArrayList<>();
    ds.forEachDocument(docs::add);
    assertEquals("d1", docs.get(0).id());
    assertEquals("y", docs.get(1).text());
    assertEquals(Map.of("d1", 1, "d2", 0), ds.qrels("test").judgments("q1"));
    assertEquals("a query", ds.queries().get("q1").text());
  }

  @Test
  void malformedJsonNamesFileAndLine() throws IOException {
    TinyDatasets.write(
        tmp, "{\"_id\": \"d1\", \"text\": \"x\"}\n{\"_id\": \"d2\", \"text\": \n", QUERIES, QRELS);
    var e =
        assertThrows(
            DatasetFormatException.class, () -> BeirDataset.open(tmp).forEachDocument(d -> {}));
    assertEquals(tmp.resolve("corpus.jsonl"), e.file());
    assertEquals(2, e.line());
    assertTrue(
        e.getMessage().startsWith(tmp.resolve("corpus.jsonl") + ":2: expected one JSON object"),
        e.getMessage());
  }

  @Test
  void missingIdOrTextIsAnError() throws IOException {
    TinyDatasets.write(tmp, "{\"title\": \"t\", \"text\": \"x\"}\n", QUERIES, QRELS);
    var noId =
        assertThrows(
            DatasetFormatException.class, () -> BeirDataset.open(tmp).forEachDocument(d -> {}));
    assertTrue(
        noId.getMessage().endsWith(":1: expected a non-empty string field \"_id\""),
        noId.getMessage());

    TinyDatasets.write(tmp, "{\"_id\": \"d1\"}\n", QUERIES, QRELS);
    var noText =
        assertThrows(
            DatasetFormatException.class, () -> BeirDataset.open(tmp).forEachDocument(d -> {}));
    assertTrue(
        noText.getMessage().endsWith(":1: expected a string field \"text\""), noText.getMessage());

    TinyDatasets.write(
        tmp, "{\"_id\": \"d1\", \"text\": \"x\"}\n", "\n{\"_id\": \"q1\", \"text\": 5}\n", QRELS);
    var badQuery =
        assertThrows(DatasetFormatException.class, () -> BeirDataset.open(tmp).queries());
    assertEquals(tmp.resolve("queries.jsonl"), badQuery.file());
    assertEquals(2, badQuery.line());
  }

  /** What {@code action} printed on stderr. */
  private static String stderrOf(Runnable action) {
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      action.run();
    } finally {
      System.setErr(old);
    }
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void nanInMetadataLoadsWithOneWarningPerFile() throws IOException {
    // As pandas and Python's json write them: BEIR's own loader reads these files.
    TinyDatasets.write(
        tmp,
        """
        {"_id": "d1", "title": "NaN", "text": "Infinity", "metadata": {}}
        {"_id": "d2", "text": "y", "metadata": {"url": "u", "x": NaN}}
        {"_id": "d3", "text": "z", "metadata": {"x": [1.5, Infinity, -Infinity]}}
        """,
        """
        {"_id": "q1", "text": "a query", "metadata": {"x": 1.0}}
        {"_id": "q2", "text": "another", "metadata": {"x": -Infinity}}
        {"_id": "q3", "text": "a third", "metadata": {"x": NaN}}
        """,
        QRELS);
    BeirDataset ds = BeirDataset.open(tmp);
    List<Document> docs = new ArrayList<>();
    Map<String, Query> queries = new HashMap<>();
    String err =
        stderrOf(
            () -> {
              ds.forEachDocument(docs::add);
              ds.forEachDocument(d -> {}); // a second pass, as mining makes: no second warning
              queries.putAll(ds.queries());
            });
    assertEquals(List.of("d1", "d2", "d3"), docs.stream().map(Document::id).toList());
    assertEquals(new Document("d1", "NaN", "Infinity"), docs.get(0), "strings stay strings");
    assertEquals(Set.of("q1", "q2", "q3"), queries.keySet());
    List<String> warnings = err.lines().toList();
    assertEquals(2, warnings.size(), err);
    assertTrue(
        warnings
            .get(0)
            .startsWith(
                "warning: " + tmp.resolve("corpus.jsonl") + ":2: NaN in \"metadata.x\", as"),
        err);
    assertTrue(
        warnings
            .get(1)
            .startsWith(
                "warning: " + tmp.resolve("queries.jsonl") + ":2: -Infinity in \"metadata.x\", as"),
        err);
  }

  @Test
  void nanAsIdTitleOrTextIsAnError() throws IOException {
    TinyDatasets.write(
        tmp,
        "{\"_id\": \"d1\", \"text\": \"x\"}\n{\"_id\": \"d2\", \"title\": NaN, \"text\": \"y\"}\n",
        "{\"_id\": \"q1\", \"text\": \"a\"}\n{\"_id\": \"q2\", \"text\": NaN}\n",
        QRELS);
    var title =
        assertThrows(
            DatasetFormatException.class, () -> BeirDataset.open(tmp).forEachDocument(d -> {}));
    assertEquals(2, title.line());
    assertTrue(
        title
            .getMessage()
            .equals(
                tmp.resolve("corpus.jsonl")
                    + ":2: expected field \"title\" to be a string, found NaN"),
        title.getMessage());
    String err =
        stderrOf(
            () -> {
              var text =
                  assertThrows(DatasetFormatException.class, () -> BeirDataset.open(tmp).queries());
              assertEquals(tmp.resolve("queries.jsonl"), text.file());
              assertEquals(2, text.line());
              assertTrue(
                  text.getMessage().endsWith(":2: expected a string field \"text\", found NaN"),
                  text.getMessage());
            });
    assertEquals("", err, "an error, not a warning as well");

    TinyDatasets.write(tmp, "{\"_id\": Infinity, \"text\": \"x\"}\n", QUERIES, QRELS);
    var id =
        assertThrows(
            DatasetFormatException.class, () -> BeirDataset.open(tmp).forEachDocument(d -> {}));
    assertTrue(
        id.getMessage().endsWith(":1: expected a non-empty string field \"_id\", found Infinity"),
        id.getMessage());
  }

  @Test
  void brokenJsonStillFailsWhereNanIsAllowed() throws IOException {
    // Python writes NaN, never nan; and a cut line is still cut.
    TinyDatasets.write(
        tmp,
        "{\"_id\": \"d1\", \"text\": \"x\", \"m\": nan}\n",
        QUERIES + "{\"_id\": \"q2\", \"text\": \"y\", \"m\": NaN\n",
        QRELS);
    var corpus =
        assertThrows(
            DatasetFormatException.class, () -> BeirDataset.open(tmp).forEachDocument(d -> {}));
    assertEquals(1, corpus.line());
    assertTrue(corpus.getMessage().contains(":1: expected one JSON object"), corpus.getMessage());
    var queries = assertThrows(DatasetFormatException.class, () -> BeirDataset.open(tmp).queries());
    assertEquals(tmp.resolve("queries.jsonl"), queries.file());
    assertEquals(2, queries.line());
    assertTrue(queries.getMessage().contains(":2: expected one JSON object"), queries.getMessage());
  }

  @Test
  void duplicateIdsAreErrors() throws IOException {
    TinyDatasets.write(
        tmp,
        "{\"_id\": \"d1\", \"text\": \"x\"}\n{\"_id\": \"d2\", \"text\": \"x\"}\n{\"_id\": \"d1\", \"text\": \"y\"}\n",
        QUERIES + QUERIES,
        QRELS);
    var doc =
        assertThrows(
            DatasetFormatException.class, () -> BeirDataset.open(tmp).forEachDocument(d -> {}));
    assertEquals(3, doc.line());
    assertTrue(doc.getMessage().contains("duplicate document _id 'd1'"));
    var query = assertThrows(DatasetFormatException.class, () -> BeirDataset.open(tmp).queries());
    assertEquals(2, query.line());
  }

  @Test
  void qrelsColumnsAndScoresAreChecked() throws IOException {
    TinyDatasets.write(
        tmp,
        "{\"_id\": \"d1\", \"text\": \"x\"}\n",
        QUERIES,
        "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\n");
    var columns =
        assertThrows(DatasetFormatException.class, () -> BeirDataset.open(tmp).qrels("test"));
    assertEquals(3, columns.line());
    assertTrue(
        columns.getMessage().contains("expected 3 tab-separated columns"), columns.getMessage());

    TinyDatasets.write(
        tmp,
        "{\"_id\": \"d1\", \"text\": \"x\"}\n",
        QUERIES,
        "query-id\tcorpus-id\tscore\nq1\td1\t1.5\n");
    var score =
        assertThrows(DatasetFormatException.class, () -> BeirDataset.open(tmp).qrels("test"));
    assertEquals(2, score.line());
    assertTrue(
        score.getMessage().contains("expected an integer relevance score, found '1.5'"),
        score.getMessage());
  }

  @Test
  void unknownSplitListsTheKnownOnes() throws IOException {
    BeirDataset ds = BeirDataset.open(TinyDatasets.small(tmp));
    var e = assertThrows(DatasetFormatException.class, () -> ds.qrels("dev"));
    assertTrue(
        e.getMessage().contains("unknown split 'dev': expected one of [test, train]"),
        e.getMessage());
  }

  @Test
  void missingFilesAreNamed() throws IOException {
    Files.createDirectories(tmp.resolve("qrels"));
    var e = assertThrows(DatasetFormatException.class, () -> BeirDataset.open(tmp));
    assertEquals(tmp.resolve("corpus.jsonl"), e.file());
    assertThrows(DatasetFormatException.class, () -> BeirDataset.open(tmp.resolve("nope")));
  }

  @Test
  void readsTrecQrelsAndCountsUnknownReferences() throws IOException {
    Path file = tmp.resolve("qrels.txt");
    Files.writeString(file, "q1 0 d1 2\nq1 0 d9 1\nq7 0 d1 1\n", StandardCharsets.UTF_8);
    Qrels qrels = Qrels.read(file);
    assertEquals(Map.of("d1", 2, "d9", 1), qrels.judgments("q1"));
    var check = BeirDataset.checkReferences(qrels, Set.of("q1"), Set.of("d1")::contains);
    assertEquals(1, check.unknownQueryRows());
    assertEquals(1, check.unknownDocumentRows());
    assertFalse(check.clean());

    Files.writeString(file, "q1 0 d1\n", StandardCharsets.UTF_8);
    var e = assertThrows(DatasetFormatException.class, () -> Qrels.read(file));
    assertEquals(1, e.line());
  }

  @Test
  void invalidUtf8IsReported() throws IOException {
    TinyDatasets.write(tmp, "x", QUERIES, QRELS);
    Files.write(tmp.resolve("corpus.jsonl"), new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}', '\n'});
    var e =
        assertThrows(
            DatasetFormatException.class, () -> BeirDataset.open(tmp).forEachDocument(d -> {}));
    assertTrue(e.getMessage().contains("expected UTF-8"), e.getMessage());
  }
}
