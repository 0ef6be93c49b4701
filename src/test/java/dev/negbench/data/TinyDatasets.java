package dev.negbench.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small BEIR folders for tests. */
public final class TinyDatasets {
  private TinyDatasets() {}

  /** A folder with the given file contents; qrels is written to qrels/test.tsv. */
  public static Path write(Path dir, String corpus, String queries, String testQrels)
      throws IOException {
    Files.createDirectories(dir.resolve("qrels"));
    Files.writeString(dir.resolve("corpus.jsonl"), corpus, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("queries.jsonl"), queries, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("qrels/test.tsv"), testQrels, StandardCharsets.UTF_8);
    return dir;
  }

  /**
   * Six documents about three subjects, four queries; d1 is "q1" so that self-hits are tested.
   * Train qrels: q1 -> d2 (2), q2 -> d4 (1) and d5 (0), q3 -> d6, q4 has no relevant document.
   */
  public static Path small(Path dir) throws IOException {
    String corpus =
        """
        {"_id": "q1", "title": "Coffee", "text": "coffee beans roasting coffee cup"}
        {"_id": "d2", "title": "Roasting coffee", "text": "how to roast coffee beans at home"}
        {"_id": "d3", "title": "Tea", "text": "green tea leaves and black tea brewing"}
        {"_id": "d4", "title": "Brewing tea", "text": "tea brewing temperature for green tea"}
        {"_id": "d5", "title": "Bicycles", "text": "bicycle chain maintenance and coffee stops"}
        {"_id": "d6", "text": "mountain bicycle tyres and bicycle brakes"}
        """;
    String queries =
        """
        {"_id": "q1", "text": "roasting coffee beans"}
        {"_id": "q2", "text": "green tea brewing"}
        {"_id": "q3", "text": "bicycle brakes"}
        {"_id": "q4", "text": "coffee"}
        """;
    write(dir, corpus, queries, "query-id\tcorpus-id\tscore\nq1\td2\t2\n");
    Files.writeString(
        dir.resolve("qrels/train.tsv"),
        "query-id\tcorpus-id\tscore\nq1\td2\t2\nq2\td4\t1\nq2\td5\t0\nq3\td6\t1\nq4\td3\t0\n",
        StandardCharsets.UTF_8);
    return dir;
  }
}
