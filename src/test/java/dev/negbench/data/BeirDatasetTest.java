package dev.negbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.negbench.io.DatasetFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
