package dev.negbench.data;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.negbench.io.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The documents of a synthetic dataset: each of a topic, its body mixing background words, the
 * topic's words and its own key terms; a quarter of them near-duplicate variants of an earlier
 * document of their topic, some related to it, the rest distractors.
 */
final class SyntheticCorpus {
  static final int KEY_TERMS_PER_DOC = 4;

  /**
   * One document: {@code variantOf} is the row of the document it is a near-duplicate of, or -1;
   * {@code related} says whether such a variant is partially relevant to its source's queries.
   */
  record Doc(
      int topic, String[] keyTerms, String title, String text, int variantOf, boolean related) {
    boolean hasKeyTerm(String term) {
      for (String s : keyTerms) {
        if (s.equals(term)) {
          return true;
        }
      }
      return false;
    }
  }

  private final SeededSampler random;
  private final SyntheticVocabulary vocabulary;
  private final List<Doc> docs = new ArrayList<>();
  private final List<List<Integer>> docsByTopic = new ArrayList<>();
  private final List<List<Integer>> variantsOf = new ArrayList<>();

  private SyntheticCorpus(SeededSampler random, SyntheticVocabulary vocabulary) {
    this.random = random;
    this.vocabulary = vocabulary;
    for (int t = 0; t < vocabulary.topics(); t++) {
      docsByTopic.add(new ArrayList<>());
    }
  }

  /** Draws {@code documents} documents over the topics of {@code vocabulary}. */
  static SyntheticCorpus generate(
      int documents, SeededSampler random, SyntheticVocabulary vocabulary) {
    SyntheticCorpus corpus = new SyntheticCorpus(random, vocabulary);
    for (int i = 0; i < documents; i++) {
      corpus.add(i);
    }
    return corpus;
  }

  private void add(int i) {
    int topic = random.nextInt(vocabulary.topics());
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

  int size() {
    return docs.size();
  }

  Doc doc(int row) {
    return docs.get(row);
  }

  /** The corpus id of row {@code row}. */
  static String docId(int row) {
    return String.format(Locale.ROOT, "syn-d%07d", row);
  }

  /** The target's source document (if it is a variant) and its own variants. */
  List<Integer> family(int target) {
    List<Integer> family = new ArrayList<>();
    int source = docs.get(target).variantOf();
    if (source >= 0) {
      family.add(source);
    }
    family.addAll(variantsOf.get(target));
    return family;
  }

  /** Writes {@code corpus.jsonl}: {@code _id}, {@code title}, {@code text}, one row a line. */
  void write(Path file) throws IOException {
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

  private Doc fresh(int topic) {
    String[] keys = random.distinct(vocabulary.keyTermPool(topic), KEY_TERMS_PER_DOC);
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
    for (String candidate :
        random.distinct(vocabulary.keyTermPool(src.topic()), KEY_TERMS_PER_DOC + 2)) {
      if (k < KEY_TERMS_PER_DOC && !src.hasKeyTerm(candidate)) {
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
      words.add(random.nextBoolean() ? vocabulary.topicWord(topic) : vocabulary.backgroundWord());
    }
    String title = String.join(" ", words);
    return Character.toUpperCase(title.charAt(0)) + title.substring(1);
  }

  /** One body word: background half the time, the topic's vocabulary or a key term otherwise. */
  private String word(int topic, String[] keys) {
    double r = random.nextDouble();
    if (r < 0.5) {
      return vocabulary.backgroundWord();
    } else if (r < 0.82) {
      return vocabulary.topicWord(topic);
    }
    return keys[random.nextInt(keys.length)];
  }

  /** The words as sentences of eight words or more, each capitalised and ended by a period. */
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
}
