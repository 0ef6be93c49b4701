package dev.negbench.data;

/**
 * The words of a synthetic dataset: a Zipfian background vocabulary shared by every topic, each
 * topic's own Zipfian vocabulary, and each topic's pool of key terms, every key term with an alias
 * that only queries use. All are distinct pseudo-words.
 */
final class SyntheticVocabulary {
  private static final int BACKGROUND_WORDS = 3000;
  private static final int TOPIC_WORDS = 40;

  private final SeededSampler random;
  private final String[] background;
  private final double[] backgroundCdf;
  private final String[][] topicWords;
  private final double[] topicCdf;
  private final String[][] keyTermPools;
  private final String[][] keyTermAliases;

  /** Draws the vocabularies of {@code topics} topics over {@code documents} documents. */
  SyntheticVocabulary(SeededSampler random, int topics, int documents) {
    this.random = random;
    PseudoWords words = new PseudoWords(random);
    this.background = words.next(BACKGROUND_WORDS, 2, 3);
    this.backgroundCdf = SeededSampler.zipfCdf(BACKGROUND_WORDS, 1.0);
    this.topicWords = new String[topics][];
    this.keyTermPools = new String[topics][];
    this.keyTermAliases = new String[topics][];
    int perTopic = Math.max(1, documents / topics);
    for (int t = 0; t < topics; t++) {
      topicWords[t] = words.next(TOPIC_WORDS, 3, 3);
      // 0.75 pool terms per document: a key term recurs in about five documents of its topic.
      keyTermPools[t] = words.next(Math.max(20, perTopic * 3 / 4), 3, 4);
      // Each key term has an alias that only queries use: the vocabulary mismatch that lexical
      // retrieval cannot bridge and a trained dense retriever can learn from the train split.
      keyTermAliases[t] = words.next(keyTermPools[t].length, 3, 4);
    }
    this.topicCdf = SeededSampler.zipfCdf(TOPIC_WORDS, 0.8);
  }

  int topics() {
    return topicWords.length;
  }

  /** A background word, by Zipf's law over {@value #BACKGROUND_WORDS} words. */
  String backgroundWord() {
    return background[random.sample(backgroundCdf)];
  }

  /** A word of {@code topic}'s own vocabulary, by Zipf's law. */
  String topicWord(int topic) {
    return topicWords[topic][random.sample(topicCdf)];
  }

  /** The key terms {@code topic}'s documents draw theirs from (not to be modified). */
  String[] keyTermPool(int topic) {
    return keyTermPools[topic];
  }

  /** Any one key term of {@code topic}. */
  String keyTerm(int topic) {
    return keyTermPools[topic][random.nextInt(keyTermPools[topic].length)];
  }

  /** The alias of one of {@code topic}'s key terms. */
  String alias(int topic, String keyTerm) {
    String[] pool = keyTermPools[topic];
    for (int i = 0; i < pool.length; i++) {
      if (pool[i].equals(keyTerm)) {
        return keyTermAliases[topic][i];
      }
    }
    throw new IllegalStateException("not a key term of topic " + topic + ": " + keyTerm);
  }
}
