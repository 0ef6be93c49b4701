package dev.negbench.data;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.AtomicFiles;
import dev.negbench.io.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
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
 * Words are pronounceable pseudo-words; ids start with {@code syn-} and the folder holds {@value
 * BeirDataset#SYNTHETIC_MARKER}, so nothing made from it can pass for real data. The same settings
 * always give the same bytes.
 */
public final class SyntheticDataset {
  private static final String[] CONSONANTS = {
    "b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "t", "v", "z", "ch", "sh", "th"
  };
  // No 'e' or 'y': Porter stemming strips or rewrites them and would merge distinct words.
  private static final String[] VOWELS = {"a", "i", "o", "u"};
  private static final int BACKGROUND_WORDS = 3000;

  /** Consecutive draws of taken words after which {@link #words} allows one syllable more. */
  private static final int MAX_COLLISIONS = 1000;

  private static final int TOPIC_WORDS = 40;
  private static final int KEY_TERMS_PER_DOC = 4;

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

  private record Doc(
      int topic, String[] keyTerms, String title, String text, int variantOf, boolean related) {}

  private final Settings settings;
  private final SplittableRandom random;
  private final String[] background;
  private final double[] backgroundCdf;
  private final String[][] topicWords;
  private final double[] topicCdf;
  private final String[][] keyTermPools;
  private final String[][] keyTermAliases;
  private final List<Doc> docs = new ArrayList<>();
  private final List<List<Integer>> docsByTopic = new ArrayList<>();
  private final List<List<Integer>> variantsOf = new ArrayList<>();
  private final Set<String> usedWords = new LinkedHashSet<>();

  private SyntheticDataset(Settings settings) {
    this.settings = settings;
    this.random = new SplittableRandom(settings.seed());
    this.background = words(BACKGROUND_WORDS, 2, 3);
    this.backgroundCdf = zipfCdf(BACKGROUND_WORDS, 1.0);
    int topics = settings.topics();
    this.topicWords = new String[topics][];
    this.keyTermPools = new String[topics][];
    this.keyTermAliases = new String[topics][];
    int perTopic = Math.max(1, settings.documents() / topics);
    for (int t = 0; t < topics; t++) {
      topicWords[t] = words(TOPIC_WORDS, 3, 3);
      // 0.75 pool terms per document: a key term recurs in about five documents of its topic.
      keyTermPools[t] = words(Math.max(20, perTopic * 3 / 4), 3, 4);
      // Each key term has an alias that only queries use: the vocabulary mismatch that lexical
      // retrieval cannot bridge and a trained dense retriever can learn from the train split.
      keyTermAliases[t] = words(keyTermPools[t].length, 3, 4);
      docsByTopic.add(new ArrayList<>());
    }
    this.topicCdf = zipfCdf(TOPIC_WORDS, 0.8);
  }

  /** Generates the dataset into {@code out}, which must not exist or be empty; atomic. */
  public static void write(Settings settings, Path out) {
    new SyntheticDataset(settings).writeTo(out);
  }

  private void writeTo(Path out) {
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
        generateDocuments();
        writeCorpus(tmp.resolve("corpus.jsonl"));
        writeQueriesAndQrels(tmp);
        writeMarker(tmp.resolve(BeirDataset.SYNTHETIC_MARKER));
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

  private void generateDocuments() {
    int topics = settings.topics();
    for (int i = 0; i < settings.documents(); i++) {
      int topic = random.nextInt(topics);
      List<Integer> siblings = docsByTopic.get(topic);
      Doc doc;
      if (!siblings.isEmpty() && random.nextDouble() < 0.25) {
        int source = siblings.get(random.nextInt(siblings.size()));
        doc = variant(source, random.nextDouble() < 0.4);
        variantsOf.get(source).add(i);
      } else {
        doc = fresh(topic);
      }
      docs.add(doc);
      siblings.add(i);
      variantsOf.add(new ArrayList<>());
    }
  }

  private Doc fresh(int topic) {
    String[] keys = distinct(keyTermPools[topic], KEY_TERMS_PER_DOC);
    int length = 30 + random.nextInt(90);
    List<String> body = new ArrayList<>(length);
    for (int k = 0; k < length; k++) {
      body.add(word(topic, keys));
    }
    return new Doc(topic, keys, title(topic, keys), sentences(body), -1, false);
  }

  /** A near-duplicate of {@code source}: half its key terms, half its body, same topic. */
  private Doc variant(int source, boolean related) {
    Doc src = docs.get(source);
    String[] keys = Arrays.copyOf(src.keyTerms(), KEY_TERMS_PER_DOC);
    // Replace the second half of the key terms with terms the source does not have; six
    // distinct draws always leave two that differ from the source's four.
    int k = KEY_TERMS_PER_DOC / 2;
    for (String candidate : distinct(keyTermPools[src.topic()], KEY_TERMS_PER_DOC + 2)) {
      if (k < KEY_TERMS_PER_DOC && !contains(src.keyTerms(), candidate)) {
        keys[k++] = candidate;
      }
    }
    String[] srcWords = src.text().replace(".", "").split(" ");
    List<String> body = new ArrayList<>(srcWords.length);
    Set<String> dropped = Set.of(src.keyTerms()[2], src.keyTerms()[3]);
    for (String w : srcWords) {
      String lower = w.toLowerCase(Locale.ROOT);
      if (dropped.contains(lower) || random.nextDouble() < 0.5) {
        body.add(word(src.topic(), keys));
      } else {
        body.add(lower);
      }
    }
    return new Doc(src.topic(), keys, title(src.topic(), keys), sentences(body), source, related);
  }

  private String title(int topic, String[] keys) {
    List<String> words = new ArrayList<>();
    words.add(keys[random.nextInt(keys.length)]);
    int n = 2 + random.nextInt(3);
    for (int k = 0; k < n; k++) {
      words.add(random.nextBoolean() ? topicWord(topic) : backgroundWord());
    }
    String title = String.join(" ", words);
    return Character.toUpperCase(title.charAt(0)) + title.substring(1);
  }

  /** One body word: background half the time, the topic's vocabulary or a key term otherwise. */
  private String word(int topic, String[] keys) {
    double r = random.nextDouble();
    if (r < 0.5) {
      return backgroundWord();
    } else if (r < 0.82) {
      return topicWord(topic);
    }
    return keys[random.nextInt(keys.length)];
  }

  private void writeCorpus(Path file) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < docs.size(); i++) {
        Doc d = docs.get(i);
        ObjectNode row = Json.PLAIN.createObjectNode();
        row.put("_id", docId(i));
        row.put("title", d.title());
        row.put("text", d.text());
        out.write(Json.PLAIN.writeValueAsString(row));
        out.write('\n');
      }
    }
  }

  private void writeQueriesAndQrels(Path dir) throws IOException {
    int[] targets = sampleWithoutReplacement(docs.size(), settings.queries());
    int test = settings.testQueries();
    Files.createDirectories(dir.resolve("qrels"));
    try (BufferedWriter queries =
            Files.newBufferedWriter(dir.resolve("queries.jsonl"), StandardCharsets.UTF_8);
        BufferedWriter trainQrels = qrelsWriter(dir.resolve("qrels/train.tsv"));
        BufferedWriter testQrels = qrelsWriter(dir.resolve("qrels/test.tsv"))) {
      for (int q = 0; q < targets.length; q++) {
        String queryId = String.format(Locale.ROOT, "syn-q%06d", q);
        int target = targets[q];
        Doc doc = docs.get(target);
        String[] keys = distinct(doc.keyTerms(), 2);
        List<String> words = new ArrayList<>();
        for (String key : keys) {
          words.add(random.nextDouble() < 0.35 ? alias(doc.topic(), key) : key);
        }
        words.add(topicWord(doc.topic()));
        if (random.nextDouble() < 0.5) {
          // A paraphrase: a term of the topic the target does not contain.
          words.add(keyTermPools[doc.topic()][random.nextInt(keyTermPools[doc.topic()].length)]);
        }
        shuffle(words);
        ObjectNode row = Json.PLAIN.createObjectNode();
        row.put("_id", queryId);
        row.put("text", String.join(" ", words));
        queries.write(Json.PLAIN.writeValueAsString(row));
        queries.write('\n');

        BufferedWriter qrels = q < targets.length - test ? trainQrels : testQrels;
        Map<Integer, Integer> grades = new LinkedHashMap<>();
        grades.put(target, 2);
        for (int other : family(target)) {
          Doc o = docs.get(other);
          boolean sharesQueryTerm =
              contains(o.keyTerms(), keys[0]) || contains(o.keyTerms(), keys[1]);
          if (o.related() || (doc.related() && other == doc.variantOf())) {
            if (sharesQueryTerm) {
              grades.putIfAbsent(other, 1);
            }
          } else if (sharesQueryTerm) {
            grades.putIfAbsent(other, 0); // a judged near-duplicate distractor
          }
        }
        for (Map.Entry<Integer, Integer> g : grades.entrySet()) {
          qrels.write(queryId + "\t" + docId(g.getKey()) + "\t" + g.getValue() + "\n");
        }
      }
    }
  }

  private String alias(int topic, String keyTerm) {
    String[] pool = keyTermPools[topic];
    for (int i = 0; i < pool.length; i++) {
      if (pool[i].equals(keyTerm)) {
        return keyTermAliases[topic][i];
      }
    }
    throw new IllegalStateException("not a key term of topic " + topic + ": " + keyTerm);
  }

  /** The target's source document (if it is a variant) and its own variants. */
  private List<Integer> family(int target) {
    List<Integer> family = new ArrayList<>();
    int source = docs.get(target).variantOf();
    if (source >= 0) {
      family.add(source);
    }
    family.addAll(variantsOf.get(target));
    return family;
  }

  private static BufferedWriter qrelsWriter(Path file) throws IOException {
    BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    out.write("query-id\tcorpus-id\tscore\n");
    return out;
  }

  private void writeMarker(Path file) {
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

  private static String docId(int i) {
    return String.format(Locale.ROOT, "syn-d%07d", i);
  }

  private String sentences(List<String> words) {
    StringBuilder sb = new StringBuilder();
    int sentence = 0;
    for (String w : words) {
      if (sentence == 0) {
        if (!sb.isEmpty()) {
          sb.append(' ');
        }
        sb.append(Character.toUpperCase(w.charAt(0))).append(w, 1, w.length());
      } else {
        sb.append(' ').append(w);
      }
      sentence++;
      if (sentence >= 8 && random.nextDouble() < 0.2) {
        sb.append('.');
        sentence = 0;
      }
    }
    if (sentence > 0) {
      sb.append('.');
    }
    return sb.toString();
  }

  private String backgroundWord() {
    return background[sample(backgroundCdf)];
  }

  private String topicWord(int topic) {
    return topicWords[topic][sample(topicCdf)];
  }

  private int sample(double[] cdf) {
    int i = Arrays.binarySearch(cdf, random.nextDouble());
    return i >= 0 ? i : Math.min(-i - 1, cdf.length - 1);
  }

  private static double[] zipfCdf(int n, double exponent) {
    double[] cdf = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += 1.0 / Math.pow(i + 1, exponent);
      cdf[i] = sum;
    }
    for (int i = 0; i < n; i++) {
      cdf[i] /= sum;
    }
    return cdf;
  }

  /**
   * {@code n} new pseudo-words of {@code min}..{@code max} syllables, unique across the dataset.
   * When the words of that length run out (3 syllables give 64^3 = 262,144 words, which corpora of
   * a million documents need more of), a run of {@value #MAX_COLLISIONS} draws that are all taken
   * allows one syllable more; smaller datasets never get there, so their bytes do not change.
   */
  private String[] words(int n, int min, int max) {
    String[] out = new String[n];
    int collisions = 0;
    for (int i = 0; i < n; ) {
      if (collisions == MAX_COLLISIONS) {
        max++;
        collisions = 0;
      }
      int syllables = min + random.nextInt(max - min + 1);
      StringBuilder sb = new StringBuilder();
      for (int s = 0; s < syllables; s++) {
        sb.append(CONSONANTS[random.nextInt(CONSONANTS.length)]);
        sb.append(VOWELS[random.nextInt(VOWELS.length)]);
      }
      String w = sb.toString();
      if (usedWords.add(w)) {
        out[i++] = w;
        collisions = 0;
      } else {
        collisions++;
      }
    }
    return out;
  }

  private String[] distinct(String[] pool, int n) {
    int[] picks = sampleWithoutReplacement(pool.length, Math.min(n, pool.length));
    String[] out = new String[picks.length];
    for (int i = 0; i < picks.length; i++) {
      out[i] = pool[picks[i]];
    }
    return out;
  }

  /** Floyd's algorithm, then sorted by draw order for determinism. */
  private int[] sampleWithoutReplacement(int n, int k) {
    Set<Integer> chosen = new LinkedHashSet<>();
    for (int j = n - k; j < n; j++) {
      int t = random.nextInt(j + 1);
      if (!chosen.add(t)) {
        chosen.add(j);
      }
    }
    return chosen.stream().mapToInt(Integer::intValue).toArray();
  }

  private void shuffle(List<String> list) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      String t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }

  private static boolean contains(String[] array, String value) {
    for (String s : array) {
      if (s.equals(value)) {
        return true;
      }
    }
    return false;
  }
}
