package dev.negbench.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.DatasetFormatException;
import dev.negbench.io.JsonLines;
import dev.negbench.io.TextLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A BEIR dataset folder: {@code corpus.jsonl} ({@code _id}, {@code title}, {@code text}), {@code
 * queries.jsonl} ({@code _id}, {@code text}) and {@code qrels/<split>.tsv}. The corpus is streamed,
 * never held whole; queries and qrels are small and loaded.
 *
 * <p>Every record is validated as it is read; a bad one stops the read with a {@link
 * DatasetFormatException} naming the file and line. {@code NaN} and {@code Infinity}, which
 * Python's {@code json} writes and BEIR's loader reads, are let through (with a warning) in fields
 * other than {@code _id}, {@code title} and {@code text}.
 */
public final class BeirDataset {
  /** Written by {@code negbench synth}: marks a dataset as synthetic, with its settings. */
  public static final String SYNTHETIC_MARKER = "synthetic.json";

  private final Path dir;

  private BeirDataset(Path dir) {
    this.dir = dir;
  }

  /** Opens a dataset folder, checking that the corpus, queries and qrels folder are there. */
  public static BeirDataset open(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new DatasetFormatException(dir, 0, "expected a BEIR dataset folder, found none");
    }
    for (String name : List.of("corpus.jsonl", "queries.jsonl")) {
      if (!Files.isRegularFile(dir.resolve(name))) {
        throw new DatasetFormatException(
            dir.resolve(name),
            0,
            "missing: a BEIR dataset folder holds corpus.jsonl, queries.jsonl and qrels/");
      }
    }
    if (!Files.isDirectory(dir.resolve("qrels"))) {
      throw new DatasetFormatException(
          dir.resolve("qrels"), 0, "missing: a BEIR dataset folder holds qrels/<split>.tsv");
    }
    return new BeirDataset(dir);
  }

  public Path dir() {
    return dir;
  }

  /** The folder's name, e.g. {@code scifact}. */
  public String name() {
    Path name = dir.toAbsolutePath().normalize().getFileName();
    return name == null ? "dataset" : name.toString();
  }

  public Path corpusFile() {
    return dir.resolve("corpus.jsonl");
  }

  public Path queriesFile() {
    return dir.resolve("queries.jsonl");
  }

  /** True for datasets written by {@code negbench synth}; outputs made from them must say so. */
  public boolean isSynthetic() {
    return Files.isRegularFile(dir.resolve(SYNTHETIC_MARKER));
  }

  /** Splits that have a qrels file, sorted. */
  public List<String> splits() {
    List<String> splits = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.resolve("qrels"), "*.tsv")) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        splits.add(name.substring(0, name.length() - ".tsv".length()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Collections.sort(splits);
    return splits;
  }

  public Path qrelsFile(String split) {
    Path file = dir.resolve("qrels").resolve(split + ".tsv");
    if (!Files.isRegularFile(file)) {
      throw new DatasetFormatException(
          file, 0, "unknown split '" + split + "': expected one of " + splits());
    }
    return file;
  }

  public Qrels qrels(String split) {
    return Qrels.read(qrelsFile(split));
  }

  /** Streams the corpus in file order, validating each line. Returns the number of documents. */
  public long forEachDocument(Consumer<Document> action) {
    Set<String> seen = new HashSet<>();
    return JsonLines.forEachObjectAllowingNaN(
        corpusFile(),
        (lines, node) -> {
          String id = requiredId(lines, node);
          String text = JsonLines.requiredString(lines, node, "text");
          String title = JsonLines.optionalString(lines, node, "title");
          if (!seen.add(id)) {
            throw lines.error("duplicate document _id '" + id + "'");
          }
          action.accept(new Document(id, title, text));
        });
  }

  /** All queries by id, in file order. */
  public Map<String, Query> queries() {
    Map<String, Query> queries = new LinkedHashMap<>();
    JsonLines.forEachObjectAllowingNaN(
        queriesFile(),
        (lines, node) -> {
          String id = requiredId(lines, node);
          String text = JsonLines.requiredString(lines, node, "text");
          if (queries.put(id, new Query(id, text)) != null) {
            throw lines.error("duplicate query _id '" + id + "'");
          }
        });
    return queries;
  }

  /**
   * The queries of one split that have qrels, in qrels order. A qrels row naming a query missing
   * from queries.jsonl is left out here and counted by {@link #checkReferences}.
   */
  public List<Query> queries(Qrels qrels, Map<String, Query> all) {
    List<Query> list = new ArrayList<>();
    for (String id : qrels.queryIds()) {
      Query q = all.get(id);
      if (q != null) {
        list.add(q);
      }
    }
    return list;
  }

  /**
   * Counts qrels rows that name a query missing from queries.jsonl or a document missing from the
   * corpus, as {@code hasDocument} tells (an index or embedding store answers without a set of all
   * ids); null skips the corpus check.
   */
  public static ReferenceCheck checkReferences(
      Qrels qrels, Set<String> queryIds, Predicate<String> hasDocument) {
    int unknownQueries = 0;
    int unknownDocs = 0;
    List<String> examples = new ArrayList<>();
    for (String q : qrels.queryIds()) {
      Map<String, Integer> judged = qrels.judgments(q);
      if (!queryIds.contains(q)) {
        unknownQueries += judged.size();
        if (examples.size() < 5) {
          examples.add("query " + q);
        }
      }
      if (hasDocument != null) {
        for (String d : judged.keySet()) {
          if (!hasDocument.test(d)) {
            unknownDocs++;
            if (examples.size() < 5) {
              examples.add("document " + d);
            }
          }
        }
      }
    }
    return new ReferenceCheck(unknownQueries, unknownDocs, examples);
  }

  /** Qrels rows whose query or document is unknown; a few examples for the message. */
  public record ReferenceCheck(
      int unknownQueryRows, int unknownDocumentRows, List<String> examples) {
    public boolean clean() {
      return unknownQueryRows == 0 && unknownDocumentRows == 0;
    }

    public String describe(Path qrelsFile) {
      return qrelsFile
          + ": "
          + unknownQueryRows
          + " qrels rows name unknown queries, "
          + unknownDocumentRows
          + " name unknown documents (e.g. "
          + String.join(", ", examples)
          + ")";
    }
  }

  /** SHA-256 of corpus.jsonl's bytes, hex: identifies the corpus in index and cache manifests. */
  public String corpusChecksum() {
    return AtomicFiles.sha256(corpusFile());
  }

  private static String requiredId(TextLines lines, JsonNode node) {
    JsonNode id = node.get("_id");
    // Some BEIR exports write numeric ids; they are the same ids as in the qrels' text columns.
    if (id == null) {
      throw lines.error("expected a non-empty string field \"_id\"");
    }
    if (!(id.isTextual() || id.isIntegralNumber()) || id.asText().isEmpty()) {
      throw lines.error(
          "expected a non-empty string field \"_id\", found " + JsonLines.describe(id));
    }
    return id.asText();
  }
}
