package dev.negbench.data;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Pronounceable pseudo-words (consonant-vowel syllables) for a synthetic dataset, each handed out
 * once: the background, topic, key-term and alias vocabularies never share a word.
 */
final class PseudoWords {
  private static final String[] CONSONANTS = {
    "b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "t", "v", "z", "ch", "sh", "th"
  };
  // No 'e' or 'y': Porter stemming strips or rewrites them and would merge distinct words.
  private static final String[] VOWELS = {"a", "i", "o", "u"};

  /** Consecutive draws of taken words after which {@link #next} allows one syllable more. */
  static final int MAX_COLLISIONS = 1000;

  private final SeededSampler random;
  private final Set<String> used = new LinkedHashSet<>();

  PseudoWords(SeededSampler random) {
    this.random = random;
  }

  /**
   * {@code n} new pseudo-words of {@code min}..{@code max} syllables, unique across every call.
   * When the words of that length run out (3 syllables give 64^3 = 262,144 words, which corpora of
   * a million documents need more of), a run of {@value #MAX_COLLISIONS} draws that are all taken
   * allows one syllable more; smaller datasets never get there, so their bytes do not change.
   */
  String[] next(int n, int min, int max) {
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
      if (used.add(w)) {
        out[i++] = w;
        collisions = 0;
      } else {
        collisions++;
      }
    }
    return out;
  }
}
