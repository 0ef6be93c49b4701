package dev.negbench.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.negbench.io.Progress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchesTest {
  private static Encoding ofLength(int n, long first) {
    long[] ids = new long[n];
    ids[0] = first;
    long[] ones = new long[n];
    Arrays.fill(ones, 1);
    return new Encoding(ids, new long[n], ones);
  }

  @Test
  void padsEachBatchToItsLongestAndRestoresInputOrder() {
    List<Encoding> inputs =
        List.of(ofLength(5, 0), ofLength(2, 1), ofLength(9, 2), ofLength(3, 3), ofLength(2, 4));
    List<Integer> paddedLengths = new ArrayList<>();
    List<Long> out =
        Batches.map(
            inputs,
            2,
            batch -> {
              paddedLengths.add(batch.length());
              List<Long> firsts = new ArrayList<>();
              for (int r = 0; r < batch.rows(); r++) {
                firsts.add(batch.ids()[r * batch.length()]);
                long maskSum = 0;
                for (int t = 0; t < batch.length(); t++) {
                  maskSum += batch.mask()[r * batch.length() + t];
                }
                firsts.set(r, firsts.get(r) * 100 + maskSum); // id and true length
              }
              return firsts;
            },
            Progress.NONE);
    // Sorted lengths 2,2 | 3,5 | 9: padding only to each batch's longest.
    assertEquals(List.of(2, 5, 9), paddedLengths);
    assertArrayEquals(new Long[] {5L, 102L, 209L, 303L, 402L}, out.toArray(Long[]::new));
  }
}
