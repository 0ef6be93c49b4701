package dev.negbench.mine;

import dev.negbench.data.HardNegatives;
import dev.negbench.data.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where hard negatives come from: BM25 here; the cross-encoder, a dense retriever or an LLM in
 * their own stages. Implementations must be thread-safe and deterministic for one query.
 */
public interface NegativeSource {
  /** A short name recorded in outputs, e.g. {@code bm25}. */
  String name();

  /** Hard negatives for one query whose relevant documents are {@code positiveIds}. */
  HardNegatives mine(Query query, Set<String> positiveIds);

  /**
   * Hard negatives for several queries, in their order ({@code positiveIds.get(i)} are the relevant
   * documents of {@code queries.get(i)}), as {@link #mine(Query, Set)} gives them one by one. A
   * source that shares work between queries overrides it: BM25 looks all their ids up in one pass.
   */
  default List<HardNegatives> mine(List<Query> queries, List<Set<String>> positiveIds) {
    List<HardNegatives> rows = new ArrayList<>(queries.size());
    for (int i = 0; i < queries.size(); i++) {
      rows.add(mine(queries.get(i), positiveIds.get(i)));
    }
    return rows;
  }

  /**
   * How many queries {@link HardNegativeMining} hands to {@link #mine(List, List)} at a time: 1
   * unless a source gains from more (a worker takes a whole batch, so large batches leave threads
   * idle at the end of a run).
   */
  default int batchSize() {
    return 1;
  }

  /**
   * Work done so far beyond searching one query each (e.g. {@code pairs_scored} by a
   * cross-encoder), by counter name, for the cost of the negatives; empty when there is none.
   */
  default Map<String, Long> work() {
    return Map.of();
  }

  /**
   * The scale of the negatives' scores when a setting chooses it (the cross-encoder's activation:
   * {@code sigmoid} or {@code none}), recorded in the summary as {@code score_scale}; null when the
   * scores are the miner's only kind (BM25's, a bi-encoder's similarity).
   */
  default String scoreScale() {
    return null;
  }
}
