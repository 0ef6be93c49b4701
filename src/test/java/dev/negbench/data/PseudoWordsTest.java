package dev.negbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PseudoWordsTest {
  private static final Pattern SYLLABLE = Pattern.compile("(?:[bdfgklmnprtvz]|ch|sh|th)[aiou]");

  private static int syllables(String word) {
    return (int) SYLLABLE.matcher(word).results().count();
  }

  @Test
  void wordsAreSyllablesOfTheAskedLengthAndNeverRepeatAcrossCalls() {
    PseudoWords words = new PseudoWords(new SeededSampler(5));
    Set<String> all = new HashSet<>();
    for (int call = 0; call < 3; call++) {
      for (String w : words.next(200, 2, 3)) {
        assertTrue(SYLLABLE.matcher(w).replaceAll("").isEmpty(), "only syllables: " + w);
        int n = syllables(w);
        assertTrue(n >= 2 && n <= 3, w);
        assertTrue(all.add(w), "repeated: " + w);
      }
    }
  }

  /** 16 consonants x 4 vowels: 64 one-syllable words, then the run of collisions adds one. */
  @Test
  void allowsOneSyllableMoreWhenTheWordsOfThatLengthRunOut() {
    String[] words = new PseudoWords(new SeededSampler(1)).next(70, 1, 1);
    Set<String> distinct = new HashSet<>(Set.of(words));
    assertEquals(70, distinct.size());
    assertEquals(64, distinct.stream().filter(w -> syllables(w) == 1).count());
    assertEquals(6, distinct.stream().filter(w -> syllables(w) == 2).count());
  }
}
