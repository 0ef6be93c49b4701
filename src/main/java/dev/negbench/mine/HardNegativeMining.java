package dev.negbench.mine;

import dev.negbench.data.HardNegatives;
import dev.negbench.data.Qrels;
import dev.negbench.data.Query;
import dev.negbench.io.Parallel;
import dev.negbench.io.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link NegativeSource} over every query of a split that has positives, on several threads.
 * Results come back in query order, so the output is the same for any thread count.
 */
public final class HardNegativeMining {
  private HardNegativeMining() {}

  /** Counts for the run summary. */
  public record Summary(
      String source, int queries, long negatives, int queriesShort, int numNegatives, int skippedNoPositives) {}

  /** The mined negatives in query order, and the summary. */
  public record Result(List<HardNegatives> rows, Summary summary) {}

  /** The queries of {@code qrels} with at least one positive and a text, in qrels order. */
  public static List<Query> queriesWithPositives(Qrels qrels, Map<String, Query> queries) {
    List<Query> list = new ArrayList<>();
    for (String id : qrels.queryIds()) {
      Query q = queries.get(id);
      if (q != null && !qrels.relevant(id).isEmpty()) {
        list.add(q);
      }
    }
    return list;
  }

  public static Result mine(
      NegativeSource source,
      int numNegatives,
      Qrels qrels,
      Map<String, Query> queries,
      int threads,
      Progress.Factory progress) {
    List<Query> todo = queriesWithPositives(qrels, queries);
    int skipped = 0;
    for (String id : qrels.queryIds()) {
      skipped += qrels.relevant(id).isEmpty() ? 1 : 0;
    }
    List<HardNegatives> rows;
    try (Progress bar = progress.start("Mining " + source.name() + " negatives", todo.size())) {
      // Qrels holds each query's positives ready: no per-run map of them.
      rows = Parallel.map(todo, threads, bar, q -> source.mine(q, qrels.relevant(q.id())));
    }
    long found = 0;
    int shortOf = 0;
    for (HardNegatives h : rows) {
      found += h.negatives().size();
      shortOf += h.negatives().size() < numNegatives ? 1 : 0;
    }
    return new Result(rows, new Summary(source.name(), rows.size(), found, shortOf, numNegatives, skipped));
  }
}
