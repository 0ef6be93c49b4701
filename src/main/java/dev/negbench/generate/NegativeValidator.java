package dev.negbench.generate;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks one generated passage against its query's positive. Reasons for rejecting, in the order
 * tested: {@code empty}, {@code copy_of_positive} (equal to the positive or containing it), {@code
 * duplicate} (equal to an earlier passage of the same answer), {@code too_short} / {@code too_long}
 * (outside the profile's bounds), {@code contains_answer_sentence} (the positive's sentence that
 * shares the most words with the query, verbatim).
 */
public final class NegativeValidator {
  private static final Pattern SPACE = Pattern.compile("\\s+");
  private static final Pattern SENTENCE = Pattern.compile("(?<=[.!?])\\s+");
  private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

  private final GeneratorProfile.Validation bounds;
  private final String positive;
  private final String answerSentence;
  private final Set<String> seen = new HashSet<>();

  public NegativeValidator(GeneratorProfile.Validation bounds, String query, String positive) {
    this.bounds = bounds;
    this.positive = normalize(positive);
    this.answerSentence = answerSentence(query, positive);
  }

  /** Null when the passage is a valid hard negative, else why it is not. */
  public String reject(String passage) {
    String p = normalize(passage);
    if (p.isEmpty()) {
      return "empty";
    }
    if (p.equals(positive) || (!positive.isEmpty() && p.contains(positive))) {
      return "copy_of_positive";
    }
    if (!seen.add(p)) {
      return "duplicate";
    }
    int len = p.length();
    if (len < bounds.minChars() || len < bounds.minLengthRatio() * positive.length()) {
      return "too_short";
    }
    if (len > bounds.maxLengthRatio() * Math.max(positive.length(), bounds.minChars())) {
      return "too_long";
    }
    if (answerSentence != null && p.contains(answerSentence)) {
      return "contains_answer_sentence";
    }
    return null;
  }

  /**
   * The positive's sentence sharing most words with the query (normalized), or null if none does.
   */
  static String answerSentence(String query, String positive) {
    Set<String> queryWords = new HashSet<>(List.of(NON_WORD.split(query.toLowerCase(Locale.ROOT))));
    queryWords.remove("");
    String best = null;
    int bestOverlap = 0;
    for (String s : SENTENCE.split(positive.strip())) {
      if (s.length() < 20) {
        continue;
      }
      int overlap = 0;
      for (String w : NON_WORD.split(s.toLowerCase(Locale.ROOT))) {
        if (w.length() > 2 && queryWords.contains(w)) {
          overlap++;
        }
      }
      if (overlap > bestOverlap) {
        bestOverlap = overlap;
        best = normalize(s);
      }
    }
    return best;
  }

  private static String normalize(String s) {
    return SPACE.matcher(s.strip()).replaceAll(" ").toLowerCase(Locale.ROOT);
  }
}
