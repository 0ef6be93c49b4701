package dev.negbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticVocabularyTest {
  @Test
  void everyKeyTermHasItsOwnAliasOutsideThePools() {
    SyntheticVocabulary v = new SyntheticVocabulary(new SeededSampler(7), 4, 400);
    assertEquals(4, v.topics());
    Set<String> keyTerms = new HashSet<>();
    for (int t = 0; t < 4; t++) {
      assertEquals(75, v.keyTermPool(t).length, "0.75 key terms per document of the topic");
      keyTerms.addAll(Set.of(v.keyTermPool(t)));
    }
    assertEquals(300, keyTerms.size(), "no key term in two topics");
    Set<String> aliases = new HashSet<>();
    for (int t = 0; t < 4; t++) {
      for (String k : v.keyTermPool(t)) {
        String alias = v.alias(t, k);
        assertNotEquals(k, alias);
        assertTrue(!keyTerms.contains(alias) && aliases.add(alias), alias);
      }
    }
    String other = v.keyTermPool(1)[0];
    assertThrows(IllegalStateException.class, () -> v.alias(0, other));
  }

  @Test
  void drawsTopicAndBackgroundWordsFromDisjointVocabularies() {
    SyntheticVocabulary v = new SyntheticVocabulary(new SeededSampler(7), 4, 40);
    assertEquals(20, v.keyTermPool(0).length, "at least 20 key terms a topic");
    Set<String> topic0 = new HashSet<>();
    Set<String> background = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      topic0.add(v.topicWord(0));
      background.add(v.backgroundWord());
      assertTrue(Set.of(v.keyTermPool(2)).contains(v.keyTerm(2)));
    }
    assertTrue(topic0.size() <= 40, "40 words a topic, found " + topic0.size());
    assertTrue(background.size() > 100, "3000 background words, found " + background.size());
    topic0.retainAll(background);
    assertTrue(topic0.isEmpty(), "shared: " + topic0);
  }
}
