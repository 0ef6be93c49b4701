package dev.negbench.mine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DenseIndexesTest {
  private static final int BIG = DenseIndexes.HNSW_THRESHOLD;
  private static final int MANY = DenseIndexes.HNSW_MIN_QUERIES;

  @Test
  void autoTakesHnswOnlyForLargeCorporaSearchedByManyQueries() {
    assertTrue(DenseIndexes.useHnsw("auto", BIG, MANY));
    assertTrue(DenseIndexes.useHnsw(null, 8_800_000, 500_000));
    // A BEIR evaluation over millions of documents: the scan of its test queries beats the build.
    assertFalse(DenseIndexes.useHnsw("auto", 4_600_000, 400));
    assertFalse(DenseIndexes.useHnsw("auto", BIG - 1, 10 * MANY));
    assertFalse(DenseIndexes.useHnsw("auto", BIG, MANY - 1));
  }

  @Test
  void explicitSettingsWinAtAnySize() {
    assertTrue(DenseIndexes.useHnsw(" HNSW ", 10, 1));
    assertFalse(DenseIndexes.useHnsw("exact", 10_000_000, 1_000_000));
  }

  @Test
  void unknownSettingIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> DenseIndexes.useHnsw("faiss", 10, 10));
    assertFalse(DenseIndexes.isValid("faiss"));
    assertTrue(DenseIndexes.isValid(null));
  }
}
