package dev.negbench.mine;

import dev.negbench.data.HardNegatives;
import dev.negbench.data.Qrels;
import dev.negbench.data.Query;
import dev.negbench.io.Parallel;
import dev.negbench.io.Progress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    int skipped = (int) qrels.queryIds().stream().filter(q -> qrels.relevant(q).isEmpty()).count();
    Map<String, Set<String>> positives = new HashMap<>();
    todo.forEach(q -> positives.put(q.id(), qrels.relevant(q.id())));
    List<HardNegatives> rows;
    try (Progress bar = progress.start("Mining " + source.name() + " negatives", todo.size())) {
      rows = Parallel.map(todo, threads, bar, q -> source.mine(q, positives.get(q.id())));
    }
    long found = rows.stream().mapToLong(h -> h.negatives().size()).sum();
    int shortOf = (int) rows.stream().filter(h -> h.negatives().size() < numNegatives).count();
    return new Result(rows, new Summary(source.name(), rows.size(), found, shortOf, numNegatives, skipped));
  }
}
