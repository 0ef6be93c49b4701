package dev.negbench.data;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The queries of a synthetic dataset and their graded judgments. Each query has its own target
 * document: two of its key terms (each replaced by its alias a third of the time) and a topic word,
 * half the time with a key term of the topic the target may lack (a paraphrase). The target is
 * graded 2; its source and variants that share a query term are graded 1 when related, 0 (a judged
 * distractor) otherwise. The last {@link SyntheticDataset.Settings#testQueries} queries form the
 * test split, the others the train split.
 */
final class SyntheticQueries {
  private SyntheticQueries() {}

  /** Writes {@code queries.jsonl}, {@code qrels/train.tsv} and {@code qrels/test.tsv} in dir. */
  static void write(
      SyntheticDataset.Settings settings,
      SyntheticCorpus corpus,
      SyntheticVocabulary vocabulary,
      SeededSampler random,
      Path dir)
      throws IOException {
    int[] targets = random.sampleWithoutReplacement(corpus.size(), settings.queries());
    int test = settings.testQueries();
    Files.createDirectories(dir.resolve("qrels"));
    try (BufferedWriter queries =
            Files.newBufferedWriter(dir.resolve("queries.jsonl"), StandardCharsets.UTF_8);
        BufferedWriter trainQrels = qrelsWriter(dir.resolve("qrels/train.tsv"));
        BufferedWriter testQrels = qrelsWriter(dir.resolve("qrels/test.tsv"))) {
      for (int q = 0; q < targets.length; q++) {
        String queryId = String.format(Locale.ROOT, "syn-q%06d", q);
        int target = targets[q];
        SyntheticCorpus.Doc doc = corpus.doc(target);
        String[] keys = random.distinct(doc.keyTerms(), 2);
        List<String> words = new ArrayList<>();
        for (String key : keys) {
          words.add(random.nextDouble() < 0.35 ? vocabulary.alias(doc.topic(), key) : key);
        }
        words.add(vocabulary.topicWord(doc.topic()));
        if (random.nextDouble() < 0.5) {
          // A paraphrase: a term of the topic the target does not contain.
          words.add(vocabulary.keyTerm(doc.topic()));
        }
        random.shuffle(words);
        ObjectNode row = Json.PLAIN.createObjectNode();
        row.put("_id", queryId);
        row.put("text", String.join(" ", words));
        queries.write(Json.PLAIN.writeValueAsString(row));
        queries.write('\n');

        BufferedWriter qrels = q < targets.length - test ? trainQrels : testQrels;
        for (Map.Entry<Integer, Integer> g : grades(corpus, target, keys).entrySet()) {
          qrels.write(
              queryId + "\t" + SyntheticCorpus.docId(g.getKey()) + "\t" + g.getValue() + "\n");
        }
      }
    }
  }

  /**
   * The grades of a query on {@code target} made of {@code keys}: 2 for the target, then its family
   * members that share a query term, in family order.
   */
  static Map<Integer, Integer> grades(SyntheticCorpus corpus, int target, String[] keys) {
    SyntheticCorpus.Doc doc = corpus.doc(target);
    Map<Integer, Integer> grades = new LinkedHashMap<>();
    grades.put(target, 2);
    for (int other : corpus.family(target)) {
      SyntheticCorpus.Doc o = corpus.doc(other);
      boolean sharesQueryTerm = o.hasKeyTerm(keys[0]) || o.hasKeyTerm(keys[1]);
      if (o.related() || (doc.related() && other == doc.variantOf())) {
        if (sharesQueryTerm) {
          grades.putIfAbsent(other, 1);
        }
      } else if (sharesQueryTerm) {
        grades.putIfAbsent(other, 0); // a judged near-duplicate distractor
      }
    }
    return grades;
  }

  private static BufferedWriter qrelsWriter(Path file) throws IOException {
    BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    out.write("query-id\tcorpus-id\tscore\n");
    return out;
  }
}
