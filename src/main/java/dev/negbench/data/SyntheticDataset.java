package dev.negbench.data;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Writes a synthetic BEIR dataset with the structure that makes retrieval and hard-negative mining
 * meaningful, so that benchmarks and the demo need no download:
 *
 * <ul>
 *   <li>documents belong to topics: their words mix a Zipfian background vocabulary, the topic's
 *       own vocabulary, and a few distinctive <em>key terms</em> drawn from the topic's pool (so a
 *       key term is shared by a handful of documents, as names and technical terms are);
 *   <li>a quarter of the documents are near-duplicate <em>variants</em> of an earlier document of
 *       their topic, sharing half its key terms and half its body: some are related (partially
 *       relevant, grade 1), the rest are distractors (judged non-relevant, grade 0), the hard
 *       negatives a lexical retriever confuses with the answer;
 *   <li>each query is built from two of one target document's key terms plus a topic word,
 *       sometimes with a term the target lacks (a paraphrase); a key term is replaced, a third of
 *       the time, by its alias, a word that only queries use (vocabulary mismatch that BM25 cannot
 *       bridge and training can learn). The query is judged grade 2 against its target.
 * </ul>
 *
 * The parts: {@link SyntheticVocabulary} (of {@link PseudoWords}), {@link SyntheticCorpus}, {@link
 * SyntheticQueries}, all drawing from one {@link SeededSampler}. Words are pronounceable
 * pseudo-words; ids start with {@code syn-} and the folder holds {@value
 * BeirDataset#SYNTHETIC_MARKER}, so nothing made from it can pass for real data. The same settings
 * always give the same bytes.
 */
public final class SyntheticDataset {
  /** Settings of one synthetic dataset. */
  public record Settings(int documents, int queries, long seed) {
    public Settings {
      if (documents < 10) {
        throw new IllegalArgumentException("--docs must be at least 10, was " + documents);
      }
      if (queries < 2) {
        throw new IllegalArgumentException("--queries must be at least 2, was " + queries);
      }
      if (queries > documents) {
        throw new IllegalArgumentException(
            "--queries ("
                + queries
                + ") cannot exceed --docs ("
                + documents
                + "): each query has its own target document");
      }
    }

    public int topics() {
      return Math.max(4, documents / 250);
    }

    /** One query in five is held out for the test split. */
    public int testQueries() {
      return Math.max(1, queries / 5);
    }
  }

  private SyntheticDataset() {}

  /** Generates the dataset into {@code out}, which must not exist or be empty; atomic. */
  public static void write(Settings settings, Path out) {
    // One seeded source for every draw, in this order: vocabulary, documents, queries.
    SeededSampler random = new SeededSampler(settings.seed());
    SyntheticVocabulary vocabulary =
        new SyntheticVocabulary(random, settings.topics(), settings.documents());
    try {
      if (Files.exists(out)) {
        try (Stream<Path> entries = Files.list(out)) {
          if (entries.findAny().isPresent()) {
            throw new IllegalArgumentException(out + ": output folder exists and is not empty");
          }
        }
      }
      Path parent = out.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path tmp = Files.createTempDirectory(parent, "." + out.getFileName() + ".");
      try {
        SyntheticCorpus corpus = SyntheticCorpus.generate(settings.documents(), random, vocabulary);
        corpus.write(tmp.resolve("corpus.jsonl"));
        SyntheticQueries.write(settings, corpus, vocabulary, random, tmp);
        writeMarker(settings, tmp.resolve(BeirDataset.SYNTHETIC_MARKER));
        Files.deleteIfExists(out);
        AtomicFiles.move(tmp, out.toAbsolutePath());
        tmp = null;
      } finally {
        if (tmp != null) {
          AtomicFiles.deleteTree(tmp);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write synthetic dataset to " + out, e);
    }
  }

  private static void writeMarker(Settings settings, Path file) {
    ObjectNode marker = Json.PLAIN.createObjectNode();
    marker.put("synthetic", true);
    marker.put("generator", "negbench synth");
    marker.put("documents", settings.documents());
    marker.put("queries", settings.queries());
    marker.put("test_queries", settings.testQueries());
    marker.put("topics", settings.topics());
    marker.put("seed", settings.seed());
    marker.put(
        "note",
        "Synthetic data made of pseudo-words: results on it measure the machinery, not retrieval quality on real text.");
    Json.write(file, marker);
  }
}
