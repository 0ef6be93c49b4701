package dev.negbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OrderedIdsTest {
  @Test
  void behavesAsAnUnmodifiableSetInOrder() {
    for (int n : new int[] {1, 8, 9, 40}) {
      String[] ids = new String[n];
      for (int i = 0; i < n; i++) {
        ids[i] = "d" + (n - i);
      }
      Set<String> set = new OrderedIds(ids.clone());
      Set<String> expected = new LinkedHashSet<>(List.of(ids));
      assertEquals(expected, set);
      assertEquals(set, expected);
      assertEquals(expected.hashCode(), set.hashCode());
      assertEquals(List.copyOf(expected), List.copyOf(set), "iteration keeps the order given");
      assertArrayEquals(ids, set.toArray(String[]::new));
      assertArrayEquals(ids, set.toArray());
      String[] roomy = new String[n + 2];
      roomy[n] = "stale";
      assertArrayEquals(ids, Arrays.copyOf(set.toArray(roomy), n));
      assertEquals(null, roomy[n], "toArray into a larger array ends the ids with null");
      for (String id : ids) {
        assertTrue(set.contains(id), id);
      }
      assertFalse(set.contains("d0"));
      assertFalse(set.contains(null));
      assertThrows(UnsupportedOperationException.class, () -> set.add("x"));
      assertThrows(UnsupportedOperationException.class, () -> set.remove(ids[0]));
      var it = set.iterator();
      it.next();
      assertThrows(UnsupportedOperationException.class, it::remove);
    }
  }

  @Test
  void qrelsGiveEachQuerysPositivesInFileOrder() {
    var judged = new LinkedHashMap<String, Integer>();
    judged.put("b", 1);
    judged.put("a", 0);
    judged.put("c", 2);
    Qrels qrels = new Qrels(Map.of("q", judged));
    assertEquals(List.of("b", "c"), List.copyOf(qrels.relevant("q")));
    assertTrue(qrels.relevant("nobody").isEmpty());
  }
}
